from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.accounts.access import access_for
from kallpanchis.core.models import Timestamped


class ReminderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators see every reminder; anyone else sees only their own."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        if access.is_coordinator:
            return self
        return self.filter(recipient=user)

    def pending(self):
        return self.filter(status__in=Reminder.PENDING)

    def for_target(self, target):
        return self.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)


class Reminder(Timestamped):
    """One message to one person about one thing at one time: the outbox row. The database, not the broker,
    says what is due; the unique constraint makes a second copy of the same reminder impossible.

    Life: scheduled → (dispatcher) queued → (delivery task) sending → sent; or held (daily digest) → sending
    → sent; or skipped (target moved/cancelled since, or the person opted out), cancelled (by the source
    app), failed (after the last attempt; a coordinator may retry)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("reminder", "Scheduled")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        HELD = "held", _("Held for the daily digest")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", pgettext_lazy("reminder", "Cancelled")
        FAILED = "failed", _("Failed")

    PENDING = (Status.SCHEDULED, Status.QUEUED, Status.HELD)

    kind = models.CharField(_("kind"), max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # An account (e-mail) or a person of the register (SMS: most people reminded have no account).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
        null=True,
        blank=True,
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("person"),
        null=True,
        blank=True,
    )
    channel = models.CharField(_("channel"), max_length=20, default="email")
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Queued/sending: until when the current claim holds. Held: when the digest goes out.
    lease_until = models.DateTimeField(null=True, blank=True)
    # The key of the send in flight (or of the last one that may have gone out): a redelivered task asks
    # the channel whether a message with this key left before sending again.
    claim = models.CharField(max_length=40, blank=True, default="")
    last_error = models.TextField(_("last error"), blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The target's state (time, place, status) when the reminder was scheduled: if it differs at sending
    # time, the thing moved or was cancelled and this reminder is skipped.
    checksum = models.CharField(max_length=64)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "due_at"], name="reminder_once"
            ),
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "person", "due_at"],
                condition=models.Q(person__isnull=False),
                name="reminder_once_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | models.Q(person__isnull=False),
                name="reminder_has_someone",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            # The dispatcher's two questions: what is due, and whose lease ran out.
            models.Index(
                fields=["due_at"], name="reminder_scheduled_due", condition=models.Q(status="scheduled")
            ),
            models.Index(
                fields=["lease_until"],
                name="reminder_leased",
                condition=models.Q(status__in=["queued", "sending", "held"]),
            ),
            models.Index(fields=["content_type", "object_id", "kind"], name="reminder_target"),
            models.Index(fields=["recipient", "due_at"], name="reminder_recipient_due"),
        ]

    def __str__(self) -> str:
        who = self.recipient_id or f"p{self.person_id}"
        return f"{self.kind} → {who} @ {self.due_at:%Y-%m-%d %H:%M}"


class ReminderPreference(models.Model):
    """A person's choice for one kind: receive it or not, one by one or in the daily digest. No row means
    'on, one by one'."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preferences"
    )
    kind = models.CharField(_("kind"), max_length=50)
    enabled = models.BooleanField(_("receive"), default=True)
    digest = models.BooleanField(_("in the daily digest"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="reminder_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}"


class ReminderSettings(models.Model):
    """The language a person reads their reminders in (Spanish unless they choose)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )

    class Channels(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        BOTH = "both", _("E-mail and SMS")

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="es")
    # SMS needs a phone and SMS consent in the people register; without them e-mail is used, whatever
    # this says.
    channels = models.CharField(
        _("receive reminders by"), max_length=5, choices=Channels.choices, default=Channels.EMAIL
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.language}"


from .sms.models import (  # noqa: E402,F401  (the SMS models belong to this app's models module)
    SmsBudget,
    SmsCallbackSeen,
    SmsInbound,
    SmsMessage,
    SmsReply,
    SmsTemplate,
)
