"""Participatory-budget cycles as Ley 28056 (amended by Ley 29298), DS 142-2009-EF and Instructivo
001-2010-EF/76.01 run them: phases and steps, participating agents, Equipo Técnico, Comité de Vigilancia,
workshops, proposals, the criteria matrix, scores, allocation, execution follow-up and its history."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from kallpanchis.core.models import Gender, Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath
from municipalities.models import Municipality

MONEY = {"max_digits": 14, "decimal_places": 2}
RUNNING_ROLES = (Role.BUDGET_TEAM, Role.TECHNICIAN, Role.MUNICIPAL_ADMIN)
# A prioritised project with no execution update for this long (and not finished) is flagged as stalled.
STALLED_AFTER_DAYS = 90


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
        from .calendar import step_name_shown  # calendar imports this module

        return step_name_shown(self.name)


class ParticipatingAgentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those who read the cycle read its agents; the organisation's people read their own."""
        return self.filter(cycle__in=BudgetCycle.objects.visible_to(user))


class ParticipatingAgent(models.Model):
    """An organisation registered to take part in a cycle (a producer association through its leader)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for accreditation")
        ACCREDITED = "accredited", _("Accredited")
        REFUSED = "refused", _("Not accredited")

    class Kind(models.TextChoices):
        CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
        CCL = "ccl", _("Local coordination council (CCL)")
        PUBLIC = "public", _("Public institution")

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="agents")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="budget_participations",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(
        _("kind of agent"), max_length=20, choices=Kind.choices, default=Kind.CIVIL_SOCIETY
    )
    status = models.CharField(
        _("accreditation"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    decision_note = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    objects = ParticipatingAgentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("participating agent")
        verbose_name_plural = _("participating agents")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organisation"],
                name="budget_agent_once_per_cycle",
                violation_error_message=_("This organisation is already registered in this cycle."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Delegate(models.Model):
    """A person who speaks and votes for an agent in the workshops (personal data: never public)."""

    agent = models.ForeignKey(ParticipatingAgent, on_delete=models.CASCADE, related_name="delegates")
    full_name = models.CharField(_("full name"), max_length=150)
    dni = models.CharField(
        _("DNI"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{8}$", _("A DNI has 8 digits."))],
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    alternate = models.BooleanField(_("alternate delegate"), default=False)

    class Meta:
        ordering = ["alternate", "full_name"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")

    def __str__(self) -> str:
        return self.full_name


class TechnicalTeamMember(models.Model):
    """Equipo Técnico: evaluates candidate projects; voice in the workshops, no vote."""

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="technical_team")
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150)
    from_civil_society = models.BooleanField(_("representative of civil society"), default=False)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("Equipo Técnico member")
        verbose_name_plural = _("Equipo Técnico members")

    def __str__(self) -> str:
        return self.full_name


class VigilanceMember(models.Model):
    """A member of the Comité de Vigilancia, elected by the agents among their delegates."""

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="vigilance_members")
    agent = models.ForeignKey(
        ParticipatingAgent,
        on_delete=models.PROTECT,
        related_name="vigilance_members",
        verbose_name=_("agent"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    is_president = models.BooleanField(_("president"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vigilance_memberships",
        verbose_name=_("platform account"),
        help_text=_("So that they can send the committee's reports here."),
    )
    elected_on = models.DateField(_("elected on"))

    class Meta:
        ordering = ["-is_president", "full_name"]
        verbose_name = _("Comité de Vigilancia member")
        verbose_name_plural = _("Comité de Vigilancia members")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(is_president=True), name="budget_vigilance_one_president"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Workshop(models.Model):
    """A workshop of the cycle. Held as a meeting of a concertation space, it links that meeting: its
    attendance (by gender) and its acta come from the spaces app; otherwise they are typed here."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training of participating agents")
        ACCOUNTABILITY = "accountability", _("Accountability of last year's agreements")
        DIAGNOSIS = "diagnosis", _("Diagnosis and prioritisation of results")
        EVALUATION = "evaluation", _("Technical evaluation of projects")
        PRIORITISATION = "prioritisation", _("Prioritisation of projects")
        FORMALISATION = "formalisation", _("Formalisation of agreements and commitments")

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="workshops")
    kind = models.CharField(_("workshop"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    women = models.PositiveIntegerField(_("women who attended"), default=0)
    men = models.PositiveIntegerField(_("men who attended"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    acta = models.FileField(
        _("signed acta (PDF or photo)"),
        upload_to=PrivatePath("budgets/workshops"),
        validators=[DocumentValidator(max_bytes=10 * 1024 * 1024)],
        blank=True,
    )
    meeting = models.OneToOneField(
        "spaces.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_workshop",
        verbose_name=_("held as the meeting"),
        help_text=_(
            "A logged meeting of one of the municipality's spaces: its attendance and acta are used."
        ),
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on}"

    @property
    def attendance(self) -> int:
        return self.women + self.men


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


class Milestone(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class ExecutionUpdate(models.Model):
    """Figures of a prioritised project on a date."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="execution_updates")
    on = models.DateField(_("date"))
    progress_pct = models.PositiveSmallIntegerField(
        _("physical progress (%)"), validators=[MaxValueValidator(100)]
    )
    spent = models.DecimalField(
        _("spent to date (S/)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("execution update")
        verbose_name_plural = _("execution updates")
        constraints = [
            models.CheckConstraint(condition=Q(progress_pct__lte=100), name="budget_update_progress_max"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="budget_update_spent_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.on} · {self.progress_pct} %"


class VigilanceReport(models.Model):
    """A report of the Comité de Vigilancia (every six months, by law)."""

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="vigilance_reports")
    period = models.CharField(_("period"), max_length=60, help_text=_("For example: first half of 2027"))
    submitted_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"))
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vigilance_reports",
        verbose_name=_("project (if about one)"),
    )
    document = models.FileField(
        _("signed report (PDF or photo)"),
        upload_to=PrivatePath("budgets/vigilance"),
        validators=[DocumentValidator(max_bytes=10 * 1024 * 1024)],
        blank=True,
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("Comité de Vigilancia report")
        verbose_name_plural = _("Comité de Vigilancia reports")

    def __str__(self) -> str:
        return f"{self.period} · {self.submitted_on}"


class HistoryEntry(models.Model):
    """Who changed which figure, when, from what to what (scores, allocation, execution, dates)."""

    class Subject(models.TextChoices):
        SCORE = "score", _("Score")
        ALLOCATION = "allocation", _("Allocation")
        EXECUTION = "execution", _("Execution")
        CALENDAR = "calendar", _("Calendar")
        MATRIX = "matrix", _("Criteria matrix")

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="history")
    subject = models.CharField(_("what"), max_length=12, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    label = models.CharField(_("item"), max_length=300)
    field = models.CharField(_("field"), max_length=100)
    before = models.CharField(_("before"), max_length=300, blank=True)
    after = models.CharField(_("after"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [models.Index(fields=["cycle", "subject", "object_id"])]

    def __str__(self) -> str:
        return f"{self.label} · {self.field}: {self.before} → {self.after}"
