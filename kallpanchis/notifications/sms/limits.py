"""When an SMS may leave and who pays: quiet hours in Lima and a monthly budget per area (municipality)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import conf
from ..rendering import LIMA
from .models import SmsBudget, SmsMessage


def quiet_until(now: datetime) -> datetime | None:
    """None when an SMS may leave now; else the end of the quiet hours (07:00 Lima by default)."""
    start, end = conf.sms_quiet_hours()
    local = timezone.localtime(now, LIMA)
    if start <= end:  # a window within one day (only if configured so)
        quiet = start <= local.hour < end
    else:
        quiet = local.hour >= start or local.hour < end
    if not quiet:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += timedelta(days=1)
    return morning


def month_start(now: datetime) -> datetime:
    local = timezone.localtime(now, LIMA)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass
class Allowance:
    """An area's budget for this month and what is used of it (counted once per delivery chunk, then
    carried along as the chunk sends)."""

    area: str
    label: str
    messages: int  # 0: no limit
    soles: Decimal  # 0: no limit
    used_messages: int
    used_soles: Decimal

    def refusal(self, cost: Decimal) -> str:
        """Why one more SMS costing `cost` may not leave, or ''."""
        if self.messages and self.used_messages + 1 > self.messages:
            return _(
                "The monthly SMS budget of %(area)s is used up: %(used)d of %(limit)d messages. "
                "A coordinator can raise it on the SMS page of the municipality."
            ) % {"area": self.label, "used": self.used_messages, "limit": self.messages}
        if self.soles and self.used_soles + cost > self.soles:
            return _(
                "The monthly SMS budget of %(area)s is used up: S/ %(used)s of S/ %(limit)s. "
                "A coordinator can raise it on the SMS page of the municipality."
            ) % {"area": self.label, "used": f"{self.used_soles:.2f}", "limit": f"{self.soles:.2f}"}
        return ""

    def take(self, cost: Decimal) -> None:
        self.used_messages += 1
        self.used_soles += cost


def allowance(area: str, label: str, now: datetime) -> Allowance | None:
    """None when the area has no budget set (no limit)."""
    if not area:
        return None
    budget = SmsBudget.objects.filter(area=area).first()
    if budget is None or (not budget.month_messages and not budget.month_soles):
        return None
    used = SmsMessage.objects.filter(area=area, created_at__gte=month_start(now)).aggregate(
        n=Count("pk"), soles=Sum("cost")
    )
    return Allowance(
        area,
        budget.label or label,
        budget.month_messages,
        budget.month_soles,
        used["n"],
        used["soles"] or Decimal(0),
    )


def usage(area: str, since: datetime) -> dict:
    """Sent, delivered, failed and cost of an area's SMS since a moment (the per-municipality page)."""
    rows = SmsMessage.objects.filter(area=area, created_at__gte=since)
    by_status = dict(rows.values_list("status").annotate(n=Count("pk")).order_by())
    totals = rows.aggregate(n=Count("pk"), soles=Sum("cost"), segments=Sum("segments"))
    return {
        "sent": totals["n"],
        "segments": totals["segments"] or 0,
        "delivered": by_status.get(SmsMessage.Status.DELIVERED, 0),
        "failed": by_status.get(SmsMessage.Status.FAILED, 0),
        "waiting": by_status.get(SmsMessage.Status.ACCEPTED, 0) + by_status.get(SmsMessage.Status.SENT, 0),
        "cost": totals["soles"] or Decimal(0),
    }
