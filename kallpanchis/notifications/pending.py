"""What reminders put on a coordinator's home page (kallpanchis/core/pending.py): reminders the worker gave
up on after its last attempt, to retry once the cause (a wrong address, a full mailbox) is fixed."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from kallpanchis.core import pending
from kallpanchis.core.pending import PendingItem

from .selectors import reminders_failed_summary


@pending.register
def notifications_pending(user, access, today):
    if not access.is_coordinator:
        return []
    count, oldest = reminders_failed_summary()
    if not count:
        return []
    return [
        PendingItem(
            title=ngettext(
                "%(count)s reminder could not be sent", "%(count)s reminders could not be sent", count
            )
            % {"count": count},
            url=reverse("notifications:reminder_list") + "?status=failed",
            action_label=ngettext("Retry it", "Retry them", count),
            due=timezone.localdate(oldest),
            kind="reminders_failed",
        )
    ]


@pending.register
def sms_replies_pending(user, access, today):
    """Technicians and coordinators: SMS replies waiting in the inbox (not SI/NO/BAJA)."""
    from .sms.selectors import inbox_for, may_read_inbox

    if not may_read_inbox(user):
        return []
    rows = inbox_for(user=user).order_by("received_at")
    count = rows.count()
    if not count:
        return []
    return [
        PendingItem(
            title=ngettext("%(count)s SMS reply to read", "%(count)s SMS replies to read", count)
            % {"count": count},
            url=reverse("notifications:sms_inbox"),
            action_label=ngettext("Read it", "Read them", count),
            due=timezone.localdate(rows.first().received_at),
            kind="sms_replies",
        )
    ]
