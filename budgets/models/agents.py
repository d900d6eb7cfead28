"""Who takes part: participating agents and their delegates, and the Equipo Técnico."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Gender

from .cycles import BudgetCycle


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
        BY_RIGHT = "by_right", _("Agent by right (no accreditation)")

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
    documents = models.TextField(
        _("documents presented"),
        blank=True,
        help_text=_("For example: registration form, acta naming the delegates, copy of the registry entry."),
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
    """A person who speaks and votes for an agent in the workshops (personal data: never public). `person`
    links them to the register of people when they are there (with their consent)."""

    # Blanked when the person is erased at their request (docs/people.md).
    PERSONAL_DATA_FIELDS = ("full_name", "dni")

    agent = models.ForeignKey(ParticipatingAgent, on_delete=models.CASCADE, related_name="delegates")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_delegations",
        verbose_name=_("person in the register"),
    )
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
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "person"],
                condition=models.Q(person__isnull=False),
                name="budget_delegate_person_once",
                violation_error_message=_("This person is already a delegate of this agent."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class TechnicalTeamMember(models.Model):
    """Equipo Técnico: designated by a Resolución de Alcaldía (D.S. 142-2009-EF art. 7), it runs the cycle
    and evaluates candidate projects; voice in the workshops, no vote."""

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="technical_team")
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150)
    resolution = models.CharField(
        _("designated by"),
        max_length=150,
        blank=True,
        help_text=_("For example: Resolución de Alcaldía 045-2026-MPA"),
    )
    from_civil_society = models.BooleanField(_("representative of civil society"), default=False)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("Equipo Técnico member")
        verbose_name_plural = _("Equipo Técnico members")

    def __str__(self) -> str:
        return self.full_name


class AgentByRight(models.Model):
    """A member of the Consejo de Coordinación Local or a regidor: a participating agent by right (Ley 28056
    art. 1 and 5, D.S. 142-2009-EF art. 2), listed without accreditation; voice and vote in the workshops."""

    PERSONAL_DATA_FIELDS = ("full_name",)

    class Seat(models.TextChoices):
        CCL = "ccl", _("Member of the CCL")
        REGIDOR = "regidor", _("Regidor (municipal council)")

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="agents_by_right")
    seat = models.CharField(_("seat"), max_length=10, choices=Seat.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED)
    represents = models.CharField(_("represents"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("platform account"),
    )

    class Meta:
        ordering = ["seat", "full_name"]
        verbose_name = _("agent by right")
        verbose_name_plural = _("agents by right")

    def __str__(self) -> str:
        return self.full_name


class Challenge(models.Model):
    """A challenge (tacha) against an agent on the preliminary list, filed within the period the ordinance
    sets; upheld, the agent leaves the final list."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        UPHELD = "upheld", _("Upheld: not accredited")
        DISMISSED = "dismissed", _("Dismissed")

    agent = models.ForeignKey(ParticipatingAgent, on_delete=models.CASCADE, related_name="challenges")
    filed_by = models.CharField(_("filed by"), max_length=200)
    filed_on = models.DateField(_("filed on"))
    grounds = models.TextField(_("grounds"))
    status = models.CharField(_("decision"), max_length=10, choices=Status.choices, default=Status.PENDING)
    resolution = models.CharField(_("reasons of the decision"), max_length=300, blank=True)
    resolved_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "pk"]
        verbose_name = _("challenge (tacha)")
        verbose_name_plural = _("challenges (tachas)")

    def __str__(self) -> str:
        return f"{self.agent} · {self.filed_on}"
