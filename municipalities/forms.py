from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from kallpanchis.accounts.models import User
from kallpanchis.core.uploads import describe_documents
from kallpanchis.organisations.models import Organisation

from .models import (
    Event,
    EventParticipation,
    MunicipalAssociation,
    Municipality,
    PartnershipAgreement,
    SupportedAction,
    Technician,
    Training,
    TrainingAttendance,
)

# The refusals of kallpanchis.core.uploads, shown on the agreement form: listed here so that this app's
# catalogue translates them too (the project catalogue wins when it has them).
UPLOAD_MESSAGES = (
    gettext_noop("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
    gettext_noop("This is not a valid %(allowed)s file. Save or scan it as %(allowed)s, then try again."),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _municipalities():
    return Municipality.objects.select_related("organisation").order_by("organisation__name")


class MunicipalityProfileForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = ["office_name", "address", "phone", "email", "publishes_open_data"]


class AgreementForm(forms.ModelForm):
    class Meta:
        model = PartnershipAgreement
        fields = [
            "municipality",
            "title",
            "consortium_parties",
            "signed_on",
            "valid_from",
            "valid_until",
            "objectives",
            "consortium_commitments",
            "municipality_commitments",
            "document",
        ]
        widgets = {
            "signed_on": DateInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "consortium_parties": forms.CheckboxSelectMultiple,
            "document": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = _municipalities()
        self.fields["consortium_parties"].queryset = Organisation.objects.exclude(consortium_role="")
        describe_documents(self)


class TechnicianForm(forms.ModelForm):
    class Meta:
        model = Technician
        fields = [
            "municipality",
            "person_name",
            "gender",
            "position",
            "since",
            "until",
            "email",
            "phone",
            "user",
        ]
        widgets = {"since": DateInput(), "until": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        editable = Municipality.objects.profile_editable_by(user).select_related("organisation")
        self.fields["municipality"].queryset = editable.order_by("organisation__name")
        # Only accounts that work for a municipality this person may edit can be linked.
        self.fields["user"].queryset = User.objects.filter(
            role_assignments__organisation__municipality__in=editable
        ).distinct()
        self.fields["user"].help_text = _("Optional: link the member to their account, if they have one.")
        # A member picked from (or registered in) the register of people takes their name and gender.
        self.fields["person_name"].required = False
        self.fields["person_name"].help_text = _("Empty: the name of the person picked in the register.")
        self.fields["gender"].required = False


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["title", "topic", "held_on", "place", "trainer_organisation", "materials"]
        widgets = {"held_on": DateInput()}


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = TrainingAttendance
        fields = ["technician", "person_name", "municipality", "gender", "completed"]

    def __init__(self, *args, person_given: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_given = person_given  # picked or registered in the register of people: their name is used
        self.fields["technician"].queryset = Technician.objects.select_related("municipality__organisation")
        self.fields["municipality"].queryset = _municipalities()
        self.fields["person_name"].required = False
        self.fields["gender"].required = False
        self.fields["person_name"].help_text = _("Leave empty for a network member: their name is used.")

    def clean(self):
        data = super().clean()
        if not data.get("technician") and not self.person_given:
            if not data.get("person_name"):
                self.add_error("person_name", _("Choose a network member or write the person's name."))
            if not data.get("gender"):
                self.add_error("gender", _("Say the person's gender: participation is counted by gender."))
        return data

    def _post_clean(self):
        # The row is validated by the service, which fills name, municipality and gender from the member.
        pass


class AssociationForm(forms.ModelForm):
    class Meta:
        model = MunicipalAssociation
        fields = ["name", "members", "registration_reference", "purpose"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _municipalities()


class SupportedActionForm(forms.ModelForm):
    class Meta:
        model = SupportedAction
        fields = ["title", "description", "year"]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "scope", "starts_on", "ends_on", "place", "organisers", "description"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "organisers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = Organisation.objects.exclude(kind=Organisation.Kind.PRODUCER)


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = EventParticipation
        fields = ["municipality", "women", "men", "who"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = _municipalities()

    def _post_clean(self):
        # One row per event and municipality: the service replaces an existing row's figures.
        pass
