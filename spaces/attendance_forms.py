"""The attendance step of the meeting log: people ticked in the space's list (or found with the register's
search box), and rows for anyone else — a new person registered with the consent they ticked on the signed
sheet, or, without it, an anonymous row (name as written, gender, organisation)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation

from .forms import BaseRowsFormSet, QuickCheckboxInput, QuickHiddenInput, QuickSelect, QuickTextInput, Styled
from .services import AttendanceRow, NewAttendee

# Words that belong to the surname after them ("De la Cruz"), for splitting "Quispe De la Cruz".
SURNAME_PARTICLES = {"de", "del", "la", "las", "los", "y", "san", "santa", "da", "di", "van", "von"}
NEW, LINK = "new", "link"


def split_surnames(text: str) -> tuple[str, str]:
    """Peruvian surnames written in one box: father's then mother's. "Quispe Mamani" → (Quispe, Mamani);
    "Quispe De la Cruz" → (Quispe, De la Cruz); "De la Cruz Quispe" → (De la Cruz, Quispe)."""
    words = text.split()
    if len(words) < 2:
        return (words[0] if words else ""), ""
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in SURNAME_PARTICLES:
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


class PeopleField(forms.TypedMultipleChoiceField):
    """Ids of people ticked in the list, or added from the register's search box (which the list does not
    offer as choices): any id is accepted here; meeting_log checks who may be linked."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class AttendancePickForm(forms.Form):
    present = PeopleField(label=_("Who came"))


class NewAttendeeForm(Styled, forms.Form):
    """One person who is not in the list. `link_to` is set when the person turned out to be registered
    already ("<id>", after the probable-duplicate warning), or "new" when the technician says it is someone
    else; the script fills it, or the warning's radio buttons without JavaScript."""

    given_names = forms.CharField(
        label=_("Given names"), max_length=100, required=False, widget=QuickTextInput
    )
    surnames = forms.CharField(
        label=_("Surnames"),
        max_length=120,
        required=False,
        help_text=_("Father's, then mother's."),
        widget=QuickTextInput,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False, widget=QuickSelect
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— other —"),
        widget=QuickSelect,
    )
    organisation_name = forms.CharField(
        label=_("Other organisation"), max_length=200, required=False, widget=QuickTextInput
    )
    community = forms.CharField(label=_("Community"), max_length=120, required=False, widget=QuickTextInput)
    consent = forms.BooleanField(
        label=_("Agrees to be in the register (ticked on the signed sheet)"),
        required=False,
        help_text=_("Without it the row keeps only the name as written, gender and organisation."),
        widget=QuickCheckboxInput,
    )
    dni = forms.CharField(
        label=_("DNI"),
        max_length=12,
        required=False,
        help_text=_("8 digits, if they have one."),
        widget=QuickTextInput(attrs={"inputmode": "numeric"}),
    )
    district = forms.ChoiceField(label=_("District"), required=False, widget=QuickSelect)
    role = forms.CharField(
        label=pgettext_lazy("organisation post", "Role"),
        max_length=100,
        required=False,
        widget=QuickTextInput,
    )
    is_producer = forms.BooleanField(label=_("Producer"), required=False, widget=QuickCheckboxInput)
    link_to = forms.CharField(required=False, widget=QuickHiddenInput, max_length=20)

    def __init__(
        self,
        *args,
        organisations=None,
        organisation_choices=None,
        district_choices=(),
        default_district="",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations
        if organisation_choices is not None:
            # Read once for all rows: a phone page with several rows must not cost a query each.
            self.fields["organisation"].choices = organisation_choices
        self.fields["district"].choices = [("", "—"), *district_choices]
        self.fields["district"].initial = default_district
        self.duplicates = []  # the probable matches shown after meeting_log's warning

    def has_changed(self) -> bool:
        # The district comes filled in (where the space's people usually live): choosing it alone is not a
        # row someone wrote, and a spare row posted without it is still spare.
        return any(name != "district" for name in self.changed_data)

    @property
    def name(self) -> str:
        d = getattr(self, "cleaned_data", {})
        return " ".join(f"{d.get('given_names', '')} {d.get('surnames', '')}".split())

    def clean(self):
        data = super().clean()
        # A row the person did not touch is skipped by the formset; a touched row needs a name and gender.
        if not data.get("given_names", "").strip() and not data.get("link_to", "").isdigit():
            self.add_error("given_names", _("Write the person's name, or clear this row."))
        if not data.get("gender"):
            self.add_error("gender", _("Choose a gender."))
        link = data.get("link_to", "")
        if link and link != NEW and not link.isdigit():
            self.add_error(None, _("Choose who this person is."))
        if data.get("consent") and not link.isdigit():
            if not data.get("surnames", "").strip():
                self.add_error("surnames", _("Write the surnames of someone who enters the register."))
            if not data.get("district"):
                self.add_error("district", _("Choose the district where they live."))
        elif data.get("dni", "").strip() and not link.isdigit():
            self.add_error(
                "dni", _("A DNI is kept only with the person's consent: tick the box or clear it.")
            )
        return data

    @property
    def linked_id(self) -> int | None:
        link = self.cleaned_data.get("link_to", "")
        return int(link) if link.isdigit() else None

    def to_row(self, people: dict) -> AttendanceRow:
        """`people`: the registered people rows were linked to, by id (read once for all rows)."""
        d = self.cleaned_data
        row = {
            "name": self.name,
            "gender": d["gender"],
            "organisation": d["organisation"],
            "organisation_name": d["organisation_name"],
            "role": d["role"],
            "is_producer": d["is_producer"],
        }
        if self.linked_id is not None:
            return AttendanceRow(**row, person=people.get(self.linked_id))
        if d["consent"]:
            first, second = split_surnames(d["surnames"])
            new = NewAttendee(
                given_names=d["given_names"].strip(),
                first_surname=first,
                second_surname=second,
                gender=d["gender"],
                community=d["community"].strip(),
                district_ubigeo=d["district"],
                dni=d["dni"],
                confirmed_new=d["link_to"] == NEW,
            )
            return AttendanceRow(**row, new_person=new)
        return AttendanceRow(**row)


NewAttendeeFormSet = forms.formset_factory(NewAttendeeForm, formset=BaseRowsFormSet, extra=3, max_num=300)
