"""A cycle: a municipality's participatory budget for one fiscal year, its phases and steps."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from kallpanchis.core.models import Gender, Timestamped
from municipalities.models import Municipality

MONEY = {"max_digits": 14, "decimal_places": 2}
RUNNING_ROLES = (Role.TECHNICAL_TEAM, Role.TECHNICIAN, Role.MUNICIPAL_ADMIN)


class BudgetCycleQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BudgetCycleQuerySet":
        """Consortium-wide roles read every cycle; municipal staff read their municipality's cycles (a
        provincial municipality's, also its districts'); an agent organisation's people read the cycles it
        is registered in; Comité de Vigilancia members read their cycle."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        if access.consortium_wide:
            return self
        condition = Q(municipality__in=Municipality.objects.visible_to(user))
        if access.by_organisation:
            condition |= Q(agents__organisation_id__in=access.by_organisation.keys())
        condition |= Q(vigilance_members__user=user)
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))

    def editable_by(self, user) -> "BudgetCycleQuerySet":
        """The municipality's budget team, technicians and administrators run its cycles."""
        access = access_for(user)
        if access.superuser:
            return self
        return self.filter(municipality__organisation_id__in=access.organisations_with(*RUNNING_ROLES))


class BudgetCycle(Timestamped):
    """A municipality's participatory budget for one fiscal year (run during the year before)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="budget_cycles", verbose_name=_("municipality")
    )
    fiscal_year = models.PositiveIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2008), MaxValueValidator(2100)]
    )
    envelope = models.DecimalField(
        _("envelope for the participatory budget (S/)"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    ordinance_reference = models.CharField(
        _("ordinance"),
        max_length=150,
        blank=True,
        help_text=_("For example: Ordenanza Municipal 012-2026-MPA"),
    )
    prioritised_results = models.TextField(
        _("prioritised results"),
        blank=True,
        help_text=_("One result per line, as agreed in the diagnosis workshop."),
    )
    agents_commitments = models.TextField(_("commitments of the participating agents"), blank=True)
    # Who signs the acta for the municipality (the title follows the gender: Alcalde, Alcaldesa).
    mayor_name = models.CharField(_("mayor's name"), max_length=150, blank=True)
    mayor_gender = models.CharField(
        _("mayor's gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED
    )
    # The CCL gives its opinion on the ordinance and hears the results (Ley 28056 art. 5; D.S. 142-2009-EF).
    ccl_opinion = models.TextField(_("opinion of the CCL on the ordinance"), blank=True)
    ccl_opinion_on = models.DateField(_("date of the CCL's opinion"), null=True, blank=True)
    results_to_ccl_on = models.DateField(_("results presented to the CCL on"), null=True, blank=True)
    results_to_council_on = models.DateField(
        _("results presented to the municipal council on"), null=True, blank=True
    )
    # Accreditation as practised (Instructivo 001-2010-EF/76.01): requirements, preliminary list, challenges
    # (tachas), final list, each published on the public page.
    accreditation_requirements = models.TextField(
        _("requirements and documents for accreditation"),
        blank=True,
        help_text=_("One requirement per line, as the ordinance states them."),
    )
    preliminary_list_on = models.DateField(_("preliminary list published on"), null=True, blank=True)
    challenges_until = models.DateField(_("challenges (tachas) accepted until"), null=True, blank=True)
    final_list_on = models.DateField(_("final list published on"), null=True, blank=True)
    # The formalisation workshop that signs the acta.
    acta_signed_on = models.DateField(_("acta signed on"), null=True, blank=True)
    acta_agents_present = models.PositiveIntegerField(
        _("agents present at the signing"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BudgetCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "municipality__organisation__name"]
        verbose_name = _("participatory-budget cycle")
        verbose_name_plural = _("participatory-budget cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year"],
                name="budget_cycle_once_per_year",
                violation_error_message=_("This municipality already has a cycle for this fiscal year."),
            ),
            models.CheckConstraint(condition=Q(envelope__gte=0), name="budget_cycle_envelope_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.fiscal_year}"

    @property
    def results_list(self) -> list[str]:
        return [line.strip() for line in self.prioritised_results.splitlines() if line.strip()]

    @property
    def requirements_list(self) -> list[str]:
        return [line.strip() for line in self.accreditation_requirements.splitlines() if line.strip()]

    @property
    def mayor_title(self) -> str:
        """Alcaldesa or Alcalde (Alcalde(sa) when the gender is not stated)."""
        from django.utils.translation import pgettext

        if self.mayor_gender == Gender.FEMALE:
            return pgettext("held by a woman", "Mayor")
        if self.mayor_gender == Gender.MALE:
            return pgettext("held by a man", "Mayor")
        return str(_("Mayor"))


class PhaseKind(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    CONCERTATION = "concertation", _("Concertation")
    COORDINATION = "coordination", _("Coordination between levels of government")
    FORMALISATION = "formalisation", _("Formalisation")


PHASE_ORDER = {kind: i for i, kind in enumerate(PhaseKind.values, start=1)}


class Phase(models.Model):
    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    position = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["cycle", "position"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="budget_phase_once_per_cycle"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="budget_phase_dates"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def deadline_at(self):
        """The moment the phase closes: the end of its last day, in Lima."""
        return timezone.make_aware(datetime.datetime.combine(self.ends_on, datetime.time(23, 59)))

    def reminder_context(self, kind: str):
        from kallpanchis.notifications.registry import TargetContext

        return TargetContext(
            title=f"{self.cycle.municipality} · {self.cycle.fiscal_year}: {self.get_kind_display()}",
            when=self.deadline_at(),
            path=reverse("budgets:cycle_timeline", args=[self.cycle_id]),
        )

    def reminder_checksum(self) -> str:
        from kallpanchis.notifications.registry import checksum_of

        return checksum_of(self.ends_on)


class Step(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("step"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["phase__position", "position"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="budget_step_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """In the reader's language when it is one of the default steps (see calendar.step_name_shown)."""
        from ..calendar import step_name_shown  # calendar imports this module

        return step_name_shown(self.name)
