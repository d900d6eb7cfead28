import datetime

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.core.uploads import DocumentValidator, describe_documents
from kallpanchis.organisations.models import Organisation
from municipalities.models import MunicipalAssociation

from .models import (
    EVIDENCE_MAX_BYTES,
    SIGNED_RECORD_MAX_BYTES,
    Agreement,
    ConcertationSpace,
    SpaceMember,
    ThematicGroup,
    managed_municipalities,
)
from .services import AgendaItemData, AgreementData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class QuickSelect(forms.Select):
    """A <select> written in Python. Django renders each option through a template (about 0.1 ms each); the
    meeting log has several selects of organisations (members, everyone) and must stay fast with hundreds.
    Flat choices only, as these fields have."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)  # noqa: S308  # nosec B308 B703: a constant
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class QuickInputMixin:
    """An <input> written in Python, as Django's own template writes it (see QuickSelect)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = format_html(' value="{}"', widget["value"]) if widget["value"] is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], name, shown, flatatt(widget["attrs"])
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickHiddenInput(QuickInputMixin, forms.HiddenInput):
    pass


class QuickCheckboxInput(QuickInputMixin, forms.CheckboxInput):
    pass


class QuickDateInput(QuickInputMixin, forms.DateInput):
    pass


class Styled:
    """Bootstrap classes on every widget, so templates render fields plainly (no crispy layout needed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class SpaceForm(Styled, forms.ModelForm):
    def clean_reminder_days(self) -> str:
        return self.cleaned_data.get("reminder_days") or "3,1"

    class Meta:
        model = ConcertationSpace
        fields = [
            "name",
            "municipality",
            "association",
            "parent",
            "level",
            "kind",
            "thematic_group",
            "purpose",
            "is_public",
            "reminder_days",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reminder_days"].required = False  # left empty: the usual 3 days and 1 day before
        managed = managed_municipalities(user)
        if editing:
            for name in ("municipality", "association", "parent"):
                del self.fields[name]
        else:
            self.fields["municipality"].queryset = managed.select_related("organisation")
            self.fields["association"].queryset = MunicipalAssociation.objects.filter(
                members__in=managed.values("pk")
            ).distinct()
            self.fields["parent"].queryset = ConcertationSpace.objects.editable_by(user)
            self.fields["parent"].help_text = _("For a sub-space or thematic group: the space it belongs to.")
        self.fields["thematic_group"].queryset = ThematicGroup.objects.all()

    def clean(self):
        data = super().clean()
        if "municipality" in self.fields and not data.get("parent"):
            if bool(data.get("municipality")) == bool(data.get("association")):
                self.add_error(
                    "municipality",
                    _("Choose the convening municipality or the association of municipalities."),
                )
        return data


class ThematicGroupForm(Styled, forms.ModelForm):
    class Meta:
        model = ThematicGroup
        fields = ["name"]


class SpaceMemberForm(Styled, forms.ModelForm):
    representative_people = forms.CharField(
        label=_("Representatives in the register"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "DNI or full name of each one, one per line; they are then listed to tick at every meeting."
        ),
    )

    class Meta:
        model = SpaceMember
        fields = ["organisation", "role", "representatives"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_representative_people(self) -> list:
        """Each line must name exactly one person of the register the technician sees."""
        from kallpanchis.people.selectors import person_search

        found, errors = [], []
        for line in (self.cleaned_data.get("representative_people") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            matches = person_search(user=self.user, q=line, limit=2) if self.user is not None else []
            if len(matches) == 1:
                found.append(matches[0])
            elif matches:
                errors.append(_("“%(line)s” matches several people: write their DNI.") % {"line": line})
            else:
                errors.append(_("Nobody in the register you may see matches “%(line)s”.") % {"line": line})
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(found))


class AgendaItemForm(Styled, forms.Form):
    title = forms.CharField(label=_("Item"), max_length=200)
    presenter = forms.CharField(label=_("Presented by"), max_length=200, required=False)
    # Not "Minutes": Spanish reads that msgid as the meeting's record ("Acta").
    duration_minutes = forms.IntegerField(
        label=pgettext_lazy("agenda item", "Duration (minutes)"), min_value=1, max_value=600, required=False
    )

    def to_data(self) -> AgendaItemData:
        d = self.cleaned_data
        return AgendaItemData(
            title=d["title"], presenter=d["presenter"], duration_minutes=d["duration_minutes"]
        )


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=3)


class MeetingTimesMixin:
    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
            else:
                data["starts_at"], data["ends_at"] = _aware(day, start), _aware(day, end)
        return data


class MeetingForm(MeetingTimesMixin, Styled, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)
    place = forms.CharField(label=_("Place or village"), max_length=200)
    convened_by = forms.CharField(label=_("Convened by"), max_length=200, required=False)
    invited = forms.ModelMultipleChoiceField(
        label=_("Invite"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, space: ConcertationSpace, **kwargs):
        super().__init__(*args, **kwargs)
        members = Organisation.objects.filter(space_memberships__space=space).order_by("name")
        self.fields["invited"].queryset = members
        self.fields["convened_by"].help_text = _("Leave empty for %(convener)s.") % {
            "convener": space.convener
        }
        if not self.is_bound:
            self.initial.setdefault("invited", list(members.values_list("pk", flat=True)))


class PostponeForm(MeetingTimesMixin, Styled, forms.Form):
    date = forms.DateField(label=_("New date"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MeetingLogForm(Styled, forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was discussed, item by item."),
    )
    decisions = forms.CharField(
        label=_("Decisions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    signed_record = forms.FileField(
        label=_("Signed record (scan)"),
        required=False,
        validators=[DocumentValidator(max_bytes=SIGNED_RECORD_MAX_BYTES)],
        help_text=_("PDF, JPEG or PNG, up to %(mb)s MB.") % {"mb": SIGNED_RECORD_MAX_BYTES // 1048576},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe_documents(self)


class AgreementForm(Styled, forms.Form):
    what = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=QuickSelect,
    )
    responsible_person = forms.CharField(
        label=_("Responsible person"), max_length=200, required=False, widget=QuickTextInput
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=QuickDateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )

    def __init__(self, *args, meeting_day: datetime.date | None = None, organisation_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting_day = meeting_day
        self.fields["responsible_organisation"].queryset = Organisation.objects.order_by("name")
        if organisation_choices is not None:
            self.fields["responsible_organisation"].choices = organisation_choices
            self.fields["responsible_organisation"].help_text = _(
                "The organisations of this meeting's space. Anyone else: write their name in "
                "Responsible person."
            )

    def clean(self):
        data = super().clean()
        if not data.get("what", "").strip():
            self.add_error("what", _("Write what was agreed, or clear this agreement."))
        due = data.get("due_date")
        if due is None and "due_date" not in self.errors:
            self.add_error("due_date", _("Give a due date."))
        elif due and self.meeting_day and due < self.meeting_day:
            self.add_error("due_date", _("The due date cannot be before the meeting."))
        if not data.get("responsible_organisation") and not data.get("responsible_person", "").strip():
            self.add_error("responsible_person", _("Say who answers for it: an organisation or a person."))
        return data

    def to_data(self) -> AgreementData:
        d = self.cleaned_data
        return AgreementData(
            what=d["what"],
            due_date=d["due_date"],
            responsible_organisation=d["responsible_organisation"],
            responsible_person=d["responsible_person"],
        )


def organisation_choices(organisations, empty_label) -> list[tuple]:
    return [("", empty_label), *((o.pk, o.name) for o in organisations)]


class BaseRowsFormSet(forms.BaseFormSet):
    """Blank rows are skipped (they are the spare lines of the paper sheet); touched rows are checked."""

    def _construct_form(self, i, **kwargs):
        # Rows carried over by "add more rows" come back as initial forms: a blank one is still skipped.
        return super()._construct_form(i, empty_permitted=True, **kwargs)

    def filled_forms(self):
        return [f for f in self.forms if f.has_changed() and f.is_valid()]


# Editing an agenda: existing items come back as rows; clearing an item's title removes it.
AgendaEditFormSet = forms.formset_factory(AgendaItemForm, formset=BaseRowsFormSet, extra=2, max_num=30)
AgreementFormSet = forms.formset_factory(AgreementForm, formset=BaseRowsFormSet, extra=2, max_num=50)


class AgreementStatusForm(Styled, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Agreement.Status.choices)
    done_on = forms.DateField(
        label=_("Done on"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("When it was done; leave empty for today. Only for “Done”."),
    )
    note = forms.CharField(
        label=_("Follow-up note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        validators=[DocumentValidator(max_bytes=EVIDENCE_MAX_BYTES)],
        help_text=_("Optional: PDF, JPEG or PNG, up to %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // 1048576},
    )

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        describe_documents(self)
        self.fields["to_status"].choices = [c for c in Agreement.Status.choices if c[0] != agreement.status]


class AgreementFilterForm(Styled, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    # Set by the links of the consortium's home page ("Anta: 4 overdue agreements"); not shown as a field.
    municipality = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    space = forms.ModelChoiceField(
        label=_("Space"), queryset=ConcertationSpace.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Agreement.Status.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("My organisation's only"), required=False)

    def __init__(self, *args, spaces, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces
        self.fields["organisation"].queryset = organisations
