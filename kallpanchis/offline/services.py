"""Writes of the offline app: accepting a phone's submission exactly once, and the people it registered."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import OfflinePerson, OfflineSubmission


@dataclass(frozen=True)
class Accepted:
    submission: OfflineSubmission
    # False when this call applied the submission; True when an earlier call already had (a retry).
    duplicate: bool

    @property
    def result(self) -> dict:
        return self.submission.result


class AlreadyUsedByAnother(Exception):
    """The phone's id is known but belongs to another person or kind: never apply it, never reveal it."""


@transaction.atomic
def submission_accept(
    *, client_id: uuid.UUID, kind: str, object_id: int, user, apply: Callable[[], dict]
) -> Accepted:
    """Apply `apply()` at most once per client_id, in the same transaction as the record of it.

    The submission row is inserted first: a concurrent retry with the same id waits on the unique index and
    then finds this row, so two requests racing each other still apply once. If `apply` raises, everything
    rolls back (the row too) and the phone may send again once the problem is fixed.
    """
    existing = OfflineSubmission.objects.filter(client_id=client_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                submission = OfflineSubmission.objects.create(
                    client_id=client_id, kind=kind, object_id=object_id, user=user
                )
        except IntegrityError:
            existing = OfflineSubmission.objects.get(client_id=client_id)
        else:
            submission.result = apply()
            submission.save(update_fields=["result"])
            return Accepted(submission=submission, duplicate=False)
    if (
        existing.kind != kind
        or existing.object_id != object_id
        or existing.user_id != getattr(user, "pk", None)
    ):
        raise AlreadyUsedByAnother(str(client_id))
    return Accepted(submission=existing, duplicate=True)


def person_for_client_id(client_id: uuid.UUID):
    """The person a phone already registered under this id, or None."""
    row = OfflinePerson.objects.select_related("person").filter(client_id=client_id).first()
    return row.person if row is not None else None


def person_client_id_record(*, client_id: uuid.UUID, person, by) -> None:
    """Remember which person a phone's id became (inside the transaction that registered them)."""
    OfflinePerson.objects.create(client_id=client_id, person=person, created_by=by)
