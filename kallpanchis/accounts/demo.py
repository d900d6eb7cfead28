"""One demo person per role; all share DEMO_PASSWORD and have verified e-mails."""

from allauth.account.models import EmailAddress

from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation
from kallpanchis.organisations.services import organisation_ensure

from .models import Role, User
from .services import role_grant

DEMO_PASSWORD = "kallpanchis-demo-2026"  # noqa: S105 (printed by seed_demo: it is a demo)

# (e-mail, first name, last name, role, organisation name or None)
DEMO_PEOPLE = [
    (
        "coordinadora@demo.kallpanchis.pe",
        "Claire",
        "Dupont",
        Role.COORDINATOR,
        "Agronomes et Vétérinaires Sans Frontières",
    ),
    (
        "socio@demo.kallpanchis.pe",
        "Rosa",
        "Huamán",
        Role.PARTNER_STAFF,
        'Centro de Apoyo al Desarrollo Económico y Productivo "José María Arguedas"',
    ),
    (
        "admin.anta@demo.kallpanchis.pe",
        "Jorge",
        "Quispe",
        Role.MUNICIPAL_ADMIN,
        "Municipalidad Provincial de Anta",
    ),
    (
        "tecnico.anta@demo.kallpanchis.pe",
        "Luis",
        "Mamani",
        Role.TECHNICIAN,
        "Municipalidad Provincial de Anta",
    ),
    (
        "tecnica.chumbivilcas@demo.kallpanchis.pe",
        "Nélida",
        "Ccahuana",
        Role.TECHNICIAN,
        "Municipalidad Provincial de Chumbivilcas",
    ),
    (
        "presupuesto.anta@demo.kallpanchis.pe",
        "Édgar",
        "Condori",
        Role.TECHNICAL_TEAM,
        "Municipalidad Provincial de Anta",
    ),
    (
        "lider@demo.kallpanchis.pe",
        "Justina",
        "Huillca",
        Role.LEADER,
        "Asociación de Productores Lecheros Virgen de Natividad",
    ),
    ("visor@demo.kallpanchis.pe", "Ana", "Torres", Role.VIEWER, None),
]


# So that the pages name their roles as they would (Coordinadora, Técnico municipal…).
DEMO_GENDERS = {
    "coordinadora@demo.kallpanchis.pe": Gender.FEMALE,
    "socio@demo.kallpanchis.pe": Gender.FEMALE,
    "admin.anta@demo.kallpanchis.pe": Gender.MALE,
    "tecnico.anta@demo.kallpanchis.pe": Gender.MALE,
    "tecnica.chumbivilcas@demo.kallpanchis.pe": Gender.FEMALE,
    "presupuesto.anta@demo.kallpanchis.pe": Gender.MALE,
    "lider@demo.kallpanchis.pe": Gender.FEMALE,
    "visor@demo.kallpanchis.pe": Gender.FEMALE,
}


def person_demo_ensure(*, email: str, first_name: str, last_name: str) -> User:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, first_name=first_name, last_name=last_name
    )
    user.set_password(DEMO_PASSWORD)
    user.gender = DEMO_GENDERS.get(email, Gender.UNSTATED)
    user.save(update_fields=["password", "gender"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return user


def seed(stdout) -> None:
    # The leader's association exists as an organisation from the start; producers/ adds its profile.
    organisation_ensure(
        name="Asociación de Productores Lecheros Virgen de Natividad", kind=Organisation.Kind.PRODUCER
    )
    for email, first, last, role, organisation_name in DEMO_PEOPLE:
        user = person_demo_ensure(email=email, first_name=first, last_name=last)
        organisation = Organisation.objects.get(name=organisation_name) if organisation_name else None
        role_grant(by=None, user=user, role=role, organisation=organisation)
    admin = person_demo_ensure(email="admin@demo.kallpanchis.pe", first_name="Admin", last_name="Kallpanchis")
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    stdout.write(f"\nDemo people (password for all: {DEMO_PASSWORD}):")
    for email, _first, _last, role, organisation_name in DEMO_PEOPLE:
        stdout.write(f"  {Role(role).label:<28} {email:<45} {organisation_name or ''}")
    stdout.write(f"  {'Staff (Django admin)':<28} admin@demo.kallpanchis.pe")
    stdout.write("  Coordinators and staff are asked to set up two-factor authentication at first sign-in.")
