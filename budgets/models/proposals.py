"""Candidate projects and their prioritisation: proposals, the weighted criteria matrix and the scores."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.accounts.access import access_for
from kallpanchis.core.models import Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath
from municipalities.models import Municipality

from .agents import ParticipatingAgent
from .cycles import MONEY, BudgetCycle

# A prioritised project with no execution update for this long (and not finished) is flagged as stalled.
STALLED_AFTER_DAYS = 90


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProposalQuerySet":
        """Municipal staff and consortium read all proposals of the cycles they read; an agent's people
        read only their organisation's proposals; Comité de Vigilancia members read their cycle's."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        if access.consortium_wide:
            return self
        condition = Q(cycle__municipality__in=Municipality.objects.visible_to(user)) | Q(
            cycle__vigilance_members__user=user
        )
        if access.by_organisation:
            condition |= Q(agent__organisation_id__in=access.by_organisation.keys())
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))


class Proposal(Timestamped):
    """A project idea submitted by an agent; evaluated by the Equipo Técnico (admissible or not); scored if
    admissible."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for technical evaluation")
        ADMISSIBLE = "admissible", _("Admissible")
        NOT_ADMISSIBLE = "not_admissible", _("Not admissible")

    class InvestmentStatus(models.TextChoices):
        """Where the investment stands in Invierte.pe (D.Leg. 1252): only a formal declaration makes it
        'viable'; the Equipo Técnico's evaluation says admissible or not."""

        IDEA = "idea", _("Idea")
        PROFILE = "profile", _("Profile in preparation")
        VIABLE = "viable", _("Declared viable")
        TECHNICAL_FILE = "technical_file", _("Technical file")
        EXECUTING = "executing", _("Executing")

    class Funding(models.TextChoices):
        WHOLE = "whole", _("The whole project")
        TECHNICAL_FILE = "technical_file", _("Its technical file only")
        TRANCHE = "tranche", _("This year's tranche of a multi-year project")

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="proposals")
    agent = models.ForeignKey(
        ParticipatingAgent, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("agent")
    )
    title = models.CharField(_("project"), max_length=200)
    result = models.CharField(_("prioritised result it contributes to"), max_length=300)
    district = models.ForeignKey(
        "municipalities.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    cost = models.DecimalField(_("total cost (S/)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    cofinancing = models.DecimalField(
        _("co-financing offered (S/)"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    other_districts = models.ManyToManyField(
        "municipalities.District",
        blank=True,
        related_name="+",
        verbose_name=_("other districts it benefits"),
        help_text=_("A provincial municipality funds projects that reach more than one district."),
    )
    cui = models.CharField(
        _("CUI (Invierte.pe)"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{7}$", _("A CUI has 7 digits."))],
        help_text=_("The unique investment code, once the investment is registered in Invierte.pe."),
    )
    investment_status = models.CharField(
        _("status in Invierte.pe"),
        max_length=16,
        choices=InvestmentStatus.choices,
        default=InvestmentStatus.IDEA,
    )
    funding = models.CharField(
        _("the participatory budget funds"), max_length=16, choices=Funding.choices, default=Funding.WHOLE
    )
    stage_cost = models.DecimalField(
        _("cost of the technical file (S/)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        **MONEY,
    )
    # What the municipality is asked to pay in this fiscal year (set by proposal_submit from the funding).
    amount_this_year = models.DecimalField(_("amount this year (S/)"), null=True, blank=True, **MONEY)
    cofinancing_source = models.CharField(_("who co-finances"), max_length=200, blank=True)
    families = models.PositiveIntegerField(_("beneficiary families"))
    women = models.PositiveIntegerField(_("women among the beneficiaries"), default=0)
    description = models.TextField(_("description"), blank=True)
    document = models.FileField(
        _("document (profile, PDF or photo)"),
        upload_to=PrivatePath("budgets/proposals"),
        validators=[DocumentValidator(max_bytes=10 * 1024 * 1024)],
        blank=True,
    )
    status = models.CharField(
        _("evaluation"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    evaluation_reasons = models.TextField(_("reasons of the evaluation"), blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written by the allocation service (prioritisation); history kept in HistoryEntry.
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    total_score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    allocated = models.DecimalField(_("allocated (S/)"), null=True, blank=True, **MONEY)
    # Execution follow-up (latest figures; every update is an ExecutionUpdate and a HistoryEntry).
    progress_pct = models.PositiveSmallIntegerField(
        _("physical progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    spent = models.DecimalField(_("spent (S/)"), default=Decimal("0"), **MONEY)
    figures_on = models.DateField(_("figures as of"), null=True, blank=True)
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    # A funded project that cannot be executed leaves the allocation (see Replacement).
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("project proposal")
        verbose_name_plural = _("project proposals")
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="budget_proposal_cost_positive"),
            models.CheckConstraint(
                condition=Q(cofinancing__gte=0) & Q(cofinancing__lte=models.F("cost")),
                name="budget_proposal_cofinancing_within_cost",
            ),
            models.CheckConstraint(
                condition=Q(women__lte=models.F("families") * 20), name="budget_proposal_women_plausible"
            ),
            models.CheckConstraint(condition=Q(progress_pct__lte=100), name="budget_proposal_progress_max"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="budget_proposal_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(allocated__isnull=True) | Q(allocated__gte=0),
                name="budget_proposal_allocated_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_this_year__isnull=True) | Q(amount_this_year__gte=0),
                name="budget_proposal_amount_this_year_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"P-{self.pk:03d}"

    @property
    def requested(self) -> Decimal:
        """What the municipality is asked to pay in this fiscal year: the whole project less co-financing,
        the technical file only, or this year's tranche."""
        if self.amount_this_year is not None:
            return self.amount_this_year
        return self.cost - self.cofinancing

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    @property
    def prioritised(self) -> bool:
        return self.allocated is not None

    def flags(self, today: datetime.date, overdue_milestones: int = 0) -> list[str]:
        """'overdue' and/or 'stalled' for a prioritised project that is not finished."""
        if not self.prioritised or self.progress_pct >= 100:
            return []
        flags = []
        if overdue_milestones or (self.expected_end and self.expected_end < today):
            flags.append("overdue")
        started = datetime.date(self.cycle.fiscal_year, 1, 1)
        last = self.figures_on or started
        if today > started and (today - last).days > STALLED_AFTER_DAYS:
            flags.append("stalled")
        return flags


class Criterion(models.Model):
    """One line of the cycle's weighted criteria matrix."""

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=150)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    guidance = models.CharField(_("how to score"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=100), name="budget_criterion_weight_range"
            ),
            models.CheckConstraint(condition=Q(scale_max__gte=1), name="budget_criterion_scale_min"),
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    from_paper_sheet = models.BooleanField(_("typed from a paper score sheet"), default=False)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "criterion"], name="budget_score_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="budget_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class ProgrammedAmount(models.Model):
    """Multi-year programming of a project: what the municipality puts in each fiscal year."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="programming")
    year = models.PositiveIntegerField(_("fiscal year"))
    amount = models.DecimalField(_("amount (S/)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)

    class Meta:
        ordering = ["year"]
        verbose_name = _("programmed amount")
        verbose_name_plural = _("multi-year programming")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "year"], name="budget_programming_once_per_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_programming_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class Replacement(models.Model):
    """A funded project that cannot be executed, replaced by the next one in the ranking that fits
    (Instructivo 001-2010-EF/76.01); the CCL and the Comité de Vigilancia are told."""

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="replacements")
    withdrawn = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="withdrawal", verbose_name=_("project withdrawn")
    )
    replacement = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    reason = models.TextField(_("why it cannot be executed"))
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("replacement of a project")
        verbose_name_plural = _("replacements of projects")

    def __str__(self) -> str:
        return f"{self.withdrawn} → {self.replacement or '—'}"

    def reminder_context(self, kind: str):
        from django.urls import reverse

        from kallpanchis.notifications.registry import TargetContext

        title = f"{self.cycle.municipality} · {self.cycle.fiscal_year}: {self.withdrawn.title}"
        details = (
            _("Replaced by %(title)s.") % {"title": self.replacement.title}
            if self.replacement
            else str(_("No project in the ranking fits in what is left of the envelope."))
        )
        return TargetContext(
            title=title, path=reverse("budgets:execution", args=[self.cycle_id]), details=details
        )

    def reminder_checksum(self) -> str:
        from kallpanchis.notifications.registry import checksum_of

        return checksum_of(self.withdrawn_id, self.replacement_id)
