"""Who changed which figure of a cycle, when, from what to what."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cycles import BudgetCycle


class HistoryEntry(models.Model):
    """Who changed which figure, when, from what to what (scores, allocation, execution, dates)."""

    class Subject(models.TextChoices):
        SCORE = "score", _("Score")
        ALLOCATION = "allocation", _("Allocation")
        EXECUTION = "execution", _("Execution")
        CALENDAR = "calendar", _("Calendar")
        MATRIX = "matrix", _("Criteria matrix")

    cycle = models.ForeignKey(BudgetCycle, on_delete=models.CASCADE, related_name="history")
    subject = models.CharField(_("what"), max_length=12, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    label = models.CharField(_("item"), max_length=300)
    field = models.CharField(_("field"), max_length=100)
    before = models.CharField(_("before"), max_length=300, blank=True)
    after = models.CharField(_("after"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        indexes = [models.Index(fields=["cycle", "subject", "object_id"])]

    def __str__(self) -> str:
        return f"{self.label} · {self.field}: {self.before} → {self.after}"
