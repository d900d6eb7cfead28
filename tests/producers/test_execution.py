"""Execution reports on a validated plan: the workflow (a service per step, every step stamped), correction
refused once validated, who may do what (outside one's scope: 404), progress, lateness, reminders, the
offline sync applied exactly once, flat query counts, and photos cleaned of their metadata."""

import datetime
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image

from kallpanchis.notifications.models import Reminder
from producers import selectors
from producers.models import ExecutionPhoto, ExecutionReport, ReportingCalendar
from producers.reminders import EXECUTION_REPORT_DUE
from producers.services.execution import (
    ActivityExecution,
    ReportContent,
    calendar_set,
    report_correct,
    report_due_times,
    report_return,
    report_submit,
    report_validate,
)
from producers.services.photos import PhotoData, photo_clean

from .factories import association_in, leader_of, validated_plan

pytestmark = pytest.mark.django_db

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "S",
    ExifTags.GPS.GPSLatitude: (13.0, 28.0, 12.5),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (72.0, 9.0, 3.0),
}


def phone_jpeg(size=(3000, 2000), gps=True) -> bytes:
    """A photo as a phone makes it: big, with the camera, the owner's name, a date and (here) the place."""
    image = Image.new("RGB", size, (40, 120, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "Galaxy A03"
    exif[ExifTags.Base.Artist] = "Justina Huillca"
    exif[ExifTags.Base.DateTime] = "2010:06:12 10:31:00"
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def plan(association, leader, coordinator):
    return validated_plan(association, leader=leader, coordinator=coordinator)


def content(plan, period=2, done="6", own="1200", procompite="1500", photos=()) -> ReportContent:
    activity = plan.activities.get()
    spent = {k: Decimal(v) for k, v in {"own": own, "procompite": procompite}.items() if v}
    return ReportContent(
        period=period,
        note="Se sembró avena y vicia en 6 ha.",
        activities=[ActivityExecution(activity_id=activity.pk, quantity_done=Decimal(done), spent=spent)],
        photos=list(photos),
    )


def test_report_workflow_is_stamped_and_validated_report_is_locked(plan, leader, technician_anta):
    report = report_submit(by=leader, plan=plan, content=content(plan))
    assert (report.status, report.periodicity, report.period) == ("submitted", "quarter", 2)
    report = report_return(by=technician_anta, report=report, comment="Faltan las boletas de la semilla.")
    assert report.status == "returned"
    report = report_correct(
        by=leader, report=report, revision=report.revision, content=content(plan, done="7")
    )
    assert report.status == "corrected"
    assert report.lines.get().quantity_done == Decimal(7)
    report = report_validate(by=technician_anta, report=report, comment="Conforme.")
    assert report.status == "validated"
    steps = list(report.events.values_list("action", "from_status", "to_status", "by", "comment"))
    assert steps == [
        ("submitted", "", "submitted", leader.pk, ""),
        ("returned", "submitted", "returned", technician_anta.pk, "Faltan las boletas de la semilla."),
        ("corrected", "returned", "corrected", leader.pk, ""),
        ("validated", "corrected", "validated", technician_anta.pk, "Conforme."),
    ]


def test_a_validated_report_cannot_be_corrected(plan, leader, technician_anta):
    report = report_validate(
        by=technician_anta, report=report_submit(by=leader, plan=plan, content=content(plan))
    )
    with pytest.raises(ValidationError):
        report_correct(by=leader, report=report, revision=report.revision, content=content(plan, done="9"))
    stored = ExecutionReport.objects.get(pk=report.pk)
    assert (stored.status, stored.lines.get().quantity_done, stored.events.count()) == (
        "validated",
        Decimal(6),
        2,
    )


def test_a_return_needs_a_comment_and_only_a_report_under_review(plan, leader, technician_anta):
    report = report_submit(by=leader, plan=plan, content=content(plan))
    with pytest.raises(ValidationError):
        report_return(by=technician_anta, report=report, comment="  ")
    report_validate(by=technician_anta, report=report)
    with pytest.raises(ValidationError):
        report_return(by=technician_anta, report=report, comment="Tarde.")
    assert ExecutionReport.objects.get(pk=report.pk).status == "validated"


def test_only_a_validated_plan_is_reported_on(association, leader):
    from .factories import filled_plan

    draft = filled_plan(association, year=2011, by=leader)
    activity = draft.activities.first()
    with pytest.raises(ValidationError):
        report_submit(
            by=leader,
            plan=draft,
            content=ReportContent(
                period=1, activities=[ActivityExecution(activity_id=activity.pk, quantity_done=Decimal(1))]
            ),
        )
    assert not ExecutionReport.objects.filter(plan=draft).exists()


def test_one_report_per_period(plan, leader):
    report_submit(by=leader, plan=plan, content=content(plan))
    with pytest.raises(ValidationError):
        report_submit(by=leader, plan=plan, content=content(plan))
    with pytest.raises(ValidationError):
        report_submit(by=leader, plan=plan, content=content(plan, period=5))  # quarters: 1-4
    assert ExecutionReport.objects.filter(plan=plan).count() == 1


def test_leader_of_another_association_and_technician_of_another_province_are_refused(
    plan, leader, other_leader, technician_chumbivilcas, client
):
    with pytest.raises(PermissionDenied):
        report_submit(by=other_leader, plan=plan, content=content(plan))
    report = report_submit(by=leader, plan=plan, content=content(plan))
    with pytest.raises(PermissionDenied):
        report_validate(by=technician_chumbivilcas, report=report)
    with pytest.raises(PermissionDenied):
        report_correct(
            by=other_leader, report=report, revision=report.revision, content=content(plan, done="1")
        )
    assert ExecutionReport.objects.get(pk=report.pk).status == "submitted"
    pages = {
        other_leader: [
            reverse("producers:report_create", args=[plan.pk]),
            reverse("producers:report_detail", args=[report.pk]),
            reverse("producers:report_correct", args=[report.pk]),
            reverse("producers:report_validate", args=[report.pk]),
        ],
        technician_chumbivilcas: [
            reverse("producers:report_detail", args=[report.pk]),
            reverse("producers:report_validate", args=[report.pk]),
            reverse("producers:report_return", args=[report.pk]),
            reverse("producers:report_create", args=[plan.pk]),
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
            if url != reverse("producers:report_detail", args=[report.pk]):  # a page only read
                assert client.post(url, {"comment": "x"}).status_code == 404, (user, url)
        sync = reverse("producers:report_sync", args=[plan.pk])
        assert client.post(sync, {"draft": "{}"}).status_code == 404
    assert ExecutionReport.objects.get(pk=report.pk).status == "submitted"
    assert ExecutionReport.objects.count() == 1


def test_plan_progress_physical_percent_and_spending_per_source(plan, leader, technician_anta):
    report_validate(
        by=technician_anta,
        report=report_submit(
            by=leader, plan=plan, content=content(plan, period=1, done="2", own="300", procompite="")
        ),
    )
    report_submit(
        by=leader, plan=plan, content=content(plan, period=2, done="4", own="900", procompite="1500")
    )
    progress = selectors.plan_progress(plan=plan)
    assert progress["physical_pct"] == Decimal(60)
    assert [(s["source"], s["budget"], s["spent"], s["pct"]) for s in progress["by_source"]] == [
        ("own", Decimal("2000.00"), Decimal("1200.00"), Decimal(60)),
        ("procompite", Decimal("3000.00"), Decimal("1500.00"), Decimal(50)),
    ]
    by_period = {p.period: (p.spent, p.report.status if p.report else None) for p in progress["periods"]}
    assert by_period[1] == ({"own": Decimal("300.00"), "procompite": Decimal(0)}, "validated")
    assert by_period[2] == ({"own": Decimal("900.00"), "procompite": Decimal("1500.00")}, "submitted")
    assert by_period[3] == ({"own": Decimal(0), "procompite": Decimal(0)}, None)


def test_late_reports_are_flagged(plan, association, leader, coordinator):
    # The plan is of 2010: every quarter's due date (15 days after it ends) has passed.
    report_submit(by=leader, plan=plan, content=content(plan, period=1))
    periods = selectors.plan_periods(plan=plan)
    assert [(p.period, p.late) for p in periods] == [(1, True), (2, True), (3, True), (4, True)]
    assert periods[0].due == datetime.date(2010, 4, 15)
    this_year = timezone.localdate().year
    ReportingCalendar.objects.create(year=this_year, periodicity="month", due_days=10)
    current = validated_plan(association, leader=leader, coordinator=coordinator, year=this_year)
    months = selectors.plan_periods(plan=current)
    assert len(months) == 12
    today = timezone.localdate()
    assert all(p.late == (p.due < today) for p in months)


def test_reminders_before_and_after_each_due_date_stop_once_reported(association, leader, coordinator):
    year = timezone.localdate().year + 1  # every due date still to come
    plan = validated_plan(association, leader=leader, coordinator=coordinator, year=year)
    due_q1 = timezone.make_aware(datetime.datetime(year, 4, 15, 9, 0))
    times = report_due_times(plan=plan)
    assert times[:4] == [
        due_q1 - datetime.timedelta(days=7),
        due_q1 - datetime.timedelta(days=1),
        due_q1 + datetime.timedelta(days=3),
        due_q1 + datetime.timedelta(days=10),
    ]
    pending = Reminder.objects.filter(
        kind=EXECUTION_REPORT_DUE, object_id=plan.pk, status__in=Reminder.PENDING
    )
    assert set(pending.values_list("recipient", flat=True)) == {leader.pk}
    assert pending.count() == 16  # 4 quarters × (2 before + 2 after)
    report_submit(by=leader, plan=plan, content=content(plan, period=1))
    assert pending.count() == 12
    assert not pending.filter(due_at__lte=due_q1 + datetime.timedelta(days=10)).exists()


def test_monthly_calendar_is_set_by_a_coordinator_and_frozen_once_reported(plan, leader, coordinator):
    with pytest.raises(PermissionDenied):
        calendar_set(by=leader, year=2010, periodicity="month", due_days=10)
    calendar_set(by=coordinator, year=2010, periodicity="month", due_days=10)
    report = report_submit(by=leader, plan=plan, content=content(plan, period=11))
    assert (report.periodicity, report.period, report.period_label) == ("month", 11, "Noviembre")
    with pytest.raises(ValidationError):
        calendar_set(by=coordinator, year=2010, periodicity="quarter", due_days=10)
    assert ReportingCalendar.objects.get(year=2010).periodicity == "month"


def test_offline_sync_applies_a_report_exactly_once(client, plan, leader):
    client.force_login(leader)
    activity = plan.activities.get()
    draft = {
        "client_id": str(uuid.uuid4()),
        "period": 2,
        "note": "Sembramos con la helada encima.",
        "keep_gps": False,
        "activities": [
            {"activity": activity.pk, "done": "6", "spent": {"own": "1200", "procompite": "1500"}}
        ],
    }
    url = reverse("producers:report_sync", args=[plan.pk])
    first = client.post(url, {"draft": json.dumps(draft), "photos": io.BytesIO(phone_jpeg())})
    second = client.post(url, {"draft": json.dumps(draft), "photos": io.BytesIO(phone_jpeg())})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["report"] == second.json()["report"]
    assert (first.json()["duplicate"], second.json()["duplicate"]) == (False, True)
    report = ExecutionReport.objects.get()
    assert (report.period, report.submitted_by, report.photos.count()) == (2, leader, 1)
    assert report.lines.get().quantity_done == Decimal(6)
    assert ExecutionPhoto.objects.count() == 1


def test_offline_sync_refuses_a_damaged_report_and_a_signed_out_phone(client, plan, leader):
    url = reverse("producers:report_sync", args=[plan.pk])
    assert client.post(url, {"draft": "{}"}).status_code == 401
    client.force_login(leader)
    response = client.post(url, {"draft": json.dumps({"client_id": "nope", "period": 2})})
    assert response.status_code == 400
    assert response.json()["errors"] == ["El informe está dañado; ábralo y guárdelo de nuevo."]
    assert not ExecutionReport.objects.exists()


def test_report_list_query_count_is_flat(
    client, municipalities, coordinator, technician_anta, django_assert_max_num_queries
):
    def one_more(i):
        association = association_in("080308", name=f"Asociación Qollana {i}")
        leader = leader_of(association, email=f"lider{i}@example.pe")
        plan = validated_plan(association, leader=leader, coordinator=coordinator)
        report_submit(by=leader, plan=plan, content=content(plan))

    one_more(0)
    client.force_login(technician_anta)
    url = reverse("producers:report_list")
    with django_assert_max_num_queries(99) as one:
        assert client.get(url).status_code == 200
    for i in range(1, 25):
        one_more(i)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["reports"]) == 25


def test_plan_page_query_count_does_not_grow_with_reports(
    client, plan, leader, django_assert_max_num_queries
):
    client.force_login(leader)
    url = reverse("producers:plan_detail", args=[plan.pk])
    report_submit(by=leader, plan=plan, content=content(plan, period=1))
    with django_assert_max_num_queries(99) as one:
        assert client.get(url).status_code == 200
    for period in (2, 3, 4):
        report_submit(by=leader, plan=plan, content=content(plan, period=period))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert "4 informes atrasados." in page, page[page.find("section-progress") :][:1500]


def test_photo_loses_every_exif_tag_without_consent():
    clean = photo_clean(PhotoData(content=phone_jpeg(), keep_gps=False))
    image = Image.open(io.BytesIO(clean.file.file.getvalue()))
    assert (image.format, max(image.size), clean.gps_kept) == ("JPEG", 1600, False)
    assert (clean.width, clean.height) == (1600, 1067)
    assert dict(image.getexif()) == {}
    assert b"Galaxy" not in clean.file.file.getvalue() and b"Huillca" not in clean.file.file.getvalue()


def test_photo_keeps_only_the_place_with_consent():
    clean = photo_clean(PhotoData(content=phone_jpeg(), keep_gps=True))
    exif = Image.open(io.BytesIO(clean.file.file.getvalue())).getexif()
    assert clean.gps_kept is True
    assert set(exif) == {ExifTags.IFD.GPSInfo}
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert gps[ExifTags.GPS.GPSLatitudeRef] == "S"
    assert tuple(float(x) for x in gps[ExifTags.GPS.GPSLatitude]) == (13.0, 28.0, 12.5)
    assert b"Galaxy" not in clean.file.file.getvalue() and b"Huillca" not in clean.file.file.getvalue()


def test_photo_consent_without_gps_keeps_nothing_and_a_non_image_is_refused():
    clean = photo_clean(PhotoData(content=phone_jpeg(size=(800, 600), gps=False), keep_gps=True))
    assert (clean.gps_kept, clean.width, clean.height) == (False, 800, 600)
    assert dict(Image.open(io.BytesIO(clean.file.file.getvalue())).getexif()) == {}
    with pytest.raises(ValidationError):
        photo_clean(PhotoData(content=b"%PDF-1.4 not a photo"))


def test_photo_sent_with_the_form_is_stored_cleaned_and_served_only_in_scope(
    client, plan, leader, other_leader
):
    client.force_login(leader)
    activity = plan.activities.get()
    upload = io.BytesIO(phone_jpeg())
    upload.name = "IMG_20100612.jpg"
    response = client.post(
        reverse("producers:report_create", args=[plan.pk]),
        {
            "period": "2",
            f"a{activity.pk}_done": "6",
            f"a{activity.pk}_own": "1200",
            f"a{activity.pk}_procompite": "1500",
            "note": "Con foto.",
            "keep_gps": "on",
            "photos": upload,
        },
    )
    report = ExecutionReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "producers:report_detail", args=[report.pk]
    )
    photo = report.photos.get()
    assert photo.gps_kept is True and photo.image.name.startswith("private/producers/execution/")
    assert "IMG_20100612" not in photo.image.name
    served = client.get(reverse("producers:report_photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    client.force_login(other_leader)
    assert client.get(reverse("producers:report_photo", args=[photo.pk])).status_code == 404
