"""Peru's identity numbers, checked the way SUNAT and RENIEC define them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RUC_PREFIXES = ("10", "15", "17", "20")
RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def ruc_check_digit(first_ten: str) -> int:
    """SUNAT's modulo-11 check digit for the first ten digits of a RUC."""
    remainder = 11 - sum(int(d) * w for d, w in zip(first_ten, RUC_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 1}.get(remainder, remainder)


def ruc_is_valid(value: str) -> bool:
    return (
        len(value) == 11
        and value.isdigit()
        and value[:2] in RUC_PREFIXES
        and ruc_check_digit(value[:10]) == int(value[10])
    )


def validate_ruc(value: str) -> None:
    if not (len(value) == 11 and value.isdigit()):
        raise ValidationError(_("The RUC has 11 digits."), code="ruc_length")
    if value[:2] not in RUC_PREFIXES:
        raise ValidationError(_("A RUC starts with 10, 15, 17 or 20."), code="ruc_prefix")
    if not ruc_is_valid(value):
        raise ValidationError(_("This RUC is not valid: check the digits."), code="ruc_check")


def validate_dni(value: str) -> None:
    if not (len(value) == 8 and value.isdigit()):
        raise ValidationError(_("The DNI has 8 digits."), code="dni")
