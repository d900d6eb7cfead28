"""Agreements taken at meetings and the follow-up of their status."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kallpanchis.accounts.access import access_for
from kallpanchis.core.models import Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath

from .meetings import Meeting
from .spaces import ConcertationSpace

EVIDENCE_MAX_BYTES = 8 * 1024 * 1024


def open_first():
    """0 for an open agreement (pending or in progress), 1 otherwise: the register's first sort key. The
    same expression is indexed with the due date, so the register reads its first page from the index
    instead of sorting every agreement (at 10x: 170 ms -> a few ms after a write)."""
    return models.Case(
        models.When(status__in=["pending", "in_progress"], then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


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
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["due_date", "id"]),
            models.Index(open_first(), models.F("due_date"), models.F("id"), name="agreement_register_order"),
        ]
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
