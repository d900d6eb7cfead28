from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Gender, Timestamped

from .common import in_network, manages_all
from .territory import Municipality


class TechnicianQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TechnicianQuerySet":
        """A member of the network is seen by whoever sees their municipality."""
        return self.filter(municipality__in=Municipality.objects.worked_by(user))

    def editable_by(self, user) -> "TechnicianQuerySet":
        """Coordinators and partner staff edit every member; a municipality's technicians and
        administrators edit their own municipality's members."""
        return self.filter(municipality__in=Municipality.objects.profile_editable_by(user))


class Technician(Timestamped):
    """A member of the network of municipal technicians of the Cusco region. Many have no account on the
    platform, so the member is a name with an optional link to a user and, once they are in the register of
    people (with their consent), to their Person."""

    # Blanked when the person is erased at their request (docs/people.md).
    PERSONAL_DATA_FIELDS = ("person_name", "email", "phone")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="technicians", verbose_name=_("municipality")
    )
    person_name = models.CharField(_("full name"), max_length=150)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="network_memberships",
        verbose_name=_("person in the register"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technician_memberships",
        verbose_name=_("platform account"),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED)
    position = models.CharField(_("position"), max_length=150, blank=True)
    since = models.DateField(_("member since"), null=True, blank=True)
    until = models.DateField(_("left on"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = TechnicianQuerySet.as_manager()

    class Meta:
        ordering = ["person_name"]
        verbose_name = _("technician")
        verbose_name_plural = _("technicians")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"],
                condition=Q(user__isnull=False),
                name="technician_account_once_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["municipality", "person"],
                condition=Q(person__isnull=False),
                name="technician_person_once_per_municipality",
                violation_error_message=_("This person is already a member of the network here."),
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=F("since")),
                name="technician_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return self.person_name


class NetworkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The network's trainings and events are read by the consortium and by municipal staff."""
        return self if in_network(user) else self.none()

    def editable_by(self, user):
        return self if manages_all(user) else self.none()


class Training(Timestamped):
    class Topic(models.TextChoices):
        LED_PLANS = "led_plans", _("Local economic-development plans")
        MANAGEMENT = "management", _("Management documents")
        COMPETITIVENESS = "competitiveness", _("Competitiveness")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    trainer_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings_given",
        verbose_name=_("trainer organisation"),
    )
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("Guides, slides, links; one per line.")
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    """One person at one training, with their gender (participation is counted by gender). `person` links the
    row to the register of people (then the person is counted once across trainings, meetings and
    workshops); without it the row counts in the totals only. The name stays as written on the list."""

    PERSONAL_DATA_FIELDS = ("person_name",)

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendance")
    technician = models.ForeignKey(
        Technician,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("network member"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings_attended",
        verbose_name=_("person in the register"),
    )
    person_name = models.CharField(_("full name"), max_length=150)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    completed = models.BooleanField(_("completed"), default=True)

    class Meta:
        ordering = ["person_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "technician"],
                condition=Q(technician__isnull=False),
                name="attendance_once_per_training",
            ),
            models.UniqueConstraint(
                fields=["training", "person"],
                condition=Q(person__isnull=False),
                name="training_person_once",
                violation_error_message=_("This person is already on the training's list."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.training}"
