from django.db import transaction

from ..models import Municipality
from .common import refuse_unless, save_checked

PROFILE_FIELDS = ("office_name", "address", "phone", "email", "publishes_open_data")


@transaction.atomic
def municipality_profile_update(*, by, municipality: Municipality, **fields) -> Municipality:
    """A municipality's administrators and technicians edit its office and contacts; coordinators and
    partner staff edit any. Territory figures come from the reference data and are not edited here."""
    refuse_unless(Municipality.objects.profile_editable_by(by).filter(pk=municipality.pk).exists())
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    return save_checked(municipality, fields)
