"""What the view modules share."""

from django.core.exceptions import ValidationError

PAGE_SIZE = 25
MORE_ROWS = 10


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
