"""The framework and the review of reported values: who may do what, and what each transition changes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from results import services
from results.models import Indicator, Report, ReportEvent, Target

from .factories import assign, indicator, result_1

pytestmark = pytest.mark.django_db


def test_only_coordinators_define_indicators(coordinator, technician_anta):
    with pytest.raises(PermissionDenied):
        indicator(technician_anta)
    assert not Indicator.objects.exists()
    made = indicator(coordinator)
    assert (made.code, made.unit, made.disaggregations) == ("pastos", "ha", ["gender"])


def test_a_qualitative_indicator_needs_a_scale_and_a_quantitative_one_a_unit(coordinator):
    with pytest.raises(ValidationError) as error:
        indicator(coordinator, kind="qualitative", unit="", scale=["solo"])
    assert "scale" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        indicator(coordinator, code="otro", unit="")
    assert "unit" in error.value.message_dict
    assert not Indicator.objects.exists()


def test_target_and_reporter_set_once_per_municipality_and_year(coordinator, municipalities):
    ind = indicator(coordinator)
    assign(coordinator, ind, municipalities["anta"], target="300")
    periods = assign(coordinator, ind, municipalities["anta"], target="320")
    assert [p.number for p in periods] == [1, 2]
    assert list(Target.objects.values_list("value", flat=True)) == [Decimal("320")]
    services.target_set(
        by=coordinator, indicator=ind, municipality=municipalities["anta"], year=2026, value=None
    )
    assert not Target.objects.exists()


def test_only_the_assigned_reporter_submits(
    coordinator, technician_anta, technician_chumbivilcas, municipalities
):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"])
    with pytest.raises(PermissionDenied):
        services.report_submit(
            by=technician_chumbivilcas,
            indicator=ind,
            municipality=municipalities["anta"],
            period=s1,
            value=10,
        )
    with pytest.raises(PermissionDenied):  # Chumbivilcas has no reporter assigned
        services.report_submit(
            by=technician_chumbivilcas,
            indicator=ind,
            municipality=municipalities["chumbivilcas"],
            period=s1,
            value=1,
        )
    assert not Report.objects.exists()
    report = services.report_submit(
        by=technician_anta,
        indicator=ind,
        municipality=municipalities["anta"],
        period=s1,
        value=Decimal("120"),
    )
    assert (report.state, report.version, report.value) == ("submitted", 1, Decimal("120"))
    assert list(report.events.values_list("action", flat=True)) == ["submitted"]


def test_disaggregated_figures_add_up_or_say_why(coordinator, technician_anta, municipalities):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"])
    kwargs = {"by": technician_anta, "indicator": ind, "municipality": municipalities["anta"], "period": s1}
    with pytest.raises(ValidationError) as error:
        services.report_submit(
            **kwargs, value=Decimal("120"), disaggregation={"gender": {"female": 70, "male": 40}}
        )
    assert "mismatch_reason" in error.value.message_dict
    assert not Report.objects.exists()
    with pytest.raises(ValidationError):  # a dimension the indicator does not have
        services.report_submit(**kwargs, value=Decimal("120"), disaggregation={"age_group": {"youth": 120}})
    report = services.report_submit(
        **kwargs, value=Decimal("120"), disaggregation={"gender": {"female": "70", "male": "50"}}
    )
    assert report.disaggregation == {"gender": {"female": "70", "male": "50"}}
    report = services.report_submit(
        **kwargs,
        value=Decimal("120"),
        disaggregation={"gender": {"female": "70", "male": "40"}},
        mismatch_reason="10 ha comunales, sin titular",
    )
    assert (report.version, report.mismatch_reason) == (1, "10 ha comunales, sin titular")
    assert Report.objects.count() == 1


def test_return_then_resubmit_then_approve(coordinator, technician_anta, municipalities):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"])
    kwargs = {"indicator": ind, "municipality": municipalities["anta"], "period": s1}
    report = services.report_submit(by=technician_anta, **kwargs, value=Decimal("120"))
    with pytest.raises(PermissionDenied):
        services.report_approve(by=technician_anta, report=report)
    with pytest.raises(ValidationError):
        services.report_return(by=coordinator, report=report, comment="  ")
    services.report_return(by=coordinator, report=report, comment="Falta la foto")
    with pytest.raises(ValidationError):  # a returned value waits for its reporter, not for review
        services.report_approve(by=coordinator, report=report)
    report = services.report_submit(by=technician_anta, **kwargs, value=Decimal("135"))
    report = services.report_approve(by=coordinator, report=report)
    assert (report.state, report.version, report.value, report.review_comment) == (
        "approved",
        1,
        Decimal("135"),
        "",
    )
    assert list(ReportEvent.objects.values_list("action", "comment")) == [
        ("submitted", ""),
        ("returned", "Falta la foto"),
        ("submitted", ""),
        ("approved", ""),
    ]


def test_an_approved_value_changes_only_through_a_new_version(coordinator, technician_anta, municipalities):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"])
    kwargs = {"indicator": ind, "municipality": municipalities["anta"], "period": s1}
    first = services.report_approve(
        by=coordinator, report=services.report_submit(by=technician_anta, **kwargs, value=Decimal("135"))
    )
    with pytest.raises(ValidationError):
        services.report_submit(by=technician_anta, **kwargs, value=Decimal("140"))
    with pytest.raises(ValidationError):
        services.report_correct(by=technician_anta, report=first, reason="", value=Decimal("140"))
    second = services.report_correct(
        by=technician_anta, report=first, reason="Acta de campo", value=Decimal("140")
    )
    assert (second.version, second.state, second.supersedes_id, second.correction_reason) == (
        2,
        "submitted",
        first.pk,
        "Acta de campo",
    )
    first.refresh_from_db()
    assert (first.state, first.value) == ("approved", Decimal("135"))
    with pytest.raises(ValidationError):  # only the latest version is corrected
        services.report_correct(by=technician_anta, report=first, reason="otra", value=Decimal("1"))


@pytest.mark.postgres
def test_the_database_refuses_to_change_an_approved_row(coordinator, technician_anta, municipalities):
    ind = indicator(coordinator)
    s1, _s2 = assign(coordinator, ind, municipalities["anta"])
    report = services.report_approve(
        by=coordinator,
        report=services.report_submit(
            by=technician_anta,
            indicator=ind,
            municipality=municipalities["anta"],
            period=s1,
            value=Decimal("135"),
        ),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(value=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).delete()
    report.refresh_from_db()
    assert report.value == Decimal("135")


def test_a_leader_reports_when_their_association_is_assigned(coordinator, municipalities):
    from kallpanchis.organisations.models import Organisation
    from kallpanchis.organisations.services import organisation_ensure
    from tests.accounts.factories import person_with_role

    association = organisation_ensure(name="Asociación Lechera Zurite", kind=Organisation.Kind.PRODUCER)
    leader = person_with_role("leader", association, email="lider.zurite@example.pe")
    ind = indicator(coordinator, disaggregations=[])
    s1, _s2 = assign(coordinator, ind, municipalities["anta"], association=association)
    report = services.report_submit(
        by=leader, indicator=ind, municipality=municipalities["anta"], period=s1, value=5
    )
    assert report.submitted_by == leader
    municipal = assign(coordinator, ind, municipalities["chumbivilcas"])
    with pytest.raises(PermissionDenied):
        services.report_submit(
            by=leader,
            indicator=ind,
            municipality=municipalities["chumbivilcas"],
            period=municipal[0],
            value=5,
        )
    assert result_1().indicators.count() == 1
