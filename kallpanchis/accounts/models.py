from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.core.models import Gender


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. The e-mail is the login; roles come from RoleAssignment."""

    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Optional: only so that the platform names the person's role as they would (Técnica / Técnico).
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=Gender.choices,
        default=Gender.UNSTATED,
        help_text=_("Used to name the role: Técnica or Técnico, Coordinadora or Coordinador."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = pgettext_lazy("user accounts", "people")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    MUNICIPAL_ADMIN = "municipal_admin", _("Municipal administrator")
    TECHNICIAN = "technician", _("Municipal technician")
    TECHNICAL_TEAM = "technical_team", _("Equipo Técnico (participatory budget)")
    LEADER = "leader", _("Association leader")
    VIEWER = "viewer", _("Viewer")


# A role as a woman or a man holding it is called (Spanish and French tell them apart: Técnica municipal,
# Coordinadora); when the gender is not stated, the role's own label ("Coordinador(a)").
ROLE_NAMES = {
    Gender.FEMALE: {
        Role.COORDINATOR: pgettext_lazy("held by a woman", "Coordinator"),
        Role.PARTNER_STAFF: pgettext_lazy("held by a woman", "Partner staff"),
        Role.MUNICIPAL_ADMIN: pgettext_lazy("held by a woman", "Municipal administrator"),
        Role.TECHNICIAN: pgettext_lazy("held by a woman", "Municipal technician"),
        Role.TECHNICAL_TEAM: pgettext_lazy("held by a woman", "Equipo Técnico (participatory budget)"),
        Role.LEADER: pgettext_lazy("held by a woman", "Association leader"),
        Role.VIEWER: pgettext_lazy("held by a woman", "Viewer"),
    },
    Gender.MALE: {
        Role.COORDINATOR: pgettext_lazy("held by a man", "Coordinator"),
        Role.PARTNER_STAFF: pgettext_lazy("held by a man", "Partner staff"),
        Role.MUNICIPAL_ADMIN: pgettext_lazy("held by a man", "Municipal administrator"),
        Role.TECHNICIAN: pgettext_lazy("held by a man", "Municipal technician"),
        Role.TECHNICAL_TEAM: pgettext_lazy("held by a man", "Equipo Técnico (participatory budget)"),
        Role.LEADER: pgettext_lazy("held by a man", "Association leader"),
        Role.VIEWER: pgettext_lazy("held by a man", "Viewer"),
    },
}


def role_name(role: str, gender: str = Gender.UNSTATED) -> str:
    """The role's name for a person of this gender."""
    named = ROLE_NAMES.get(gender, {}).get(role)
    return str(named if named is not None else Role(role).label)


# Roles that act for a municipality: their organisation must be a municipality.
MUNICIPAL_ROLES = frozenset({Role.MUNICIPAL_ADMIN, Role.TECHNICIAN, Role.TECHNICAL_TEAM})
# Roles that see the whole consortium's work.
CONSORTIUM_ROLES = frozenset({Role.COORDINATOR, Role.PARTNER_STAFF})


class RoleAssignment(models.Model):
    """'This person holds this role in this organisation.' A coordinator's organisation is their NGO; a
    technician's is their municipality; a leader's is their producer association; a viewer with no
    organisation reads consortium-wide."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    since = models.DateField(_("since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation"], name="role_once_per_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False)
                | models.Q(role__in=["coordinator", "partner_staff", "viewer"]),
                name="role_scoped_roles_need_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.organisation or '—'}"

    @property
    def role_label(self) -> str:
        """The role as its holder is called (Técnica municipal, Coordinador) when their gender is known."""
        return role_name(self.role, self.user.gender)
