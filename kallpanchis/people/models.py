"""The register of people and families: everyone the projects reach, counted once.

A person enters the register only with their consent recorded (Peru's Ley 29733 on personal data); what the
services enforce is written in services/. Domain apps link their rows to a Person with an ordinary foreign
key and declare which of their fields are personal data (`PERSONAL_DATA_FIELDS`, see docs/people.md).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.accounts.access import access_for
from kallpanchis.core.fields import ChoiceListField
from kallpanchis.core.models import Gender, Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath

from . import scope
from .text import phone_masked

UBIGEO_RE = r"^[0-9]{6}$"
ubigeo_validator = RegexValidator(UBIGEO_RE, _("A district's UBIGEO code has 6 digits."))


class Language(models.TextChoices):
    QUECHUA = "quechua", _("Quechua")
    SPANISH = "spanish", _("Spanish")
    AYMARA = "aymara", _("Aymara")
    OTHER = "other", pgettext_lazy("language", "Other")


class AgeGroup(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    FROM_18 = "18-29", _("18 to 29")
    FROM_30 = "30-44", _("30 to 44")
    FROM_45 = "45-59", _("45 to 59")
    FROM_60 = "60+", _("60 and over")
    UNKNOWN = "", _("Age not stated")


# Lower bound of each group, in years of age: the same bands for a person's page and for the counts.
AGE_BANDS = [(60, AgeGroup.FROM_60), (45, AgeGroup.FROM_45), (30, AgeGroup.FROM_30), (18, AgeGroup.FROM_18)]


def age_group_of(birth_year: int | None, year: int | None = None) -> str:
    if not birth_year:
        return AgeGroup.UNKNOWN
    age = (year or timezone.localdate().year) - birth_year
    for lower, group in AGE_BANDS:
        if age >= lower:
            return group
    return AgeGroup.UNDER_18


def age_group_expression(year: int):
    """The age group as a database expression, for counting by group without loading people."""
    whens = [
        models.When(birth_year__lte=year - lower, then=models.Value(str(group))) for lower, group in AGE_BANDS
    ]
    return models.Case(
        models.When(birth_year__isnull=True, then=models.Value(str(AgeGroup.UNKNOWN))),
        *whens,
        default=models.Value(str(AgeGroup.UNDER_18)),
        output_field=models.CharField(),
    )


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        """Who may read a person's page: coordinators everyone; others through the scope hooks the domain
        apps register (municipal staff: their territory). Partner staff and viewers: nobody (counts only)."""
        condition = scope.person_condition(user)
        if condition is None:
            return self.none()
        return self.filter(condition) if condition is not scope.EVERYONE else self

    def editable_by(self, user) -> "PersonQuerySet":
        """Who may correct a person and record their consent: the same people one may read (only register
        keepers read them; a leader, their association's members)."""
        return self.visible_to(user)

    def managed_by(self, user) -> "PersonQuerySet":
        """Who may merge and erase: the registrars (coordinators, municipal staff) over the people they read.
        A leader corrects their members' data but asks the technician to merge duplicates or to erase a
        person's data, so that a record leaves the register through those who keep it."""
        if not scope.may_register_people(access_for(user)):
            return self.none()
        return self.visible_to(user)

    def active(self) -> "PersonQuerySet":
        """Not erased: the people lists, search and duplicate checks show only these."""
        return self.filter(erased_at__isnull=True)


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FamilyQuerySet":
        """A family is seen by whoever sees one of its members (a family always has one)."""
        condition = scope.person_condition(user)
        if condition is None:
            return self.none()
        if condition is scope.EVERYONE:
            return self
        members = Person.objects.filter(condition, family=models.OuterRef("pk"))
        return self.filter(models.Exists(members))

    def editable_by(self, user) -> "FamilyQuerySet":
        return self.visible_to(user)


class Family(Timestamped):
    """A household. Its reference person ("persona de referencia") is the member the household is known
    by, not a "head" who ranks above the others."""

    community = models.CharField(_("community"), max_length=120, blank=True)
    district_ubigeo = models.CharField(_("district (UBIGEO)"), max_length=6, validators=[ubigeo_validator])
    reference_person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="families_referenced",
        verbose_name=_("reference person"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FamilyQuerySet.as_manager()

    class Meta:
        ordering = ["district_ubigeo", "community", "pk"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            models.CheckConstraint(
                condition=Q(district_ubigeo__regex=UBIGEO_RE), name="family_ubigeo_6_digits"
            )
        ]

    def __str__(self) -> str:
        if self.reference_person_id:
            return _("Family of %(name)s") % {"name": self.reference_person.display_name}
        return _("Family %(number)s") % {"number": self.pk}


class Person(Timestamped):
    """Someone the projects reach, once: at every meeting, training and workshop the same row."""

    ERASED_LABEL = _("Anonymised person %(number)s")

    given_names = models.CharField(_("given names"), max_length=100)
    first_surname = models.CharField(_("first surname"), max_length=60)
    second_surname = models.CharField(_("second surname"), max_length=60, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    dni = models.CharField(
        _("DNI"), max_length=8, blank=True, help_text=_("8 digits; leave empty when the person has none.")
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True, help_text=_("Stored as +51…"))
    languages = ChoiceListField(_("languages spoken"), item_choices=Language.choices, blank=True)
    community = models.CharField(
        _("community"), max_length=120, blank=True, help_text=_("Comunidad campesina or annex.")
    )
    district_ubigeo = models.CharField(_("district (UBIGEO)"), max_length=6, validators=[ubigeo_validator])
    family = models.ForeignKey(
        Family,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("family"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    # Lower case, no accents: what search and the duplicate checks compare (kept by the services).
    search_name = models.CharField(max_length=230, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["first_surname", "second_surname", "given_names", "pk"]
        verbose_name = _("person")
        verbose_name_plural = pgettext_lazy("register", "people")
        constraints = [
            models.UniqueConstraint(fields=["dni"], condition=~Q(dni=""), name="person_dni_unique"),
            models.CheckConstraint(
                condition=Q(dni="") | Q(dni__regex=r"^[0-9]{8}$"), name="person_dni_8_digits"
            ),
            models.CheckConstraint(
                condition=Q(district_ubigeo__regex=UBIGEO_RE), name="person_ubigeo_6_digits"
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_plausible",
            ),
        ]
        indexes = [models.Index(fields=["phone"], name="person_phone")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        surnames = " ".join(s for s in (self.first_surname, self.second_surname) if s)
        return f"{self.given_names} {surnames}".strip()

    @property
    def age_group(self) -> str:
        return age_group_of(self.birth_year)

    def get_age_group_display(self) -> str:
        return AgeGroup(self.age_group).label

    @property
    def phone_masked(self) -> str:
        return phone_masked(self.phone)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def get_languages_display(self) -> str:
        labels = dict(Language.choices)
        return ", ".join(str(labels.get(code, code)) for code in self.languages)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("people:person_detail", args=[self.pk])


class Consent(models.Model):
    """Consent under Ley 29733: to be in the register (registration) and, separately, to be contacted by
    SMS. Given on a signed paper sheet, or verbally before a witness whose name is kept."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration in the register")
        SMS = "sms", _("Contact by SMS")

    class Method(models.TextChoices):
        PAPER = "paper", _("Signed paper sheet")
        VERBAL = "verbal", _("Verbal, before a witness")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("purpose"))
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how it was given"), max_length=10, choices=Method.choices)
    witness_name = models.CharField(_("witness"), max_length=150, blank=True)
    scanned_sheet = models.FileField(
        _("scanned sheet"),
        upload_to=PrivatePath("consents"),
        validators=[DocumentValidator()],
        blank=True,
        max_length=200,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Withdrawn because the person asked to be erased; the row stays as proof of what was agreed and when.
    closed_by_erasure = models.BooleanField(default=False)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="verbal") | ~Q(witness_name=""), name="consent_verbal_needs_witness"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.given_on:%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class MergeRecord(models.Model):
    """Two rows were the same person: who merged them, what the removed row held, and exactly which
    references moved, so that the merge can be undone."""

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges", verbose_name=_("kept"))
    merged_id = models.BigIntegerField()
    # The merged person's fields as they were (restored by an undo); scrubbed if the kept person is erased.
    merged_snapshot = models.JSONField(default=dict)
    # Fields of the kept person that were empty and took the merged person's value: {field: value before}.
    kept_filled = models.JSONField(default=dict)
    # [{"model": "app.Model", "pk": 1, "field": "person"}, ...] and, for a link that would have been a
    # duplicate, {"model": ..., "field": ..., "removed": {field: value}} (the row was deleted).
    references = models.JSONField(default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("on"), auto_now_add=True)
    undone_at = models.DateTimeField(_("undone on"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.kept_id}"

    @property
    def merged_name(self) -> str:
        snap = self.merged_snapshot
        surnames = " ".join(s for s in (snap.get("first_surname"), snap.get("second_surname")) if s)
        return f"{snap.get('given_names', '')} {surnames}".strip()


class Erasure(models.Model):
    """That a person's data was erased at their request (cancellation), by whom and when; no name."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="erasure")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    rows_blanked = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"#{self.person_id} · {self.at:%d/%m/%Y}"


class ImportMatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportMatchQuerySet":
        """Whoever registers people decides the rows whose candidates they see (coordinators: all)."""
        from kallpanchis.accounts.access import access_for

        access = access_for(user)
        if not access.authenticated or not scope.may_register_people(access):
            return self.none()
        if access.is_coordinator:
            return self
        seen = Person.objects.visible_to(user).filter(import_candidacies=models.OuterRef("pk"))
        return self.filter(models.Exists(seen))


class ImportMatch(models.Model):
    """A row written before the register (an attendance, a member, a training place) whose name fits several
    people, or someone without the organisation or community to tell: a technician picks the person, or
    says it is none of them. Kept after the decision, so the import does not ask again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        PICKED = "picked", _("Linked to the person picked")
        SKIPPED = "skipped", _("None of them")

    # The row's name as written is personal data: blanked when a candidate is erased.
    PERSONAL_DATA_FIELDS = ("name",)

    source = models.CharField(max_length=60)  # "app_label.Model" of the row (kallpanchis.people.legacy)
    row_id = models.BigIntegerField()
    name = models.CharField(_("name as written"), max_length=200)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNSTATED)
    context = models.CharField(_("where"), max_length=300, blank=True)
    district_ubigeo = models.CharField(max_length=6, blank=True)
    candidates = models.ManyToManyField(Person, related_name="import_candidacies", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="import_decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImportMatchQuerySet.as_manager()

    class Meta:
        ordering = ["source", "row_id"]
        verbose_name = _("row to match")
        verbose_name_plural = _("rows to match")
        constraints = [
            models.UniqueConstraint(fields=["source", "row_id"], name="import_match_once_per_row"),
            models.CheckConstraint(
                condition=~Q(status="picked") | Q(person__isnull=False), name="import_match_picked_has_person"
            ),
        ]
        indexes = [models.Index(fields=["status", "source"], name="import_match_status")]

    def __str__(self) -> str:
        return f"{self.source} #{self.row_id}"
