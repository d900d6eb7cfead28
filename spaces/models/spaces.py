"""Concertation spaces, the thematic groups they work on and their member organisations."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from kallpanchis.core.models import Timestamped
from municipalities.models import MunicipalAssociation, Municipality


def managed_municipalities(user) -> models.QuerySet:
    """Municipalities whose spaces this person manages: technicians and administrators of a municipality,
    and, for a provincial one, of the district municipalities of its province."""
    own = access_for(user).organisations_with(Role.TECHNICIAN, Role.MUNICIPAL_ADMIN)
    if not own:
        return Municipality.objects.none()
    provinces = Municipality.objects.filter(
        organisation_id__in=own, level=Municipality.Level.PROVINCIAL
    ).values("province_id")
    return Municipality.objects.filter(Q(organisation_id__in=own) | Q(province_id__in=provinces))


class ThematicGroup(models.Model):
    """A theme a space may work on (milk, guinea pigs, gastronomy …); coordinators add more in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thematic group")
        verbose_name_plural = _("thematic groups")

    def __str__(self) -> str:
        return self.name


class ConcertationSpaceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConcertationSpaceQuerySet":
        """Consortium-wide roles read every space; municipal staff read the spaces of the municipalities
        (and associations) in their scope; people of a member organisation read the spaces it sits in."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        if access.consortium_wide:
            return self
        municipalities = Municipality.objects.visible_to(user).values("pk")
        associations = MunicipalAssociation.objects.filter(members__in=municipalities).values("pk")
        member_of = SpaceMember.objects.filter(organisation_id__in=list(access.by_organisation)).values(
            "space_id"
        )
        return self.filter(
            Q(municipality_id__in=municipalities) | Q(association_id__in=associations) | Q(pk__in=member_of)
        )

    def editable_by(self, user) -> "ConcertationSpaceQuerySet":
        """Technicians and administrators of the convening municipality (or of a member municipality of
        the convening association) manage a space; coordinators only read."""
        access = access_for(user)
        if access.superuser:
            return self
        managed = managed_municipalities(user).values("pk")
        associations = MunicipalAssociation.objects.filter(members__in=managed).values("pk")
        return self.filter(Q(municipality_id__in=managed) | Q(association_id__in=associations))


class ConcertationSpace(Timestamped):
    """A standing forum convened by a municipality or an association of municipalities."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial")
        DISTRICT = "district", pgettext_lazy("space level", "District")
        INTERMUNICIPAL = "intermunicipal", _("Inter-municipal")

    class Kind(models.TextChoices):
        TECHNICAL = "technical", _("Technical")
        POLITICAL = "political", _("Political")
        DEVELOPMENT = "development", _("Development")
        THEMATIC = "thematic", _("Thematic")

    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        verbose_name=_("convening municipality"),
    )
    association = models.ForeignKey(
        MunicipalAssociation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        verbose_name=_("convening association of municipalities"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subspaces",
        verbose_name=_("part of"),
    )
    thematic_group = models.ForeignKey(
        ThematicGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        verbose_name=_("thematic group"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    is_public = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_("Anyone may see its upcoming meetings and agreements (never the names of participants)."),
    )
    reminder_days = models.CharField(
        _("reminder days before a meeting"),
        max_length=20,
        default="3,1",
        validators=[RegexValidator(r"^\s*\d{1,2}(\s*,\s*\d{1,2}){0,3}\s*$", _("Write days as numbers: 3,1"))],
        help_text=_("Invited members get an e-mail this many days before each meeting, e.g. 3,1."),
    )

    objects = ConcertationSpaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("concertation space")
        verbose_name_plural = _("concertation spaces")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, association__isnull=True)
                | Q(municipality__isnull=True, association__isnull=False),
                name="space_one_convener",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="space_not_its_own_parent"),
            models.UniqueConstraint(fields=["municipality", "name"], name="space_name_once_per_municipality"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def convener(self):
        return self.municipality or self.association


class SpaceMember(models.Model):
    """An organisation that sits in a space, with its representative(s) and role there."""

    class Role(models.TextChoices):
        CONVENER = "convener", _("Convener")
        SECRETARIAT = "secretariat", _("Technical secretariat")
        MEMBER = "member", _("Member")
        ADVISER = "adviser", _("Adviser")

    space = models.ForeignKey(ConcertationSpace, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="space_memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the space"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    representatives = models.CharField(
        _("representatives"), max_length=300, blank=True, help_text=_("Names, separated by commas.")
    )
    # The same representatives as people of the register: the meeting log lists them to tick, and they are
    # counted once. The text above stays for names nobody registered (no consent).
    representative_people = models.ManyToManyField(
        "people.Person",
        blank=True,
        related_name="space_representations",
        verbose_name=_("representatives (registered)"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Erasing a person blanks the typed names of the memberships that list them (docs/people.md).
    PERSONAL_DATA_FIELDS = ("representatives",)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        constraints = [
            models.UniqueConstraint(fields=["space", "organisation"], name="space_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.space}"
