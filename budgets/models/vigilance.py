"""The Comité de Vigilancia: its members and its reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Gender
from kallpanchis.core.uploads import DocumentValidator, PrivatePath

from .agents import ParticipatingAgent
from .cycles import BudgetCycle
from .proposals import Proposal


class VigilanceMember(models.Model):
    """A member of the Comité de Vigilancia, elected by the agents among their delegates. `person` links them
    to the register of people when they are there."""

    PERSONAL_DATA_FIELDS = ("full_name",)

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="vigilance_members")
    agent = models.ForeignKey(
        ParticipatingAgent,
        on_delete=models.PROTECT,
        related_name="vigilance_members",
        verbose_name=_("agent"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vigilance_memberships",
        verbose_name=_("person in the register"),
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
            models.UniqueConstraint(
                fields=["cycle", "person"],
                condition=Q(person__isnull=False),
                name="budget_vigilance_person_once",
                violation_error_message=_("This person is already on the committee."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


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
