"""The follow-up of agreements: every status change is kept."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role

from ..models import (
    Agreement,
    AgreementStatusChange,
    ConcertationSpace,
)
from .reminders import agreement_reminders_schedule


def agreement_may_follow_up(*, user, agreement: Agreement) -> bool:
    """Who follows an agreement up: the technicians and administrators who manage its space, and the
    leaders of the organisation that answers for it (they report what their association did)."""
    if agreement.responsible_organisation_id in access_for(user).organisations_with(Role.LEADER):
        return True
    return ConcertationSpace.objects.editable_by(user).filter(pk=agreement.meeting.space_id).exists()


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
    'Done' records the day it was done (today unless told), never before the meeting that agreed it nor in
    the future; done or dropped closes it. The space's managers and the leaders of the responsible
    organisation may do it (agreement_may_follow_up)."""
    agreement = Agreement.objects.select_for_update().select_related("meeting__space").get(pk=agreement.pk)
    if by is not None and not agreement_may_follow_up(user=by, agreement=agreement):
        raise PermissionDenied(
            _(
                "Only the technicians of the convening municipality and the organisation that answers "
                "for it follow this agreement up."
            )
        )
    if to_status not in Agreement.Status.values:
        raise ValidationError({"to_status": _("Choose a status.")})
    if to_status == agreement.status:
        raise ValidationError({"to_status": _("The agreement already has this status.")})
    now = timezone.now()
    done_on = (on or timezone.localdate(now)) if to_status == Agreement.Status.DONE else None
    if done_on is not None:
        meeting_day = timezone.localdate(agreement.meeting.starts_at)
        if done_on < meeting_day:
            raise ValidationError(
                {
                    "done_on": _("It cannot be done before the meeting that agreed it (%(day)s).")
                    % {"day": formats.date_format(meeting_day, "SHORT_DATE_FORMAT")}
                }
            )
        if done_on > timezone.localdate(now):
            raise ValidationError({"done_on": _("It cannot be done on a day still to come.")})
    change = AgreementStatusChange(
        agreement=agreement, by=by, from_status=agreement.status, to_status=to_status, note=note.strip()
    )
    if evidence is not None:
        change.evidence = evidence
        change.full_clean(exclude=["agreement", "by"])
    change.save()
    agreement.status = to_status
    agreement.done_on = done_on
    agreement.closed_at = None if to_status in Agreement.OPEN else now
    agreement.save(update_fields=["status", "done_on", "closed_at", "updated_at"])
    agreement_reminders_schedule(agreement=agreement)  # done or dropped: no more reminders
    return agreement
