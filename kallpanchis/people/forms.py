from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Gender

from . import scope
from .models import Consent, Language, Person
from .services import ConsentData
from .text import dni_clean, phone_e164


def _district_field(user, initial=None):
    choices = scope.district_choices(user)
    if choices is None:  # no app says which districts exist: the code as typed
        return forms.RegexField(
            label=_("District (UBIGEO)"), regex=r"^[0-9]{6}$", max_length=6, help_text=_("6 digits.")
        )
    if initial and initial not in {code for code, _label in choices}:
        # The row that brings the person in says where they live (an association's district, for a leader
        # who registers a new member): offered by name even outside the user's own list.
        choices = [*choices, (initial, scope.district_names([initial]).get(initial, initial))]
    return forms.ChoiceField(label=_("District"), choices=[("", "—"), *choices])


class PersonForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=100)
    first_surname = forms.CharField(label=_("First surname"), max_length=60)
    second_surname = forms.CharField(label=_("Second surname"), max_length=60, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900)
    dni = forms.CharField(
        label=_("DNI"),
        max_length=12,
        required=False,
        help_text=_("8 digits; leave empty when the person has none."),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, help_text=_("For example 987 654 321.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    community = forms.CharField(
        label=_("Community"), max_length=120, required=False, help_text=_("Comunidad campesina or annex.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        initial = self.initial.get("district_ubigeo")
        self.fields["district_ubigeo"] = _district_field(user, initial)
        self.fields["birth_year"].widget.attrs.update(max=timezone.localdate().year, inputmode="numeric")
        self.fields["dni"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise ValidationError(_("The year of birth cannot be in the future."))
        return year

    def clean_dni(self):
        return dni_clean(self.cleaned_data.get("dni", ""))

    def clean_phone(self):
        return phone_e164(self.cleaned_data.get("phone", ""))

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        from .text import phone_display

        return {
            "given_names": person.given_names,
            "first_surname": person.first_surname,
            "second_surname": person.second_surname,
            "gender": person.gender,
            "birth_year": person.birth_year,
            "dni": person.dni,
            "phone": phone_display(person.phone),
            "languages": person.languages,
            "community": person.community,
            "district_ubigeo": person.district_ubigeo,
        }


class ConsentFieldsMixin(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=_("To be registered as a participant in the activities of the projects and counted once."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(
        label=_("How it was given"), choices=Consent.Method.choices, widget=forms.RadioSelect
    )
    witness_name = forms.CharField(
        label=_("Witness"), max_length=150, required=False, help_text=_("Needed for a verbal consent.")
    )
    scanned_sheet = forms.FileField(label=_("Scanned sheet (PDF, JPEG or PNG)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("method") == Consent.Method.VERBAL and not (data.get("witness_name") or "").strip():
            self.add_error("witness_name", _("A verbal consent needs the name of its witness."))
        if data.get("given_on") and data["given_on"] > timezone.localdate():
            self.add_error("given_on", _("A consent cannot be given in the future."))
        return data

    def consent_data(self, kind=Consent.Kind.REGISTRATION) -> ConsentData:
        data = self.cleaned_data
        return ConsentData(
            kind=kind,
            purpose=data["purpose"],
            given_on=data["given_on"],
            method=data["method"],
            witness_name=data.get("witness_name", ""),
            scanned_sheet=data.get("scanned_sheet"),
        )


class PersonCreateForm(PersonForm, ConsentFieldsMixin):
    consent_given = forms.BooleanField(
        label=_("The person agreed to be registered (Ley 29733), as recorded below."), required=True
    )
    sms_consent = forms.BooleanField(
        label=_("The person also agrees to be contacted by SMS."), required=False
    )
    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()
        self.order_fields(
            [
                *PersonForm.base_fields,
                "district_ubigeo",
                "consent_given",
                *ConsentFieldsMixin.base_fields,
                "sms_consent",
            ]
        )

    def person_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in [*PersonForm.base_fields, "district_ubigeo"]}


class ConsentForm(ConsentFieldsMixin):
    kind = forms.ChoiceField(label=_("Consent to"), choices=Consent.Kind.choices, widget=forms.RadioSelect)

    field_order = ["kind", "purpose", "given_on", "method", "witness_name", "scanned_sheet"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()
        self.fields["purpose"].initial = None


class MergeForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    keep = forms.ChoiceField(
        label=_("Which record stays"),
        choices=[("this", _("This person's record")), ("other", _("The other record"))],
        widget=forms.RadioSelect,
        initial="this",
    )


class FamilyForm(forms.Form):
    members = forms.TypedMultipleChoiceField(
        label=_("Members"), coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )
    reference_person = forms.TypedChoiceField(
        label=_("Reference person"), coerce=int, required=False, empty_value=None, choices=()
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.pk, p.display_name) for p in people]
        self.fields["members"].choices = choices
        self.fields["reference_person"].choices = [("", "—"), *choices]
        self.people = {p.pk: p for p in people}

    def clean(self):
        data = super().clean()
        ref = data.get("reference_person")
        if ref and ref not in (data.get("members") or []):
            self.add_error("reference_person", _("The reference person must be one of the family's members."))
        return data
