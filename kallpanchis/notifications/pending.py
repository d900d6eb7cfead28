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
