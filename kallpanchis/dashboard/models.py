"""Indicators as data (expected result, unit, baseline, yearly targets, how computed, disaggregations) and the
precomputed facts the dashboard reads.

The dashboard never sums source rows while a page is served: `Fact` holds each measure already aggregated by
year, place, thematic line and gender (refreshed by Celery, see services.facts_refresh). Places are stored as
INEI UBIGEO codes, not foreign keys, so this app depends on no domain app.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.fields import ChoiceListField
from kallpanchis.core.indicators import ALL


class ExpectedResult(models.IntegerChoices):
    PRODUCTION = 1, _("1. Secure production; pastures and water managed")
    MARKETS = 2, _("2. Better quality, fair prices, short circuits")
    MUNICIPAL = 3, _("3. Municipal concertation and management")


class Disaggregation(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    LINE = "line", _("Thematic line")
    GENDER = "gender", _("Gender")


class Indicator(models.Model):
    """What the project promised and how progress is measured. `code` names the computation registered by a
    domain app's indicators.py (see kallpanchis/core/indicators.py)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    result = models.PositiveSmallIntegerField(_("expected result"), choices=ExpectedResult.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    computation = models.TextField(_("how it is computed"))
    disaggregations = ChoiceListField(
        _("disaggregations"), item_choices=Disaggregation.choices, default=list, blank=True
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)

    class Meta:
        ordering = ["result", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    def disaggregated_by(self, what: str) -> bool:
        return what in self.disaggregations


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("yearly target")
        verbose_name_plural = _("yearly targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_once_per_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="target_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class Fact(models.Model):
    """One measure, already aggregated, for one year, place, line and gender. `line` / `gender` = "*" is the
    total over all lines / genders (a record may count in several lines, so lines are not added up).
    `province` is empty for work not tied to a province (an inter-provincial mancomunidad); `district` is
    empty for work at province level (a provincial municipality's space or budget)."""

    measure = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    province = models.CharField(max_length=4, blank=True)
    district = models.CharField(max_length=6, blank=True)
    line = models.CharField(max_length=20, default=ALL)
    gender = models.CharField(max_length=10, default=ALL)
    value = models.DecimalField(max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("precomputed figure")
        verbose_name_plural = _("precomputed figures")
        indexes = [
            # The dashboard reads pre-added rows (province/district "*") of one line; the map and the
            # drill-down read the rows of one province or one district.
            models.Index(fields=["line", "province", "district", "measure"], name="fact_line_place_measure"),
            models.Index(fields=["line", "district"], name="fact_line_district"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} {self.district or self.province} {self.line} {self.gender}"


class Refresh(models.Model):
    """When the facts were last rebuilt, and how long it took (one row per rebuild; the latest counts)."""

    finished_at = models.DateTimeField(_("refreshed at"))
    seconds = models.FloatField()
    facts = models.PositiveIntegerField()

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.facts})"


class MeasureSource(models.Model):
    """The tables a measure read at the last full rebuild (from its SQL): a write to one of them makes the
    measure's facts out of date (services.facts_refresh_changed)."""

    measure = models.CharField(max_length=40, primary_key=True)
    tables = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.measure}: {', '.join(self.tables)}"


class FactChange(models.Model):
    """A table written since the facts were last brought up to date: one row per writing transaction and
    table, inserted by the statement trigger `dashboard_fact_change()` the full rebuild puts on every table a
    measure reads (whoever writes: a service, the admin, a bulk update); the incremental refresh reads and
    deletes them."""

    table = models.CharField(max_length=63)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.table
