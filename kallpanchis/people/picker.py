"""A person picker for the domain apps' forms (a member, a participant, a delegate): find someone in the
register and pick them, or register a new person with their consent, or keep the name as written.

It works without JavaScript: "Search" posts the form back (nothing is saved) and the page lists the people
found as choices; "Save" then posts the choice. The register's rules stay the services': what the picker
gives is a Person the user sees, or a NewPerson for `person_register_and_link`.

    picker = PersonPicker(request.POST or None, request.FILES or None, user=request.user,
                          defaults={"district_ubigeo": "080301"})
    if picker.searching: ...render again...
    if form.is_valid() and picker.is_valid():
        kind, value = picker.choice()   # ("person", Person) | ("new", NewPerson) | ("none", None)
    ...
    except ProbableDuplicate as found:
        picker.offer_duplicates(found)   # the matches become choices; "register anyway" appears

Template: {% include "people/partials/person_picker.html" with picker=picker %} inside the <form>.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import PersonCreateForm
from .models import Person
from .selectors import person_search
from .services import NewPerson, ProbableDuplicate

NONE, PICK, NEW = "none", "person", "new"
RESULTS = 10


class PickForm(forms.Form):
    q = forms.CharField(
        label=_("Find in the register"),
        required=False,
        max_length=100,
        help_text=_("Name, DNI or phone, then “Search”."),
    )
    pick = forms.TypedChoiceField(
        label=_("Person"), coerce=int, required=False, empty_value=None, widget=forms.RadioSelect, choices=()
    )
    register = forms.BooleanField(
        label=_("Register as a new person in the register (with their consent)"), required=False
    )


class PersonPicker:
    """Two forms under one prefix: the search and choice (`<prefix>-q`, `-pick`, `-register`) and the new
    person's data with consent (`<prefix>-new-…`, validated only when "register" is ticked)."""

    def __init__(
        self,
        data=None,
        files=None,
        *,
        user,
        prefix: str = "person",
        current: Person | None = None,
        defaults: dict | None = None,
        allow_register: bool = True,
    ):
        self.user = user
        self.prefix = prefix
        self.data = data
        self.current = current
        self.allow_register = allow_register
        self.duplicates: ProbableDuplicate | None = None
        initial = {"pick": current.pk} if current else {}
        self.pick_form = PickForm(data, prefix=prefix, initial=initial)
        self.new_form = PersonCreateForm(
            data if self.registering else None,
            files if self.registering else None,
            user=user,
            prefix=f"{prefix}-new",
            initial=defaults or {},
        )
        if not allow_register:
            del self.pick_form.fields["register"]
        self._set_choices()

    # --- what was asked --------------------------------------------------------------------------------
    @property
    def searching(self) -> bool:
        """The "Search" button: show the people found, save nothing."""
        return self.data is not None and f"{self.prefix}-search" in self.data

    @property
    def registering(self) -> bool:
        return bool(
            self.allow_register and self.data is not None and self.data.get(f"{self.prefix}-register")
        )

    @property
    def gives_person(self) -> bool:
        """Someone is picked or being registered (before validation): the row's own name may stay empty."""
        return bool(self._picked_id() or self.registering)

    @property
    def query(self) -> str:
        if self.data is None:
            return ""
        return (self.data.get(f"{self.prefix}-q") or "").strip()

    # --- choices ----------------------------------------------------------------------------------------
    def _set_choices(self):
        found = person_search(user=self.user, q=self.query, limit=RESULTS) if self.query else []
        people = {p.pk: p for p in found}
        if self.current is not None:
            people.setdefault(self.current.pk, self.current)
        if self.duplicates is not None:
            for match in self.duplicates.matches:
                people.setdefault(match.person.pk, match.person)
        picked = self._picked_id()
        if picked and picked not in people:
            person = Person.objects.visible_to(self.user).active().filter(pk=picked).first()
            if person is not None:
                people[person.pk] = person
        self.people = list(people.values())
        self.pick_form.fields["pick"].choices = [
            ("", _("Nobody from the register: keep the name as written")),
            *[(p.pk, self.label(p)) for p in self.people],
        ]

    def _picked_id(self) -> int | None:
        if self.data is None:
            return None
        try:
            return int(self.data.get(f"{self.prefix}-pick") or 0) or None
        except (TypeError, ValueError):
            return None

    @staticmethod
    def label(person: Person) -> str:
        parts = [person.display_name, person.get_gender_display()]
        if person.community:
            parts.append(person.community)
        if person.phone:
            parts.append(person.phone_masked)
        return " · ".join(str(p) for p in parts)

    # --- validation ---------------------------------------------------------------------------------------
    def is_valid(self) -> bool:
        ok = self.pick_form.is_valid()
        if ok and self.pick_form.cleaned_data.get("pick") and self.registering:
            self.pick_form.add_error(
                "register", _("Pick someone from the register or register a new person.")
            )
            return False
        if self.registering:
            ok = self.new_form.is_valid() and ok
        return ok

    def choice(self) -> tuple[str, object]:
        """("person", Person), ("new", NewPerson) or ("none", None), after is_valid()."""
        picked = self.pick_form.cleaned_data.get("pick")
        if picked:
            return PICK, next(p for p in self.people if p.pk == picked)
        if self.registering:
            form = self.new_form
            return NEW, NewPerson(
                consent=form.consent_data(),
                fields=form.person_fields(),
                sms_consent=form.cleaned_data["sms_consent"],
                confirmed_new=bool(self.data.get(f"{self.prefix}-confirmed_new")),
            )
        return NONE, None

    def offer_duplicates(self, found: ProbableDuplicate) -> None:
        """After ProbableDuplicate: the matches become choices to pick; "register anyway" when allowed."""
        self.duplicates = found
        self._set_choices()

    @property
    def confirmable(self) -> bool:
        return self.duplicates is not None and self.duplicates.confirmable
