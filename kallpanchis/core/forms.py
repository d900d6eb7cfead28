"""What every app's forms share."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_noop

# Django's own message for a required field, kept in the base catalogue: rest_framework's Spanish
# catalogue, which Django loads after its own, says "requerido" where every form of ours says "obligatorio".
REQUIRED_MESSAGE = gettext_noop("This field is required.")


def errors_to_form(form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form: next to the field it names when the form has that field,
    above the form otherwise (a rule about the whole record, a field the form does not show, or a
    refusal of the person rather than of the data)."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
