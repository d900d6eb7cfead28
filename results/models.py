"""The results framework coordinators define in the platform: expected results, indicators (quantitative or
qualitative), reporting periods, targets per municipality, who reports, and the reported values with their
review.

A reported value is never edited once approved: a correction is a new version (`Report.version` + 1, with
`supersedes` and a reason) that goes through review again; the figure that counts is the latest approved
version. Migration 0002 puts a PostgreSQL trigger behind that rule.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.core.fields import ChoiceListField
from kallpanchis.core.models import Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath


class Frequency(models.TextChoices):
    YEAR = "year", _("Year")
    SEMESTER = "semester", _("Semester")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


PERIODS_PER_YEAR = {Frequency.YEAR: 1, Frequency.SEMESTER: 2, Frequency.QUARTER: 4, Frequency.MONTH: 12}


class Dimension(models.TextChoices):
    GENDER = "gender", _("Gender")
    AGE_GROUP = "age_group", _("Age group")
    DISTRICT = "district", _("District")
    LINE = "line", _("Thematic line")


class TimeAggregation(models.TextChoices):
    SUM = "sum", _("Sum of the periods")
    LATEST = "latest", _("Latest period")
    AVERAGE = "average", _("Average of the periods")


class PlaceAggregation(models.TextChoices):
    SUM = "sum", _("Sum of the places")
    AVERAGE = "average", _("Average of the places")


class ExpectedResult(Timestamped):
    """What the project means to change (the logical framework's result)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Indicator(Timestamped):
    """How progress on a result is measured, as coordinators define it: no code per indicator."""

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("Quantitative (a number)")
        QUALITATIVE = "qualitative", _("Qualitative (narrative on a scale)")

    result = models.ForeignKey(
        ExpectedResult, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("expected result")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUANTITATIVE)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    # A qualitative indicator's levels, lowest first ("none", "started", "in place", …): a report picks one.
    scale = models.JSONField(_("scale"), default=list, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    frequency = models.CharField(
        _("reporting period"), max_length=10, choices=Frequency.choices, default=Frequency.SEMESTER
    )
    disaggregations = ChoiceListField(
        _("disaggregations"), item_choices=Dimension.choices, default=list, blank=True
    )
    time_aggregation = models.CharField(
        _("over time"), max_length=10, choices=TimeAggregation.choices, default=TimeAggregation.SUM
    )
    place_aggregation = models.CharField(
        _("over places"), max_length=10, choices=PlaceAggregation.choices, default=PlaceAggregation.SUM
    )
    definition = models.TextField(_("definition"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["result__number", "position", "code"]
        verbose_name = pgettext_lazy("results framework", "indicator")
        verbose_name_plural = pgettext_lazy("results framework", "indicators")
        constraints = [
            models.CheckConstraint(condition=Q(decimals__lte=4), name="results_indicator_decimals_max4"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name

    @property
    def is_quantitative(self) -> bool:
        return self.kind == self.Kind.QUANTITATIVE

    @property
    def disaggregations_display(self) -> str:
        labels = dict(Dimension.choices)
        return ", ".join(str(labels.get(d, d)) for d in self.disaggregations)


class Period(models.Model):
    """One reporting period of the calendar: semester 1 of 2027, quarter 3 of 2026…"""

    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    due_on = models.DateField(_("report due on"))

    class Meta:
        ordering = ["year", "frequency", "number"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["frequency", "year", "number"], name="results_period_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="results_period_order"
            ),
        ]

    def __str__(self) -> str:
        if self.frequency == Frequency.YEAR:
            return str(self.year)
        labels = {
            Frequency.SEMESTER: _("Semester %(n)s %(year)s"),
            Frequency.QUARTER: _("Quarter %(n)s %(year)s"),
            Frequency.MONTH: _("Month %(n)s %(year)s"),
        }
        return str(labels[self.frequency]) % {"n": self.number, "year": self.year}


class Target(models.Model):
    """What a municipality should reach on an indicator in a year (period empty) or in one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="result_targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.ForeignKey(Period, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["indicator", "municipality", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year"],
                condition=Q(period__isnull=True),
                name="results_target_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "municipality", "period"],
                condition=Q(period__isnull=False),
                name="results_target_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.municipality_id} {self.year}: {self.value}"


class Assignment(models.Model):
    """Who reports an indicator for a municipality: its municipal staff, or (association set) the leaders of
    that producer association."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="assignments")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="result_assignments"
    )
    association = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="result_assignments",
        verbose_name=_("producer association"),
    )

    class Meta:
        verbose_name = _("reporter assignment")
        verbose_name_plural = _("reporter assignments")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "municipality"], name="results_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} → {self.municipality_id}"

    def reminder_context(self, kind: str):
        """What a reporting reminder says (results/reminders.py): the indicator and the municipality, and
        the reporter's list of periods to report."""
        from django.urls import reverse
        from django.utils.translation import gettext

        from kallpanchis.notifications.registry import TargetContext

        return TargetContext(
            title=f"{self.indicator.name} · {self.municipality.organisation.name}",
            path=reverse("results:report_list"),
            details=gettext("Report the value of each period before its due date."),
        )

    def reminder_checksum(self) -> str:
        """Another reporter (an association instead of the municipality) or another calendar: the pending
        reminders were for someone or something else."""
        from kallpanchis.notifications.registry import checksum_of

        return checksum_of(self.association_id, self.indicator.frequency, self.indicator.active)


class ReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=Report.State.APPROVED)


class Report(Timestamped):
    """A value reported for one indicator, municipality and period, in one version."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="reports")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="result_reports"
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(_("version"), default=1, validators=[MinValueValidator(1)])
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level on the scale"), null=True, blank=True)
    # {"gender": {"female": "70", "male": "65"}, "age_group": {...}}: figures as decimal strings.
    disaggregation = models.JSONField(_("disaggregated figures"), default=dict, blank=True)
    mismatch_reason = models.TextField(_("why the figures do not add up"), blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    evidence = models.FileField(
        _("evidence (photo or document)"),
        upload_to=PrivatePath("results"),
        validators=[DocumentValidator()],
        blank=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    submitted_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "municipality", "period", "-version"]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "period", "version"], name="results_report_version_once"
            ),
            models.CheckConstraint(
                condition=Q(version=1) | Q(supersedes__isnull=False), name="results_report_correction_links"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.municipality_id} {self.period} v{self.version}"

    @property
    def level_label(self) -> str:
        scale = self.indicator.scale or []
        return scale[self.level] if self.level is not None and self.level < len(scale) else ""

    @property
    def disaggregation_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(dimension, [(category, figure)]) with the labels people read (districts and lines by code)."""
        from kallpanchis.core.models import Gender

        from .categories import AGE_GROUPS

        names = {**dict(Gender.choices), **dict(AGE_GROUPS)}
        dimensions = dict(Dimension.choices)
        return [
            (str(dimensions.get(d, d)), [(str(names.get(c, c)), figure) for c, figure in parts.items()])
            for d, parts in (self.disaggregation or {}).items()
        ]

    @property
    def figure(self) -> Decimal | None:
        return (
            self.value
            if self.indicator.is_quantitative
            else (Decimal(self.level) if self.level is not None else None)
        )


class ReportEvent(models.Model):
    """The history of a report: each transition, by whom, when and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        CORRECTED = "corrected", _("Correction opened")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
