"""Candidate projects and their prioritisation: proposals, the weighted criteria matrix and the scores."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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
    """A project idea submitted by an agent; evaluated by the Equipo Técnico; scored if viable."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for technical evaluation")
        VIABLE = "viable", _("Viable")
        NOT_VIABLE = "not_viable", _("Not viable")

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
        _("evaluation"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
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
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"P-{self.pk:03d}"

    @property
    def requested(self) -> Decimal:
        """What the municipality is asked to pay."""
        return self.cost - self.cofinancing

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
