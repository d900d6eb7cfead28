"""Procompite (Ley 29337): a municipality co-finances, in kind, the business plan of an organised producer
association. Private assets for an association go here, never through the participatory budget, which
funds public investment."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Timestamped

from .cycles import MONEY


class BusinessPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who reads the municipality's participatory budget reads its Procompite plans."""
        from municipalities.models import Municipality

        return self.filter(municipality__in=Municipality.objects.visible_to(user))

    def editable_by(self, user):
        """The municipality's Equipo Técnico, technicians and administrators keep its plans."""
        from kallpanchis.accounts.access import access_for

        from .cycles import RUNNING_ROLES

        access = access_for(user)
        if access.superuser:
            return self
        return self.filter(municipality__organisation_id__in=access.organisations_with(*RUNNING_ROLES))


class BusinessPlan(Timestamped):
    """An association's business plan competing for Procompite co-financing: investment and operating
    budget, the association's own contribution (at least the share the call sets), its legal registration,
    and the stage of the competition. The municipality's part is delivered in kind (goods, works, services),
    never as cash."""

    class Stage(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted to the call")
        ELIGIBLE = "eligible", _("Eligible")
        APPROVED = "approved", _("Approved by the evaluation committee")
        NOT_APPROVED = "not_approved", _("Not approved")
        DELIVERED = "delivered", _("Goods and services delivered")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="business_plans",
        verbose_name=_("municipality"),
    )
    association = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="business_plans",
        verbose_name=_("association"),
    )
    year = models.PositiveIntegerField(
        _("year of the call"), validators=[MinValueValidator(2009), MaxValueValidator(2100)]
    )
    title = models.CharField(_("business plan"), max_length=200)
    legal_registration = models.CharField(
        _("legal registration"),
        max_length=150,
        help_text=_("For example: SUNARP, partida electrónica 11012345"),
    )
    investment_budget = models.DecimalField(
        _("investment budget (S/)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    operating_budget = models.DecimalField(
        _("operating budget (S/)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    association_contribution = models.DecimalField(
        _("contribution of the association (S/)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    minimum_contribution_pct = models.DecimalField(
        _("minimum contribution set by the call (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    in_kind = models.TextField(
        _("what the municipality delivers in kind"), help_text=_("One item per line: goods, works, services.")
    )
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices, default=Stage.SUBMITTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BusinessPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("Procompite business plan")
        verbose_name_plural = _("Procompite business plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(association_contribution__gte=0)
                & Q(
                    association_contribution__lte=models.F("investment_budget") + models.F("operating_budget")
                ),
                name="budget_businessplan_contribution_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def total(self) -> Decimal:
        return self.investment_budget + self.operating_budget

    @property
    def public_cofinancing(self) -> Decimal:
        """What the municipality puts in, in kind."""
        return self.total - self.association_contribution

    @property
    def minimum_contribution(self) -> Decimal:
        return (self.total * self.minimum_contribution_pct / 100).quantize(Decimal("0.01"))
