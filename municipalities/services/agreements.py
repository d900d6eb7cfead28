from django.db import transaction

from ..models import Municipality, PartnershipAgreement
from .common import refuse_unless, save_checked


@transaction.atomic
def agreement_create(
    *, by, municipality: Municipality, consortium_parties=(), **fields
) -> PartnershipAgreement:
    """Only coordinators and partner staff record agreements; the signed document is checked by content
    and size before anything is stored."""
    refuse_unless(_manages(by))
    agreement = PartnershipAgreement(municipality=municipality)
    return save_checked(agreement, fields, {"consortium_parties": consortium_parties})


@transaction.atomic
def agreement_update(*, by, agreement: PartnershipAgreement, consortium_parties=None, **fields):
    """Same rule as creation. A replaced signed document is deleted from disk once the change commits."""
    refuse_unless(_manages(by))
    agreement = PartnershipAgreement.objects.select_for_update().get(pk=agreement.pk)
    old_document = agreement.document.name if "document" in fields else ""
    m2m = {} if consortium_parties is None else {"consortium_parties": consortium_parties}
    save_checked(agreement, fields, m2m)
    if old_document and old_document != agreement.document.name:
        storage = agreement.document.storage
        transaction.on_commit(lambda: storage.delete(old_document))
    return agreement


def _manages(user) -> bool:
    from ..models import manages_all

    return manages_all(user)
