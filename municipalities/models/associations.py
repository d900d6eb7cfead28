from django.db import models
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Timestamped

from .common import manages_all
from .territory import Municipality


class MunicipalAssociationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MunicipalAssociationQuerySet":
        """Consortium staff see all; municipal staff see the mancomunidades with a member in their scope;
        viewers and association leaders see none (they read public profiles only)."""
        from .common import manages_all

        if manages_all(user):
            return self
        # A subquery, not a join: counting members afterwards must count all of them.
        members = Municipality.objects.worked_by(user)
        return self.filter(pk__in=MunicipalAssociation.objects.filter(members__in=members).values("pk"))

    def editable_by(self, user) -> "MunicipalAssociationQuerySet":
        return self if manages_all(user) else self.none()


class MunicipalAssociation(Timestamped):
    """A mancomunidad: municipalities that work together (Hatun Mayu, Wilcamayu, Santo Tomás basin)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    members = models.ManyToManyField(Municipality, related_name="associations", verbose_name=_("members"))
    registration_reference = models.CharField(_("legal registration reference"), max_length=100, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)

    objects = MunicipalAssociationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("association of municipalities")
        verbose_name_plural = _("associations of municipalities")

    def __str__(self) -> str:
        return self.name


class SupportedAction(Timestamped):
    """Something the project supports in a mancomunidad (a study, a shared plan, a training cycle)."""

    association = models.ForeignKey(
        MunicipalAssociation, on_delete=models.CASCADE, related_name="actions", verbose_name=_("association")
    )
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["year", "title"]
        verbose_name = _("supported action")
        verbose_name_plural = _("supported actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=2000, year__lte=2100),
                name="supported_action_year_sane",
            )
        ]

    def __str__(self) -> str:
        return self.title
