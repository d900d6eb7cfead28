from django.db import transaction

from ..models import MunicipalAssociation, SupportedAction, manages_all
from .common import refuse_unless, save_checked


@transaction.atomic
def association_create(*, by, members=(), **fields) -> MunicipalAssociation:
    """Mancomunidades are recorded by coordinators and partner staff."""
    refuse_unless(manages_all(by))
    return save_checked(MunicipalAssociation(), fields, {"members": members})


@transaction.atomic
def association_update(*, by, association: MunicipalAssociation, members=None, **fields):
    refuse_unless(manages_all(by))
    association = MunicipalAssociation.objects.select_for_update().get(pk=association.pk)
    return save_checked(association, fields, {} if members is None else {"members": members})


@transaction.atomic
def association_action_add(*, by, association: MunicipalAssociation, **fields) -> SupportedAction:
    """An action the project supports in a mancomunidad; same managers as the mancomunidad."""
    refuse_unless(manages_all(by))
    return save_checked(SupportedAction(association=association), fields)


@transaction.atomic
def association_action_remove(*, by, action: SupportedAction) -> None:
    refuse_unless(manages_all(by))
    action.delete()
