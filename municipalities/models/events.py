from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Timestamped

from .network import NetworkQuerySet
from .territory import Municipality


class Event(Timestamped):
    """A regional or national meeting of mayors, councillors and technicians."""

    class Scope(models.TextChoices):
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")

    name = models.CharField(_("name"), max_length=200)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    organisers = models.ManyToManyField(
        "organisations.Organisation",
        related_name="events_organised",
        verbose_name=_("organisers"),
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventParticipation(models.Model):
    """How many women and men came to an event from one municipality."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="event_participations",
        verbose_name=_("municipality"),
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    who = models.CharField(
        _("who came"), max_length=200, blank=True, help_text=_("e.g. mayor, 2 councillors")
    )

    class Meta:
        ordering = ["municipality__organisation__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "municipality"], name="participation_once_per_municipality"
            ),
            models.CheckConstraint(condition=Q(women__gt=0) | Q(men__gt=0), name="participation_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.event}"

    @property
    def total(self) -> int:
        return self.women + self.men
