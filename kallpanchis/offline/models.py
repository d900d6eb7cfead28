"""Exactly-once acceptance of what a phone sends after working offline.

The phone names each submission with a UUID it generated itself (the draft's id). The id is unique here, so
however many times a flaky connection makes the phone retry, one submission is applied once. The row points
at what it created by kind and plain integer id: kallpanchis/ never depends on the domain apps.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfflineSubmission(models.Model):
    class Kind(models.TextChoices):
        MEETING_LOG = "meeting_log", _("Meeting log")
        EXECUTION_REPORT = "execution_report", _("Plan execution report")

    client_id = models.UUIDField(_("id given by the phone"), unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    # What the phone was told the first time; a retry is told the same.
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("offline submission")
        verbose_name_plural = _("offline submissions")
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.client_id})"


class OfflinePerson(models.Model):
    """A person registered from a phone's draft, under the id the phone gave them when it added them with no
    connection. The same new person in two drafts of that phone (or a draft sent again) is registered once:
    the second finds them here. A merge moves these rows to the kept person like any other reference."""

    client_id = models.UUIDField(_("id given by the phone"), unique=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="offline_ids", verbose_name=_("person")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("person added on a phone")
        verbose_name_plural = _("people added on a phone")

    def __str__(self) -> str:
        return str(self.client_id)
