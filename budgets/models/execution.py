"""Execution of prioritised projects: milestones and dated figures."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cycles import MONEY
from .proposals import Proposal


class Milestone(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class ExecutionUpdate(models.Model):
    """Figures of a prioritised project on a date."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="execution_updates")
    on = models.DateField(_("date"))
    progress_pct = models.PositiveSmallIntegerField(
        _("physical progress (%)"), validators=[MaxValueValidator(100)]
    )
    spent = models.DecimalField(
        _("spent to date (S/)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("execution update")
        verbose_name_plural = _("execution updates")
        constraints = [
            models.CheckConstraint(condition=Q(progress_pct__lte=100), name="budget_update_progress_max"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="budget_update_spent_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.on} · {self.progress_pct} %"
