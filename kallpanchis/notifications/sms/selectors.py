"""What the SMS pages read."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from kallpanchis.people.models import Person

from ..models import Reminder
from .models import SmsBudget, SmsInbound, SmsMessage, SmsReply


def may_read_inbox(user) -> bool:
    access = access_for(user)
    return access.authenticated and (access.is_coordinator or access.has(Role.TECHNICIAN))


def inbox_for(*, user, handled: bool = False):
    """Replies for a technician to read: those of people they may see (coordinators: all)."""
    if not may_read_inbox(user):
        return SmsInbound.objects.none()
    rows = SmsInbound.objects.filter(action=SmsInbound.Action.INBOX, handled_at__isnull=not handled)
    if not access_for(user).is_coordinator:
        rows = rows.filter(person__in=Person.objects.visible_to(user))
    return rows.select_related("person")


def areas_for(user) -> list[str] | None:
    """The SMS areas a person may read: coordinators all (None), technicians and municipal staff those of
    their own organisations (an area is `organisation:<id>`)."""
    access = access_for(user)
    if not access.authenticated:
        return []
    if access.is_coordinator:
        return None
    return [f"organisation:{pk}" for pk in access.organisations_with(Role.TECHNICIAN, Role.MUNICIPAL_ADMIN)]


def area_list(user) -> list[dict]:
    allowed = areas_for(user)
    known = dict(SmsBudget.objects.values_list("area", "label"))
    areas = set(SmsMessage.objects.exclude(area="").values_list("area", flat=True).distinct()) | set(known)
    if allowed is not None:
        areas &= set(allowed)
    return [{"area": a, "label": known.get(a, a)} for a in sorted(areas)]


def target_summary(target) -> dict:
    """For a target's page (a meeting): who was reached by SMS and who answered."""
    content_type = ContentType.objects.get_for_model(target)
    reminders = Reminder.objects.filter(content_type=content_type, object_id=target.pk, channel="sms")
    messages = list(
        SmsMessage.objects.filter(reminder__in=reminders)
        .select_related("person")
        .order_by("person_id", "-created_at")
    )
    people: dict[int, dict] = {}
    for message in messages:
        row = people.setdefault(
            message.person_id, {"person": message.person, "sent": 0, "delivered": 0, "failed": 0}
        )
        row["sent"] += 1
        row[message.status] = row.get(message.status, 0) + 1
    answers = list(
        SmsReply.objects.filter(content_type=content_type, object_id=target.pk).select_related("person")
    )
    refused = reminders.filter(status=Reminder.Status.FAILED, last_error__contains="budget").count()
    pending = reminders.filter(status__in=Reminder.PENDING).count()
    return {
        "people": list(people.values()),
        "reached": sum(1 for row in people.values() if row.get("delivered")),
        "attending": [a.person for a in answers if a.attending],
        "not_attending": [a.person for a in answers if not a.attending],
        "refused_budget": refused,
        "pending": pending,
        "any": bool(messages or answers or pending or refused),
    }


def stopped_people(target) -> list:
    """People who replied BAJA after an SMS about this target."""
    content_type = ContentType.objects.get_for_model(target)
    person_ids = Reminder.objects.filter(
        content_type=content_type, object_id=target.pk, channel="sms"
    ).values("person_id")
    return list(
        SmsInbound.objects.filter(action=SmsInbound.Action.STOP, person_id__in=person_ids)
        .filter(~Q(person=None))
        .select_related("person")
    )
