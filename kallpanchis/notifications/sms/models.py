"""The SMS records: what left, what came back, the texts and the budgets. Imported by ../models.py."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsMessage(models.Model):
    """One SMS handed to a gateway, under the idempotency key derived from its outbox row (`kp<reminder
    id>`) or from the reply it answers (`kpin<inbound id>`): a key is sent at most once."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted by the gateway")
        SENT = "sent", _("Sent by the gateway")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Not delivered")

    PERSONAL_DATA_FIELDS = ("phone", "text")

    key = models.CharField(max_length=40, unique=True)
    reminder = models.ForeignKey(
        "notifications.Reminder", on_delete=models.SET_NULL, null=True, blank=True, related_name="sms"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="sms_messages"
    )
    phone = models.CharField(_("phone"), max_length=16)
    text = models.TextField(_("text"))
    encoding = models.CharField(_("encoding"), max_length=5)
    segments = models.PositiveSmallIntegerField(_("segments"))
    cost = models.DecimalField(_("estimated cost (S/)"), max_digits=8, decimal_places=4)
    # Who pays: the area a kind names for its target (a municipality), so budgets and counts go per area.
    area = models.CharField(max_length=40, blank=True, default="")
    gateway = models.CharField(max_length=20)
    gateway_id = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("SMS")
        verbose_name_plural = _("SMS")
        indexes = [
            models.Index(fields=["area", "created_at"], name="sms_area_month"),
            models.Index(fields=["gateway", "gateway_id"], name="sms_gateway_id"),
        ]

    def __str__(self) -> str:
        return f"{self.key} · {self.status}"


class SmsTemplate(models.Model):
    """A coordinator's text for one kind in one language; without a row the file default is used."""

    kind = models.CharField(_("kind"), max_length=50)
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SMS text")
        verbose_name_plural = _("SMS texts")
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="sms_template_once")]

    def __str__(self) -> str:
        return f"{self.kind} · {self.language}"


class SmsInbound(models.Model):
    """A reply from a person's own number, and what it did. Replies from numbers nobody in the register
    has are not kept."""

    class Action(models.TextChoices):
        YES = "yes", _("Will attend")
        NO = "no", _("Will not attend")
        STOP = "stop", _("No more SMS")
        INBOX = "inbox", _("For a technician to read")

    PERSONAL_DATA_FIELDS = ("phone", "text")

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=80)
    phone = models.CharField(_("phone"), max_length=16)
    text = models.TextField(_("text"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_replies_received",
        verbose_name=_("person"),
    )
    action = models.CharField(_("what it did"), max_length=10, choices=Action.choices)
    # The thing a yes/no answered (a meeting), as the outbox names it.
    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    area = models.CharField(max_length=40, blank=True, default="")
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("SMS reply")
        verbose_name_plural = _("SMS replies")
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="sms_inbound_once"),
        ]

    def __str__(self) -> str:
        return f"{self.phone} · {self.action}"


class SmsReply(models.Model):
    """A person's answer about one target (a meeting): will attend or not. The last answer counts."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="sms_answers")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    attending = models.BooleanField()
    inbound = models.ForeignKey(SmsInbound, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance answer")
        verbose_name_plural = _("attendance answers")
        constraints = [
            models.UniqueConstraint(fields=["person", "content_type", "object_id"], name="sms_reply_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.attending}"


class SmsCallbackSeen(models.Model):
    """A gateway callback already acted on: the same one again (a replay) changes nothing."""

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=120)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="sms_callback_once")]

    def __str__(self) -> str:
        return f"{self.gateway} · {self.event_id}"


class SmsBudget(models.Model):
    """What an area (a municipality) may spend on SMS in a calendar month (Lima): messages and soles.
    Zero means no limit of that kind."""

    area = models.CharField(max_length=40, unique=True)
    label = models.CharField(_("name"), max_length=200)
    month_messages = models.PositiveIntegerField(_("messages per month"), default=0)
    month_soles = models.DecimalField(_("soles per month"), max_digits=10, decimal_places=2, default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("SMS budget")
        verbose_name_plural = _("SMS budgets")

    def __str__(self) -> str:
        return self.label
