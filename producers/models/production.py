"""Monthly production records of an association."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Timestamped

from .associations import AssociationScope, ProducerAssociation


class SalesChannel(models.TextChoices):
    DIRECT = "direct", _("Direct sale / short circuit")
    FAIR = "fair", _("Fair")
    MIDDLEMAN = "middleman", _("Middleman")
    DAIRY_PLANT = "dairy_plant", _("Dairy plant")


class ProductionRecordQuerySet(AssociationScope, models.QuerySet):
    prefix = "association__"


class ProductionRecord(Timestamped):
    """What an association produced and sold in one month (`month` is the first day of the month)."""

    association = models.ForeignKey(
        ProducerAssociation, on_delete=models.CASCADE, related_name="production_records"
    )
    month = models.DateField(_("month"))
    cows_milked = models.PositiveIntegerField(_("cows milked"), null=True, blank=True)
    milk_produced_l = models.DecimalField(_("milk produced (L)"), max_digits=12, decimal_places=1, default=0)
    milk_sold_l = models.DecimalField(_("fresh milk sold (L)"), max_digits=12, decimal_places=1, default=0)
    cheese_produced_kg = models.DecimalField(
        _("cheese produced (kg)"), max_digits=10, decimal_places=1, default=0
    )
    cheese_sold_kg = models.DecimalField(_("cheese sold (kg)"), max_digits=10, decimal_places=1, default=0)
    guinea_pigs_sold = models.PositiveIntegerField(_("guinea pigs sold"), default=0)
    milk_price = models.DecimalField(
        _("milk price (S/ per L)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    cheese_price = models.DecimalField(
        _("cheese price (S/ per kg)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    channel = models.CharField(_("main sales channel"), max_length=12, choices=SalesChannel.choices)
    confirmed_unusual = models.BooleanField(_("unusual values confirmed"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProductionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("production record")
        verbose_name_plural = _("production records")
        constraints = [
            models.UniqueConstraint(fields=["association", "month"], name="production_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="production_month_first_day"),
            models.CheckConstraint(
                condition=Q(milk_produced_l__gte=0)
                & Q(milk_sold_l__gte=0)
                & Q(cheese_produced_kg__gte=0)
                & Q(cheese_sold_kg__gte=0)
                & (Q(milk_price__isnull=True) | Q(milk_price__gte=0))
                & (Q(cheese_price__isnull=True) | Q(cheese_price__gte=0)),
                name="production_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} · {self.month:%m/%Y}"
