"""Meetings of a space: their history, agenda and attendance."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.accounts.access import access_for
from kallpanchis.core.models import Gender, Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath

from .spaces import ConcertationSpace

SIGNED_RECORD_MAX_BYTES = 8 * 1024 * 1024


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        # Every meeting has a space: who reads every space reads every meeting, and without the needless
        # "space in (all spaces)" join PostgreSQL can read the newest meetings from an index and stop.
        if access_for(user).consortium_wide:
            return self
        return self.filter(space__in=ConcertationSpace.objects.visible_to(user).values("pk"))

    def editable_by(self, user) -> "MeetingQuerySet":
        return self.filter(space__in=ConcertationSpace.objects.editable_by(user).values("pk"))


class Meeting(Timestamped):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        POSTPONED = "postponed", _("Postponed")

    # A postponed meeting has a new date and can still be held; planned and postponed are "upcoming".
    UPCOMING = (Status.PLANNED, Status.POSTPONED)

    space = models.ForeignKey(ConcertationSpace, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place or village"), max_length=200)
    convened_by = models.CharField(_("convened by"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    invited = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("invited"),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    signed_record = models.FileField(
        _("signed record (scan)"),
        upload_to=PrivatePath("meeting-records"),
        validators=[DocumentValidator(max_bytes=SIGNED_RECORD_MAX_BYTES)],
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        # (starts_at, id): the meeting list reads the newest first from it instead of sorting every meeting.
        indexes = [models.Index(fields=["space", "starts_at"]), models.Index(fields=["starts_at", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_upcoming(self) -> bool:
        return self.status in self.UPCOMING

    def reminder_context(self, kind: str):
        from kallpanchis.notifications.registry import TargetContext

        from ..reminders import MEETING_CHANGED

        return TargetContext(
            title=f"{self.space.name}: {self.title}",
            when=self.starts_at,
            place=self.place,
            path=reverse("spaces:meeting_detail", args=[self.pk]),
            details=self.get_status_display() if kind == MEETING_CHANGED else "",
        )

    def reminder_checksum(self) -> str:
        """A moved, relocated or cancelled meeting makes its earlier reminders wrong."""
        from kallpanchis.notifications.registry import checksum_of

        return checksum_of(self.starts_at, self.place, self.is_upcoming)


class MeetingEvent(models.Model):
    """The history of a meeting: scheduled, postponed (old and new dates, reason), cancelled, held."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Logged as held")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    old_starts_at = models.DateTimeField(_("previous date"), null=True, blank=True)
    new_starts_at = models.DateTimeField(_("new date"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.meeting_id}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(pgettext_lazy("agenda item", "item"), max_length=200)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), null=True, blank=True)
    is_follow_up = models.BooleanField(_("follow-up of agreements"), default=False)

    class Meta:
        ordering = ["position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_once"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(is_follow_up=True), name="agenda_one_follow_up"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One person at a meeting, as written on the signed sheet; linked to the register's person when they
    gave consent (then they count once however many meetings they attend), anonymous otherwise."""

    # An erasure blanks the name as written; the row still counts, through its anonymised person.
    PERSONAL_DATA_FIELDS = ("name",)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    position = models.PositiveSmallIntegerField(_("no."), default=0)
    name = models.CharField(_("name"), max_length=200)
    # PROTECT: a person is deleted only by a merge, which moves this row to the kept person first.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # What was written on the sheet; equals the organisation's name when one was picked.
    organisation_name = models.CharField(_("organisation (as written)"), max_length=200, blank=True)
    role = models.CharField(pgettext_lazy("organisation post", "role"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    is_producer = models.BooleanField(_("producer"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            # Only an erased person's row has no name left.
            models.CheckConstraint(
                condition=~Q(name="") | Q(person__isnull=False), name="attendance_has_name"
            ),
            # One row per person and meeting: a merge of two people on one list is refused, not doubled.
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="attendance_person_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name
