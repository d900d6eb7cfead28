"""What people change in the SMS set-up: texts, budgets, the inbox."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kallpanchis.accounts.access import access_for

from ..registry import get_kind
from .models import SmsBudget, SmsInbound, SmsTemplate
from .selectors import inbox_for
from .texts import LANGUAGES, template_check


def _ensure_coordinator(by) -> None:
    if not access_for(by).is_coordinator:
        raise PermissionDenied


@transaction.atomic
def sms_template_save(*, by, kind: str, language: str, text: str) -> SmsTemplate:
    """A coordinator's text for a kind and language; refused if it needs more than two SMS or names an
    unknown placeholder."""
    _ensure_coordinator(by)
    get_kind(kind)
    if language not in LANGUAGES:
        raise ValueError(language)
    template_check(text)
    template, _ = SmsTemplate.objects.update_or_create(
        kind=kind, language=language, defaults={"text": text, "updated_by": by}
    )
    return template


@transaction.atomic
def sms_template_reset(*, by, kind: str, language: str) -> None:
    _ensure_coordinator(by)
    SmsTemplate.objects.filter(kind=kind, language=language).delete()


@transaction.atomic
def sms_budget_save(
    *, by, area: str, month_messages: int, month_soles: Decimal, label: str = ""
) -> SmsBudget:
    """A coordinator sets an area's monthly SMS budget (0: no limit of that kind)."""
    _ensure_coordinator(by)
    if not label:
        from kallpanchis.organisations.models import Organisation

        organisation = Organisation.objects.filter(pk=area.split(":", 1)[-1]).first()
        label = str(organisation) if organisation else area
    budget, _ = SmsBudget.objects.update_or_create(
        area=area,
        defaults={
            "month_messages": month_messages,
            "month_soles": month_soles,
            "label": label,
            "updated_by": by,
        },
    )
    return budget


@transaction.atomic
def inbound_handled(*, by, inbound: SmsInbound) -> SmsInbound:
    """A technician has read (and answered by other means) a reply in the inbox."""
    if not inbox_for(user=by).filter(pk=inbound.pk).exists():
        raise PermissionDenied
    SmsInbound.objects.filter(pk=inbound.pk, handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=by
    )
    inbound.refresh_from_db()
    return inbound
