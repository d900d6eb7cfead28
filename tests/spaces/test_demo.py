import io
import time

import pytest
from django.utils import timezone

from spaces.models import Agreement, Attendance, ConcertationSpace, Meeting, MeetingEvent

pytestmark = pytest.mark.django_db


def test_demo_has_the_seed_spaces_two_years_of_meetings_and_runs_again_without_adding(territory, client):
    from kallpanchis.accounts import demo as accounts_demo
    from kallpanchis.organisations import demo as organisations_demo
    from municipalities import demo as municipalities_demo
    from spaces import demo

    out = io.StringIO()
    organisations_demo.seed(out)
    municipalities_demo.seed(out)
    accounts_demo.seed(out)
    started = time.monotonic()
    demo.seed(out)
    elapsed = time.monotonic() - started
    assert elapsed < 30, elapsed

    anta = ConcertationSpace.objects.get(name="Espacio Técnico de Desarrollo Económico de Anta")
    assert sorted(anta.subspaces.values_list("thematic_group__name", flat=True)) == [
        "Cuyes",
        "Gastronomía",
        "Leche y derivados lácteos",
    ]
    chumbi = ConcertationSpace.objects.get(
        name__startswith="Espacio de Concertación para el Desarrollo Provincial"
    )
    assert sorted(chumbi.subspaces.values_list("kind", flat=True)) == ["political", "technical", "thematic"]
    assert ConcertationSpace.objects.filter(
        municipality__district__ubigeo="080704", kind="development"
    ).exists()

    held = Meeting.objects.filter(status="held")
    assert held.count() > 100
    assert {"held", "cancelled", "planned"} <= set(Meeting.objects.values_list("status", flat=True))
    assert MeetingEvent.objects.filter(kind="postponed").exists()
    women = Attendance.objects.filter(gender="female").count() / Attendance.objects.count()
    assert 0.35 < women < 0.45
    assert set(Agreement.objects.values_list("status", flat=True)) == {
        "pending",
        "in_progress",
        "done",
        "dropped",
    }

    # The demo leader's association sits in Anta's spaces, so the leader sees them.
    from kallpanchis.accounts.models import User

    leader = User.objects.get(email="lider@demo.kallpanchis.pe")
    assert ConcertationSpace.objects.visible_to(leader).filter(pk=anta.pk).exists()

    # Upcoming meetings invite the members and remind the leader (through the service), at lead times
    # still ahead; open agreements not yet due remind someone; nothing is due at once.
    from kallpanchis.notifications.models import Reminder

    planned = Meeting.objects.filter(status="planned")
    assert planned.exists() and not planned.filter(invited=None).exists()
    pending = Reminder.objects.filter(status=Reminder.Status.SCHEDULED)
    assert pending.filter(kind="meeting_upcoming", recipient=leader).exists()
    assert pending.filter(kind="agreement_due").exists()
    assert not pending.filter(due_at__lte=timezone.now()).exists()

    before = (ConcertationSpace.objects.count(), Meeting.objects.count(), Attendance.objects.count())
    demo.seed(out)
    assert (ConcertationSpace.objects.count(), Meeting.objects.count(), Attendance.objects.count()) == before
    print(out.getvalue().splitlines()[-1], f"({elapsed:.1f} s)")
    every_page_renders(client)


def every_page_renders(client):
    """Each page of the app, as the demo technician and the demo leader, on the demo's volume."""
    from django.urls import reverse

    from kallpanchis.accounts.models import User

    for email in ("tecnico.anta@demo.kallpanchis.pe", "lider@demo.kallpanchis.pe"):
        client.force_login(User.objects.get(email=email))
        spaces = client.get(reverse("spaces:space_list")).context["spaces"]
        assert spaces
        for space in spaces:
            assert client.get(reverse("spaces:space_detail", args=[space.pk])).status_code == 200
        meetings = list(client.get(reverse("spaces:meeting_list")).context["meetings"])
        assert meetings
        for meeting in meetings[:5]:
            assert client.get(reverse("spaces:meeting_detail", args=[meeting.pk])).status_code == 200
        held = next(m for m in meetings if m.status == "held")
        assert client.get(reverse("spaces:meeting_acta", args=[held.pk])).content.startswith(b"%PDF-")
        agreements = client.get(reverse("spaces:agreement_list"), {"overdue": "on"}).context["agreements"]
        assert client.get(reverse("spaces:agreement_detail", args=[agreements[0].pk])).status_code == 200
    public = ConcertationSpace.objects.filter(is_public=True).first()
    client.logout()
    assert client.get(reverse("spaces:public_space", args=[public.pk])).status_code == 200
