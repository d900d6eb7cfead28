"""Annual operating plans (POA): deadlines, plans, activities and their budget, steps and review comments."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath

from .associations import AssociationScope, ProducerAssociation


class PlanDeadline(models.Model):
    """The date by which every association submits its plan for a year (set by a coordinator)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    due_on = models.DateField(_("submission deadline"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("plan deadline")
        verbose_name_plural = _("plan deadlines")

    def __str__(self) -> str:
        return f"{self.year}: {self.due_on:%d/%m/%Y}"

    def deadline_at(self):
        """The end of the deadline's day, in Lima."""
        return timezone.make_aware(datetime.datetime.combine(self.due_on, datetime.time(23, 59)))

    def reminder_context(self, kind: str):
        from kallpanchis.notifications.registry import TargetContext

        return TargetContext(
            title=f"{capfirst(gettext('annual operating plan'))} {self.year}",
            when=self.deadline_at(),
            path=reverse("producers:plan_list"),
        )

    def reminder_checksum(self) -> str:
        from kallpanchis.notifications.registry import checksum_of

        return checksum_of(self.due_on)


class OperatingPlanQuerySet(AssociationScope, models.QuerySet):
    prefix = "association__"


def plans_waiting_first():
    """0 for a plan waiting for review (submitted or resubmitted), 1 otherwise: the plan list's first sort
    key. The same expression is indexed with the year (current versions), so the list reads its first
    page from the index and sorts only that year's plans by name instead of every plan."""
    return models.Case(
        models.When(status__in=["submitted", "resubmitted"], then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class OperatingPlan(Timestamped):
    """An association's annual operating plan (POA). Its asamblea general approves it before it is sent;
    the municipality's technician and the NGO coordinator then review it, and the coordinator's validation
    locks it. One current version per association and year; a new version may be started from a validated
    one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        VALIDATED = "validated", _("Validated")

    class AssemblyCall(models.TextChoices):
        FIRST = "first", _("First call")
        SECOND = "second", _("Second call")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    IN_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    association = models.ForeignKey(ProducerAssociation, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    diagnosis = models.TextField(_("short diagnosis"), blank=True)
    general_objective = models.TextField(_("general objective"), blank=True)
    specific_objectives = models.TextField(_("specific objectives"), blank=True)
    lines_of_action = models.TextField(_("lines of action"), blank=True)
    # Optimistic concurrency: every save says which revision it started from; a stale one is refused.
    revision = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    # The asamblea general's approval (recorded by the leader before sending; docs/producers.md).
    assembly_date = models.DateField(_("date of the asamblea"), null=True, blank=True)
    assembly_call = models.CharField(
        _("call"), max_length=6, choices=AssemblyCall.choices, default=AssemblyCall.FIRST
    )
    assembly_minutes_ref = models.CharField(_("acta (book and page)"), max_length=120, blank=True)
    assembly_minutes_file = models.FileField(
        _("acta (scan or photo)"),
        upload_to=PrivatePath("producers/asamblea"),
        validators=[DocumentValidator()],
        blank=True,
    )
    assembly_members_present = models.PositiveIntegerField(_("members present"), null=True, blank=True)
    assembly_members_total = models.PositiveIntegerField(_("members in good standing"), null=True, blank=True)
    assembly_votes_for = models.PositiveIntegerField(_("votes in favour"), null=True, blank=True)
    # The municipality's validation (a technician of the territory), before or beside the NGO's.
    municipality_validated_at = models.DateTimeField(
        _("validated by the municipality"), null=True, blank=True
    )
    municipality_validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OperatingPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "association__organisation__name", "-version"]
        verbose_name = _("annual operating plan")
        verbose_name_plural = _("annual operating plans")
        constraints = [
            models.UniqueConstraint(fields=["association", "year", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["association", "year"], condition=Q(is_current=True), name="plan_one_current_per_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="plan_year_plausible"),
            models.CheckConstraint(condition=Q(version__gte=1), name="plan_version_from_1"),
            models.CheckConstraint(
                condition=Q(assembly_members_present__isnull=True)
                | Q(assembly_members_total__isnull=True)
                | Q(assembly_members_present__lte=F("assembly_members_total")),
                name="plan_assembly_present_within_total",
            ),
        ]
        indexes = [
            models.Index(
                plans_waiting_first(),
                models.F("year").desc(),
                name="plan_review_order",
                condition=Q(is_current=True),
            ),
            # The read API's order (newest year first): its page of 50 is read from the index, not sorted
            # out of every plan.
            models.Index(models.F("year").desc(), "id", name="plan_year_id"),
            # The review list's count per status ("sent for review": a tenth of the plans) from the index,
            # not from a scan of every plan of every year.
            models.Index("status", name="plan_current_status", condition=Q(is_current=True)),
        ]

    def __str__(self) -> str:
        return f"POA {self.year} · {self.association} · v{self.version}"

    @property
    def assembly_approved(self) -> bool:
        return self.assembly_date is not None

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE and self.is_current

    def reminder_context(self, kind: str):
        from kallpanchis.notifications.registry import TargetContext

        from ..reminders import EXECUTION_REPORT_DUE

        if kind == EXECUTION_REPORT_DUE:
            return TargetContext(
                title=str(self),
                path=reverse("producers:report_create", args=[self.pk]),
                details=gettext("Report what was done and spent in the period."),
            )
        return TargetContext(title=str(self), path=reverse("producers:plan_detail", args=[self.pk]))

    def reminder_checksum(self) -> str:
        """Returned, approved or replaced since: the review reminder no longer applies."""
        from kallpanchis.notifications.registry import checksum_of

        return checksum_of(self.status, self.is_current)

    @property
    def is_late(self) -> bool:
        """Submitted (on its day in Lima) after its year's deadline, or not yet submitted once it passed; from
        the `deadline` that `selectors.plans_with_flags` annotates (no deadline read: not late)."""
        deadline = getattr(self, "deadline", None)
        if deadline is None:
            return False
        if self.submitted_at is None:
            return deadline < timezone.localdate()
        return timezone.localtime(self.submitted_at).date() > deadline

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.VALIDATED or not self.is_current


class PlanSection(models.TextChoices):
    GENERAL = "general", _("Whole plan")
    DIAGNOSIS = "diagnosis", _("Diagnosis")
    OBJECTIVES = "objectives", _("Objectives")
    LINES = "lines", _("Lines of action")
    ACTIVITIES = "activities", _("Activities")
    BUDGET = "budget", _("Budget")


class BudgetSource(models.TextChoices):
    """Who funds a line of an association's plan, as associations' POAs name them. A private plan is not
    funded by the participatory budget: a municipality co-finances associations through Procompite."""

    OWN = "own", _("Own contribution")
    PROCOMPITE = "procompite", _("Municipality (Procompite)")
    AGROIDEAS = "agroideas", _("Agroideas")
    NGO = "ngo", _("NGO / cooperation")
    CREDIT = "credit", _("Credit")
    OTHER = "other", _("Other")


class Contribution(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind (valued)")


MONTHS_ALL = (1 << 12) - 1


class Activity(models.Model):
    """One activity of a plan with its goal and schedule; `months` is a 12-bit mask (bit 0 = January)."""

    plan = models.ForeignKey(OperatingPlan, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("activity"), max_length=200)
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, null=True, blank=True)
    responsible = models.CharField(_("responsible person"), max_length=150, blank=True)
    months = models.PositiveSmallIntegerField(_("months"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(months__lte=MONTHS_ALL), name="activity_months_12_bits"),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0), name="activity_quantity_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def month_numbers(self) -> list[int]:
        return [m for m in range(1, 13) if self.months & (1 << (m - 1))]


class BudgetLine(models.Model):
    """What one source puts into one activity, in cash or in kind (valued: labour, land, animals, local
    materials): quantity × unit cost. `amount` is that product, written by the service and checked by the
    database; totals are always summed by the database."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(_("source"), max_length=12, choices=BudgetSource.choices)
    contribution = models.CharField(
        _("contribution"), max_length=8, choices=Contribution.choices, default=Contribution.CASH
    )
    units = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    unit_cost = models.DecimalField(_("unit cost (S/)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount (S/)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["activity", "source", "contribution"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "source", "contribution"], name="budget_line_once_per_source_kind"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
            models.CheckConstraint(
                condition=Q(units__gte=0, unit_cost__gte=0), name="budget_line_units_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount=Round(F("units") * F("unit_cost"), 2)),
                name="budget_line_amount_is_units_times_cost",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ({self.get_contribution_display()}): {self.amount}"


class PlanEvent(models.Model):
    """One step of a plan's life, stamped: who, when, from which state to which, with what comment."""

    class Action(models.TextChoices):
        CREATED = "created", _("Started")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with comments")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ASSEMBLY_APPROVED = "assembly", _("Approved by the asamblea general")
        MUNICIPALITY_VALIDATED = "municipality", _("Validated by the municipality")
        VALIDATED = "validated", _("Validated")
        NEW_VERSION = "new_version", _("New version started")

    plan = models.ForeignKey(OperatingPlan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=12, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=OperatingPlan.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OperatingPlan.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y %H:%M}"


class PlanComment(models.Model):
    """A reviewer's comment on one section of a plan, given when the plan is returned."""

    plan = models.ForeignKey(OperatingPlan, on_delete=models.CASCADE, related_name="comments")
    event = models.ForeignKey(PlanEvent, on_delete=models.CASCADE, related_name="section_comments")
    section = models.CharField(_("section"), max_length=12, choices=PlanSection.choices)
    text = models.TextField(_("comment"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.text[:40]}"
