"""Producer associations, their members, and the scope every producers' record follows."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.accounts.access import access_for
from kallpanchis.accounts.models import Role
from kallpanchis.core.fields import ChoiceListField
from kallpanchis.core.models import Gender, Timestamped

from ..validators import validate_dni, validate_ruc


class ProductiveLine(models.TextChoices):
    MILK = "milk", _("Milk")
    CHEESE = "cheese", _("Cheese")
    GUINEA_PIGS = "guinea_pigs", _("Guinea pigs")
    GASTRONOMY = "gastronomy", _("Gastronomy")
    OTHER = "other", _("Other")


def _territory_q(municipalities, prefix: str = "") -> Q:
    """Associations in the territory of these municipalities: a district municipality covers its district,
    a provincial one its whole province."""
    from municipalities.models import Municipality

    return Q(
        **{
            f"{prefix}district_id__in": municipalities.filter(level=Municipality.Level.DISTRICT).values(
                "district_id"
            )
        }
    ) | Q(
        **{
            f"{prefix}district__province_id__in": municipalities.filter(
                level=Municipality.Level.PROVINCIAL
            ).values("province_id")
        }
    )


class AssociationScope:
    """The same scope for associations and for everything hanging off one (`prefix` = path to it)."""

    prefix = ""

    def visible_to(self, user):
        """Consortium-wide roles see all; a leader sees their association; municipal staff see the
        associations in their municipality's territory."""
        from municipalities.models import Municipality

        access = access_for(user)
        if access.consortium_wide:
            return self
        q = Q(**{f"{self.prefix}organisation_id__in": access.association_organisations})
        if access.municipality_organisations:
            q |= _territory_q(Municipality.objects.visible_to(user), self.prefix)
        return self.filter(q)

    def editable_by(self, user):
        """Who manages the association (profile, members, plans, production): its leaders and coordinators."""
        access = access_for(user)
        if access.is_coordinator:
            return self
        return self.filter(**{f"{self.prefix}organisation_id__in": access.association_organisations})

    def reviewable_by(self, user):
        """Who reviews its plans: coordinators, and technicians of a municipality whose territory holds it."""
        from municipalities.models import Municipality

        access = access_for(user)
        if access.is_coordinator:
            return self
        own = access.organisations_with(Role.TECHNICIAN)
        if not own:
            return self.none()
        return self.filter(_territory_q(Municipality.objects.filter(organisation_id__in=own), self.prefix))


class ProducerAssociationQuerySet(AssociationScope, models.QuerySet):
    prefix = ""


class ProducerAssociation(Timestamped):
    """An organisation of peasant families. Its name and leaders live on its Organisation (kind producer):
    a leader is a person with the role 'leader' there."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="producer_association",
        verbose_name=_("organisation"),
    )
    ruc = models.CharField(_("RUC"), max_length=11, blank=True, validators=[validate_ruc])
    district = models.ForeignKey(
        "municipalities.District", on_delete=models.PROTECT, related_name="producer_associations"
    )
    communities = models.CharField(
        _("communities"), max_length=300, blank=True, help_text=_("Separate them with commas.")
    )
    founded_on = models.DateField(_("date founded"), null=True, blank=True)
    # As the association declares it; the families counted from its members linked to people are beside it.
    families = models.PositiveIntegerField(
        _("member families (declared)"),
        help_text=_("As the association declares it; the register counts the families of its members apart."),
    )
    productive_lines = ChoiceListField(
        _("productive lines"), item_choices=ProductiveLine.choices, default=list, blank=True
    )

    objects = ProducerAssociationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("producer association")
        verbose_name_plural = _("producer associations")
        constraints = [
            models.UniqueConstraint(fields=["ruc"], condition=~Q(ruc=""), name="association_ruc_unique"),
            models.CheckConstraint(condition=Q(families__gte=1), name="association_has_families"),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    def get_productive_lines_display(self) -> str:
        labels = dict(ProductiveLine.choices)
        return ", ".join(str(labels.get(line, line)) for line in self.productive_lines)


class MemberQuerySet(AssociationScope, models.QuerySet):
    prefix = "association__"


class Member(models.Model):
    """A member of an association as its register lists them. `person` links the row to the register of
    people once the member is known there (with their consent); the name stays as the association wrote it."""

    # Blanked when the person is erased at their request (docs/people.md); the row still counts.
    PERSONAL_DATA_FIELDS = ("name", "dni")

    class BoardRole(models.TextChoices):
        NONE = "", _("Not on the board")
        PRESIDENT = "president", _("President")
        VICE_PRESIDENT = "vice_president", _("Vice-president")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")
        SPOKESPERSON = "vocal", _("Board member (vocal)")

    association = models.ForeignKey(ProducerAssociation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("person in the register"),
    )
    name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    dni = models.CharField(_("DNI"), max_length=8, blank=True, validators=[validate_dni])
    board_role = models.CharField(
        _("role on the board"), max_length=20, choices=BoardRole.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("association member", "member")
        verbose_name_plural = pgettext_lazy("association member", "members")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "dni"], condition=~Q(dni=""), name="member_dni_once_per_association"
            ),
            models.CheckConstraint(condition=Q(dni="") | Q(dni__regex=r"^[0-9]{8}$"), name="member_dni_8"),
            models.UniqueConstraint(
                fields=["association", "person"],
                condition=Q(person__isnull=False),
                name="member_person_once_per_association",
                violation_error_message=_("This person is already a member of the association."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
