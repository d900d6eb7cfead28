from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.accounts.access import access_for


class TerritoryFields(models.Model):
    """What INEI/CEPLAN figures say of a place (reference data, see municipalities/data/SOURCES.md)."""

    name = models.CharField(_("name"), max_length=100)
    capital = models.CharField(_("capital"), max_length=100, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=10, decimal_places=7, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=10, decimal_places=7, null=True, blank=True)
    altitude_m = models.PositiveIntegerField(_("altitude (m)"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    population_estimate = models.PositiveIntegerField(_("population (2020 estimate)"), null=True, blank=True)
    poverty_pct = models.DecimalField(_("poverty (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    extreme_poverty_pct = models.DecimalField(
        _("extreme poverty (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        abstract = True


class Province(TerritoryFields):
    code = models.CharField(_("UBIGEO"), max_length=4, unique=True, help_text=_("INEI code, 4 digits"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class District(TerritoryFields):
    ubigeo = models.CharField(_("UBIGEO"), max_length=6, unique=True, help_text=_("INEI code, 6 digits"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["ubigeo"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.CheckConstraint(condition=Q(ubigeo__regex=r"^08[0-9]{4}$"), name="district_ubigeo_cusco"),
        ]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MunicipalityQuerySet":
        """Consortium-wide roles see every municipality; municipal staff see their own, and a provincial
        municipality's staff also see the district municipalities of their province."""
        access = access_for(user)
        if access.consortium_wide:
            return self
        return self._around(access.municipality_organisations)

    def worked_by(self, user) -> "MunicipalityQuerySet":
        """Whose full profile, agreements and technicians a person reads in this app: consortium
        staff every municipality; municipal staff (administrator, technician, budget team) the same scope
        as visible_to. Viewers and association leaders read public profiles only."""
        from kallpanchis.accounts.models import MUNICIPAL_ROLES, Role

        access = access_for(user)
        if access.has(Role.COORDINATOR, Role.PARTNER_STAFF):
            return self
        return self._around(access.organisations_with(*MUNICIPAL_ROLES))

    def _around(self, own) -> "MunicipalityQuerySet":
        """The municipalities of these organisations and, for a provincial one, its province's districts."""
        if not own:
            return self.none()
        provinces = Municipality.objects.filter(
            organisation_id__in=own, level=Municipality.Level.PROVINCIAL
        ).values("province_id")
        return self.filter(Q(organisation_id__in=own) | Q(province_id__in=provinces))

    def editable_by(self, user) -> "MunicipalityQuerySet":
        """Coordinators edit every municipality; its own administrators and technicians edit it."""
        access = access_for(user)
        if access.is_coordinator:
            return self
        from kallpanchis.accounts.models import Role

        return self.filter(
            organisation_id__in=access.organisations_with(Role.MUNICIPAL_ADMIN, Role.TECHNICIAN)
        )

    def profile_editable_by(self, user) -> "MunicipalityQuerySet":
        """Who may edit a municipality's profile and its technicians: coordinators and partner staff all of
        them (they manage everything here), administrators and technicians their own."""
        from .common import manages_all

        if manages_all(user):
            return self
        return self.editable_by(user)

    def public(self) -> "MunicipalityQuerySet":
        """Every signed-in person may read a municipality's public profile (place, office, contacts)."""
        return self


class Municipality(models.Model):
    class Level(models.TextChoices):
        PROVINCIAL = "provincial", pgettext_lazy("municipality level", "Provincial")
        DISTRICT = "district", pgettext_lazy("municipality level", "District")

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="municipality"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="municipalities")
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="municipalities",
        help_text=_("For a provincial municipality, the district of its capital."),
    )
    office_name = models.CharField(_("economic-development office"), max_length=200, blank=True, default="")
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Transparency (Ley 27806) is the municipality's decision: its public spaces, budget cycles and results
    # go out as open data and to anonymous API readers only when it says so.
    publishes_open_data = models.BooleanField(
        _("publishes open data"),
        default=False,
        help_text=_(
            "Its public concertation spaces, their meetings and agreements, and its participatory-budget "
            "cycles and results are published as open data (CC BY 4.0), without names of people."
        ),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["level", "organisation__name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.UniqueConstraint(
                fields=["province"], condition=Q(level="provincial"), name="one_provincial_municipality"
            ),
            models.UniqueConstraint(
                fields=["district"], condition=Q(level="district"), name="one_district_municipality"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation.name)

    @property
    def ubigeo(self) -> str:
        return self.province.code if self.level == self.Level.PROVINCIAL else self.district.ubigeo

    @property
    def place(self) -> "Province | District":
        """Where the reference figures come from: the province for a provincial municipality."""
        return self.province if self.level == self.Level.PROVINCIAL else self.district
