"""The follow-up of agreements: every status change is kept."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Agreement,
    AgreementStatusChange,
)
from .common import require_space_manager
from .reminders import agreement_reminders_schedule


@transaction.atomic
def agreement_status_change(
    *,
    agreement: Agreement,
    by,
    to_status: str,
    note: str = "",
    evidence=None,
    on: datetime.date | None = None,
) -> Agreement:
    """Move an agreement to another status, keeping who, when, from, to, the note and the evidence.
    'Done' records the day it was done (today unless told); done or dropped closes it."""
    agreement = Agreement.objects.select_for_update().select_related("meeting__space").get(pk=agreement.pk)
    require_space_manager(user=by, space=agreement.meeting.space)
    if to_status not in Agreement.Status.values:
        raise ValidationError({"to_status": _("Choose a status.")})
    if to_status == agreement.status:
        raise ValidationError({"to_status": _("The agreement already has this status.")})
    change = AgreementStatusChange(
        agreement=agreement, by=by, from_status=agreement.status, to_status=to_status, note=note.strip()
    )
    if evidence is not None:
        change.evidence = evidence
        change.full_clean(exclude=["agreement", "by"])
    change.save()
    now = timezone.now()
    agreement.status = to_status
    agreement.done_on = (on or timezone.localdate(now)) if to_status == Agreement.Status.DONE else None
    agreement.closed_at = None if to_status in Agreement.OPEN else now
    agreement.save(update_fields=["status", "done_on", "closed_at", "updated_at"])
    agreement_reminders_schedule(agreement=agreement)  # done or dropped: no more reminders
    return agreement
