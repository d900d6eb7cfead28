from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.core.models import Timestamped


class Organisation(Timestamped):
    """Any actor that takes part: an NGO of the consortium, a municipality, a public or private institution,
    a producer organisation. Municipalities and producer associations hang their details off one of these,
    so that a person's role is always 'role X in organisation Y'."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        PUBLIC = "public", _("Public institution")
        PRIVATE = "private", _("Private institution")
        MUNICIPALITY = "municipality", _("Municipality")
        PRODUCER = "producer", _("Producer organisation")
        OTHER = "other", pgettext_lazy("organisation kind", "Other")

    class ConsortiumRole(models.TextChoices):
        NONE = "", _("Not a consortium partner")
        COORDINATION = "coordination", _("Coordination")
        PRODUCTION = "production", _("Technical support to production")
        MUNICIPALITIES = "municipalities", _("Support to the municipalities")
        PRODUCERS = "producers", _("Producer organisation, market access")
        PUBLIC_OWNER = "public_owner", _("Public owner of the process")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    consortium_role = models.CharField(
        _("role in the consortium"), max_length=20, choices=ConsortiumRole.choices, blank=True, default=""
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_consortium_partner(self) -> bool:
        return bool(self.consortium_role)
