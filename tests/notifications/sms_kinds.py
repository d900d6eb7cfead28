"""A test-only SMS reminder kind: the target is an Organisation standing in for a meeting (see kinds.py);
its SMS people are the register's people whose community is `org<target id>`; its area is the
organisation. Imported by the test process and, through KALLPANCHIS_REMINDER_KIND_MODULES, by workers."""

from kallpanchis.notifications.registry import register

from .kinds import OrganisationMeetingKind


def _people(target) -> list[int]:
    from kallpanchis.people.models import Person

    return list(Person.objects.filter(community=f"org{target.pk}").values_list("pk", flat=True))


def _area(target) -> tuple[str, str]:
    return f"organisation:{target.pk}", target.name


TEST_SMS_MEETING = register(
    OrganisationMeetingKind(
        name="test_sms_meeting",
        label="Test SMS meeting",
        intro="A test meeting is coming up.",
        sms_people=_people,
        sms_area=_area,
        sms_replies=True,
    )
)
