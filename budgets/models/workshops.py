"""The workshops of a cycle."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Gender
from kallpanchis.core.uploads import DocumentValidator, PrivatePath

from .cycles import BudgetCycle


class Workshop(models.Model):
    """A workshop of the cycle. Held as a meeting of a concertation space, it links that meeting: its
    attendance (by gender) and its acta come from the spaces app; otherwise they are typed here: the
    head-counts by gender always, and the list of participants (WorkshopParticipant) when there is one, so
    that the people reached are counted once across workshops, meetings and trainings."""

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


class WorkshopParticipant(models.Model):
    """One person at a workshop, as written on its attendance list. `person` links the row to the register
    of people (counted once across activities); without it the row counts in the totals only."""

    PERSONAL_DATA_FIELDS = ("name",)

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_workshops_attended",
        verbose_name=_("person in the register"),
    )
    name = models.CharField(_("name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("workshop participant")
        verbose_name_plural = _("workshop participants")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"],
                condition=Q(person__isnull=False),
                name="budget_workshop_person_once",
                violation_error_message=_("This person is already on the workshop's list."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
