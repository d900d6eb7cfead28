from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kallpanchis.core.mail import mail_queue
from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation

from .access import access_for, forget_access
from .models import CONSORTIUM_ROLES, MUNICIPAL_ROLES, Role, RoleAssignment, User

# Roles a municipal administrator may give, in their own municipality only.
ROLES_A_MUNICIPAL_ADMIN_GIVES = frozenset(
    {Role.MUNICIPAL_ADMIN, Role.TECHNICIAN, Role.TECHNICAL_TEAM, Role.VIEWER}
)


def role_check_grantable(*, by: User, role: str, organisation: Organisation | None) -> None:
    """Coordinators give any role; a municipal administrator gives municipal roles in their municipality.
    A role's organisation must fit it: municipal roles belong to a municipality, a leader to a producer
    organisation, consortium roles to a partner of the consortium."""
    access = access_for(by)
    if not access.is_coordinator:
        own = access.organisations_with(Role.MUNICIPAL_ADMIN)
        if role not in ROLES_A_MUNICIPAL_ADMIN_GIVES or organisation is None or organisation.pk not in own:
            raise PermissionDenied(_("You may only add people to your own municipality."))
    if role in MUNICIPAL_ROLES and (
        organisation is None or organisation.kind != Organisation.Kind.MUNICIPALITY
    ):
        raise ValidationError({"organisation": _("This role needs a municipality.")})
    if role == Role.LEADER and (organisation is None or organisation.kind != Organisation.Kind.PRODUCER):
        raise ValidationError({"organisation": _("An association leader needs their producer organisation.")})
    if role in CONSORTIUM_ROLES and (organisation is None or not organisation.is_consortium_partner):
        raise ValidationError(
            {"organisation": _("This role needs a partner organisation of the consortium.")}
        )


@transaction.atomic
def role_grant(
    *, by: User | None, user: User, role: str, organisation: Organisation | None
) -> RoleAssignment:
    """Give a role (by=None only for management commands such as seed_demo)."""
    if by is not None:
        role_check_grantable(by=by, role=role, organisation=organisation)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organisation=organisation
    )
    forget_access(user)
    return assignment


def _invitation_link(user: User, base_url: str) -> str:
    """allauth's own set-password-from-key page; the token dies once the password is set."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return base_url.rstrip("/") + path


@transaction.atomic
def person_invite(
    *,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    organisation: Organisation | None,
    base_url: str,
    language: str = "es",
    gender: str = "",
) -> User:
    """Create a person with no password and a role, and e-mail them a link to choose their password.
    The e-mail is queued only once the person exists for good (after commit) and sent by a worker."""
    role_check_grantable(by=by, role=role, organisation=organisation)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Someone with this e-mail already has an account.")})
    user = User.objects.create_user(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        gender=gender if gender in Gender.values else Gender.UNSTATED,
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    role_grant(by=by, user=user, role=role, organisation=organisation)
    link = _invitation_link(user, base_url)
    with translation.override(language):
        context = {"user": user, "link": link, "inviter": str(by), "role": user.role_assignments.first()}
        message = EmailMessage(
            subject=_("[Kallpanchis] Your account is ready: choose your password"),
            body=render_to_string("accounts/emails/invitation.txt", context),
            to=[email],
        )
    mail_queue(message)
    return user


def email_verify_after_password_set(sender, request, user, **kwargs) -> None:
    """The password was set from a link sent to the primary address: that address is now verified."""
    EmailAddress.objects.filter(user=user, primary=True, verified=False).update(verified=True)
