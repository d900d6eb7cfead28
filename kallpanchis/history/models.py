"""One table for the history of every tracked model: what the database triggers (triggers.py) write."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from .triggers import protect_history


class Change(models.Model):
    """One inserted, updated or deleted row of a tracked table. `old` and `new` hold the columns: the whole
    row for an insertion (new) or a deletion (old), only the columns that changed for an update. Written by
    triggers only; never edited, except by the erasure of a person (anonymise)."""

    class Operation(models.TextChoices):
        INSERT = "insert", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    created_at = models.DateTimeField(_("when"), db_index=True)
    table = models.CharField(_("table"), max_length=63)
    object_id = models.CharField(_("row"), max_length=64)
    operation = models.CharField(_("operation"), max_length=6, choices=Operation.choices)
    old = models.JSONField(_("before"), null=True, blank=True)
    new = models.JSONField(_("after"), null=True, blank=True)
    # pghistory's context: who (user id, or the task for "system") and from where (path, task id).
    context = models.ForeignKey(
        "pghistory.Context",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("context"),
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("change")
        verbose_name_plural = _("history of changes")
        indexes = [
            models.Index(fields=["table", "object_id", "-id"], name="history_change_object"),
            GinIndex(name="history_change_old", fields=["old"], opclasses=["jsonb_path_ops"]),
            GinIndex(name="history_change_new", fields=["new"], opclasses=["jsonb_path_ops"]),
        ]
        triggers = [protect_history]

    def __str__(self) -> str:
        return f"{self.table} {self.object_id} {self.operation} {self.created_at:%Y-%m-%d %H:%M}"
