"""Execution of a validated plan: what the association did and spent, reported per period (quarter by
default, month when the year's calendar says so), reviewed by a technician."""

import datetime
from calendar import monthrange

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Timestamped
from kallpanchis.core.uploads import PrivatePath

from .associations import AssociationScope
from .plans import Activity, BudgetSource, OperatingPlan


class Periodicity(models.TextChoices):
    QUARTER = "quarter", _("Quarterly")
    MONTH = "month", _("Monthly")


REPORT_DUE_DAYS = 15  # a period's report is due this many days after the period ends


class ReportingCalendar(models.Model):
    """How often associations report on their plans of a year (set by a coordinator; else quarterly)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    periodicity = models.CharField(
        _("reporting period"), max_length=8, choices=Periodicity.choices, default=Periodicity.QUARTER
    )
    due_days = models.PositiveSmallIntegerField(_("days after the period to report"), default=REPORT_DUE_DAYS)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reporting calendar")
        verbose_name_plural = _("reporting calendars")
        constraints = [models.CheckConstraint(condition=Q(due_days__lte=90), name="calendar_due_days_sane")]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_periodicity_display()}"


def period_count(periodicity: str) -> int:
    return 4 if periodicity == Periodicity.QUARTER else 12


def period_bounds(year: int, periodicity: str, period: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period of a year."""
    if periodicity == Periodicity.QUARTER:
        first_month, last_month = 3 * period - 2, 3 * period
    else:
        first_month = last_month = period
    return (
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, monthrange(year, last_month)[1]),
    )


def period_due(year: int, periodicity: str, period: int, due_days: int = REPORT_DUE_DAYS) -> datetime.date:
    return period_bounds(year, periodicity, period)[1] + datetime.timedelta(days=due_days)


def period_label(periodicity: str, period: int) -> str:
    from django.utils.translation import gettext

    from kallpanchis.core.templatetags.wording import month_name

    if periodicity == Periodicity.QUARTER:
        return gettext("Quarter %(n)s") % {"n": period}
    return str(month_name(period, "long")).capitalize()


class ExecutionReportQuerySet(AssociationScope, models.QuerySet):
    prefix = "plan__association__"


class ExecutionReport(Timestamped):
    """One period's report on a validated plan. Corrected only while not validated; history in events."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Sent")
        RETURNED = "returned", _("Returned")
        CORRECTED = "corrected", _("Corrected")
        VALIDATED = "validated", _("Validated")

    IN_REVIEW = (Status.SUBMITTED, Status.CORRECTED)
    CORRECTABLE = (Status.SUBMITTED, Status.RETURNED, Status.CORRECTED)

    plan = models.ForeignKey(OperatingPlan, on_delete=models.PROTECT, related_name="execution_reports")
    periodicity = models.CharField(_("reporting period"), max_length=8, choices=Periodicity.choices)
    period = models.PositiveSmallIntegerField(_("period"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    note = models.TextField(_("short note"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("first sent"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1)

    objects = ExecutionReportQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "period"]
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")
        constraints = [
            models.UniqueConstraint(fields=["plan", "periodicity", "period"], name="execution_report_once"),
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=12) & (Q(periodicity="month") | Q(period__lte=4)),
                name="execution_report_period_in_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.periodicity, self.period)

    @property
    def is_correctable(self) -> bool:
        return self.status in self.CORRECTABLE


class ExecutionLine(models.Model):
    """How much of one activity's goal was done in the period (in the activity's unit)."""

    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="lines")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="execution_lines")
    quantity_done = models.DecimalField(_("quantity done"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["activity__position", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="execution_line_once"),
            models.CheckConstraint(condition=Q(quantity_done__gte=0), name="execution_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.quantity_done}"


class ExecutionSpending(models.Model):
    """Money one funding source spent on one activity in the period (S/)."""

    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="spending")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="execution_spending")
    source = models.CharField(_("source"), max_length=12, choices=BudgetSource.choices)
    amount = models.DecimalField(_("spent (S/)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["activity__position", "source"]
        constraints = [
            models.UniqueConstraint(fields=["report", "activity", "source"], name="execution_spending_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="execution_spending_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.amount}"


class ExecutionPhoto(models.Model):
    """A photo of the work, resized on the server; EXIF removed except GPS when the person agreed."""

    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=PrivatePath("producers/execution"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    gps_kept = models.BooleanField(_("place kept"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name


class ExecutionEvent(models.Model):
    """One step of a report's life, stamped like a plan's (PlanEvent)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Sent")
        CORRECTED = "corrected", _("Corrected")
        RETURNED = "returned", _("Returned with comments")
        VALIDATED = "validated", _("Validated")

    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=10, choices=ExecutionReport.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ExecutionReport.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y %H:%M}"
