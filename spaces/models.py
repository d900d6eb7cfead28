"""Concertation spaces, their meetings, attendance, agreements and the follow-up of agreements.

Scope (who sees what) lives in the QuerySets below and nowhere else; workflows live in services.py.
"""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from kallpanchis.core.models import Gender, Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath
from municipalities.models import MunicipalAssociation, Municipality

SIGNED_RECORD_MAX_BYTES = 8 * 1024 * 1024
EVIDENCE_MAX_BYTES = 8 * 1024 * 1024


def managed_municipalities(user) -> models.QuerySet:
    """Municipalities whose spaces this person manages: technicians and administrators of a municipality,
    and, for a provincial one, of the district municipalities of its province."""
    own = access_for(user).organisations_with(Role.TECHNICIAN, Role.MUNICIPAL_ADMIN)
    if not own:
        return Municipality.objects.none()
    provinces = Municipality.objects.filter(
        organisation_id__in=own, level=Municipality.Level.PROVINCIAL
    ).values("province_id")
    return Municipality.objects.filter(Q(organisation_id__in=own) | Q(province_id__in=provinces))


class ThematicGroup(models.Model):
    """A theme a space may work on (milk, guinea pigs, gastronomy …); coordinators add more in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thematic group")
        verbose_name_plural = _("thematic groups")

    def __str__(self) -> str:
        return self.name


class ConcertationSpaceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConcertationSpaceQuerySet":
        """Consortium-wide roles read every space; municipal staff read the spaces of the municipalities
        (and associations) in their scope; people of a member organisation read the spaces it sits in."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        if access.consortium_wide:
            return self
        municipalities = Municipality.objects.visible_to(user).values("pk")
        associations = MunicipalAssociation.objects.filter(members__in=municipalities).values("pk")
        member_of = SpaceMember.objects.filter(organisation_id__in=list(access.by_organisation)).values(
            "space_id"
        )
        return self.filter(
            Q(municipality_id__in=municipalities) | Q(association_id__in=associations) | Q(pk__in=member_of)
        )

    def editable_by(self, user) -> "ConcertationSpaceQuerySet":
        """Technicians and administrators of the convening municipality (or of a member municipality of
        the convening association) manage a space; coordinators only read."""
        access = access_for(user)
        if access.superuser:
            return self
        managed = managed_municipalities(user).values("pk")
        associations = MunicipalAssociation.objects.filter(members__in=managed).values("pk")
        return self.filter(Q(municipality_id__in=managed) | Q(association_id__in=associations))


class ConcertationSpace(Timestamped):
    """A standing forum convened by a municipality or an association of municipalities."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial")
        DISTRICT = "district", pgettext_lazy("space level", "District")
        INTERMUNICIPAL = "intermunicipal", _("Inter-municipal")

    class Kind(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        POLITICAL = "political", _("Political")
        DEVELOPMENT = "development", _("Development")
        THEMATIC = "thematic", _("Thematic")

    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        verbose_name=_("convening municipality"),
    )
    association = models.ForeignKey(
        MunicipalAssociation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        verbose_name=_("convening association of municipalities"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subspaces",
        verbose_name=_("part of"),
    )
    thematic_group = models.ForeignKey(
        ThematicGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        verbose_name=_("thematic group"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    is_public = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_("Anyone may see its upcoming meetings and agreements (never the names of participants)."),
    )
    reminder_days = models.CharField(
        _("reminder days before a meeting"),
        max_length=20,
        default="3,1",
        validators=[RegexValidator(r"^\s*\d{1,2}(\s*,\s*\d{1,2}){0,3}\s*$", _("Write days as numbers: 3,1"))],
        help_text=_("Invited members get an e-mail this many days before each meeting, e.g. 3,1."),
    )

    objects = ConcertationSpaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("concertation space")
        verbose_name_plural = _("concertation spaces")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, association__isnull=True)
                | Q(municipality__isnull=True, association__isnull=False),
                name="space_one_convener",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="space_not_its_own_parent"),
            models.UniqueConstraint(fields=["municipality", "name"], name="space_name_once_per_municipality"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def convener(self):
        return self.municipality or self.association


class SpaceMember(models.Model):
    """An organisation that sits in a space, with its representative(s) and role there."""

    class Role(models.TextChoices):
        CONVENER = "convener", _("Convener")
        SECRETARIAT = "secretariat", _("Technical secretariat")
        MEMBER = "member", _("Member")
        ADVISER = "adviser", _("Adviser")

    space = models.ForeignKey(ConcertationSpace, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="space_memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the space"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    representatives = models.CharField(
        _("representatives"), max_length=300, blank=True, help_text=_("Names, separated by commas.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        constraints = [
            models.UniqueConstraint(fields=["space", "organisation"], name="space_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.space}"


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

        from .reminders import MEETING_CHANGED

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
    """One person at a meeting: most have no account, they are just a row copied from the signed sheet."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    position = models.PositiveSmallIntegerField(_("no."), default=0)
    name = models.CharField(_("name"), max_length=200)
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
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="attendance_has_name")]

    def __str__(self) -> str:
        return self.name


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgreementQuerySet":
        """Who reads the space reads its agreements; an organisation's people also read the agreements
        it answers for, wherever they were taken (they report on them)."""
        access = access_for(user)
        if access.consortium_wide:  # as for meetings: every agreement has a meeting in a space
            return self
        in_spaces = Q(meeting__space__in=ConcertationSpace.objects.visible_to(user).values("pk"))
        if access.by_organisation:
            return self.filter(in_spaces | Q(responsible_organisation_id__in=list(access.by_organisation)))
        return self.filter(in_spaces)

    def editable_by(self, user) -> "AgreementQuerySet":
        return self.filter(meeting__space__in=ConcertationSpace.objects.editable_by(user).values("pk"))

    def open(self) -> "AgreementQuerySet":
        return self.filter(status__in=Agreement.OPEN)


class Agreement(Timestamped):
    """A decision taken at a meeting, with who answers for it and by when."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN = (Status.PENDING, Status.IN_PROGRESS)

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agreements")
    what = models.TextField(_("what was agreed"))
    responsible_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("responsible organisation"),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    # When it was done or dropped: the follow-up item of later meetings and "done on time" read these.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        # The register lists by due date: this index lets PostgreSQL read the first page without sorting all.
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["due_date", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False)
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="agreement_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def reminder_context(self, kind: str):
        from kallpanchis.notifications.registry import TargetContext

        return TargetContext(
            title=self.what[:120],
            when=self.at_eight(days_after_due=0),
            path=reverse("spaces:agreement_detail", args=[self.pk]),
            details=self.responsible_person,
        )

    def at_eight(self, *, days_after_due: int):
        """08:00 in Lima, some days after (or before, if negative) the due date."""
        import datetime

        from django.utils import timezone

        day = self.due_date + datetime.timedelta(days=days_after_due)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))

    def reminder_checksum(self) -> str:
        from kallpanchis.notifications.registry import checksum_of

        return checksum_of(self.due_date, self.is_open)


class AgreementStatusChange(models.Model):
    """Follow-up of an agreement: who changed its status, when, from what to what, why, with what proof."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(_("from"), max_length=20, choices=Agreement.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Agreement.Status.choices)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=PrivatePath("agreement-evidence"),
        validators=[DocumentValidator(max_bytes=EVIDENCE_MAX_BYTES)],
        blank=True,
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a person's private calendar address; regenerating it revokes the old address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return str(self.user)
