from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.models import Gender
from kallpanchis.core.uploads import describe_documents
from kallpanchis.organisations.models import Organisation
from municipalities.models import District

from .models import (
    AgentByRight,
    BudgetCycle,
    Delegate,
    Milestone,
    ParticipatingAgent,
    Proposal,
    TechnicalTeamMember,
    VigilanceReport,
    Workshop,
    WorkshopParticipant,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CycleCreateForm(forms.ModelForm):
    class Meta:
        model = BudgetCycle
        fields = ["municipality", "fiscal_year", "envelope", "ordinance_reference", "prioritised_results"]
        widgets = {"prioritised_results": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].label_from_instance = lambda m: m.organisation.name

    def validate_unique(self):
        """The service says it in plain words."""


class CycleEditForm(forms.ModelForm):
    class Meta:
        model = BudgetCycle
        fields = ["envelope", "ordinance_reference", "prioritised_results", "agents_commitments"]
        widgets = {
            "prioritised_results": forms.Textarea(attrs={"rows": 4}),
            "agents_commitments": forms.Textarea(attrs={"rows": 4}),
        }


class DatesForm(forms.Form):
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("ends on"), widget=DateInput())


class StepForm(DatesForm):
    name = forms.CharField(label=_("step"), max_length=200)
    field_order = ["name", "starts_on", "ends_on"]


class AgentRegisterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Registered organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— choose —"),
    )
    new_organisation = forms.CharField(
        label=_("or a new organisation (name)"),
        max_length=200,
        required=False,
        help_text=_("For an organisation that is not on the platform yet."),
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("kind of the new organisation"),
        choices=[(k, v) for k, v in Organisation.Kind.choices if k not in ("municipality", "ngo")],
        initial=Organisation.Kind.PRODUCER,
        required=False,
    )
    kind = forms.ChoiceField(label=_("kind of agent"), choices=ParticipatingAgent.Kind.choices)
    accredit_now = forms.BooleanField(
        label=_("Accredit now (documents checked)"), required=False, initial=True
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.exclude(kind=Organisation.Kind.MUNICIPALITY)
            .exclude(budget_participations__cycle=cycle)
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("new_organisation", "").strip():
            raise forms.ValidationError(_("Choose an organisation or type the name of a new one."))
        return data


class AgentJoinForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Your organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None


class AgentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accredit", _("Accredit")), ("refuse", _("Do not accredit"))],
        widget=forms.RadioSelect,
    )
    decision_note = forms.CharField(label=_("reason"), max_length=300, required=False)


class DelegateForm(forms.ModelForm):
    class Meta:
        model = Delegate
        fields = ["full_name", "dni", "gender", "alternate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A delegate picked from (or registered in) the register of people takes their name and gender.
        self.fields["full_name"].required = False
        self.fields["full_name"].help_text = _("Empty: the name of the person picked in the register.")
        self.fields["gender"].required = False


class WorkshopParticipantForm(forms.ModelForm):
    """Who came to a workshop, as written on its list; empty name and gender: the person picked's."""

    class Meta:
        model = WorkshopParticipant
        fields = ["name", "gender", "organisation"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].help_text = _("As written on the list. Empty: the name of the person picked.")
        self.fields["gender"].required = False
        if organisations is not None:
            self.fields["organisation"].queryset = organisations

    def _post_clean(self):
        # The row is validated by the service, which fills name and gender from the person.
        pass


class TechnicalMemberForm(forms.ModelForm):
    class Meta:
        model = TechnicalTeamMember
        fields = ["full_name", "position", "resolution", "from_civil_society"]


class VigilanceRowForm(forms.Form):
    agent = forms.ModelChoiceField(
        label=_("agent"), queryset=ParticipatingAgent.objects.none(), required=False
    )
    full_name = forms.CharField(label=_("full name"), max_length=150, required=False)
    gender = forms.ChoiceField(label=_("gender"), choices=Gender.choices, required=False)
    is_president = forms.BooleanField(label=_("president"), required=False)
    email = forms.EmailField(
        label=_("e-mail of their account (optional)"),
        required=False,
        help_text=_("If they have an account, they can send the committee's reports here."),
    )

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agents is not None:
            self.fields["agent"].queryset = agents

    def clean(self):
        data = super().clean()
        if data.get("full_name") and not (data.get("agent") and data.get("gender")):
            raise forms.ValidationError(_("Give the member's organisation and gender."))
        return data


VigilanceFormSet = forms.formset_factory(VigilanceRowForm, extra=6, max_num=12)


class VigilanceElectionForm(forms.Form):
    elected_on = forms.DateField(label=_("elected on"), widget=DateInput())


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["kind", "meeting", "held_on", "place", "women", "men", "notes", "acta"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        describe_documents(self)
        from spaces.models import Meeting

        # Logged meetings of the municipality's own spaces, newest first; the service checks again.
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(space__municipality_id=cycle.municipality_id, status=Meeting.Status.HELD)
            .select_related("space")
            .order_by("-starts_at")
        )
        # With a meeting chosen, its date, place and attendance are used: they need not be typed.
        for name in ("held_on", "place", "women", "men"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in ("women", "men"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0  # counted from the meeting's attendance when one is chosen
        meeting = data.get("meeting")
        if meeting is not None:
            data["held_on"], data["place"] = timezone.localdate(meeting.starts_at), meeting.place
        else:
            for name in ("held_on", "place"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Write the date and place, or choose the meeting it was held as."))
        return data


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "agent",
            "title",
            "result",
            "district",
            "other_districts",
            "cui",
            "investment_status",
            "cost",
            "cofinancing",
            "cofinancing_source",
            "funding",
            "stage_cost",
            "families",
            "women",
            "description",
            "document",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "other_districts": forms.CheckboxSelectMultiple,
        }

    programming = forms.CharField(
        label=_("multi-year programming"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a yearly tranche: one line per fiscal year, for example 2027: 150000"),
    )

    def clean_programming(self) -> dict[int, Decimal]:
        found = {}
        for line in self.cleaned_data.get("programming", "").splitlines():
            if not line.strip():
                continue
            try:
                year, amount = line.split(":", 1)
                found[int(year.strip())] = Decimal(amount.strip().replace(",", ""))
            except (ValueError, ArithmeticError):
                raise forms.ValidationError(_("Write one line per year: 2027: 150000")) from None
        return found

    def __init__(self, *args, cycle, agents, **kwargs):
        super().__init__(*args, **kwargs)
        describe_documents(self)
        self.fields["agent"].queryset = agents
        self.fields["agent"].label_from_instance = lambda agent: agent.organisation.name
        self.fields["agent"].empty_label = None if agents.count() == 1 else _("— choose —")
        districts = District.objects.filter(province_id=cycle.municipality.province_id)
        self.fields["district"].queryset = districts
        self.fields["other_districts"].queryset = districts
        if cycle.municipality.level == cycle.municipality.Level.DISTRICT:
            del self.fields["other_districts"]
        # A paper form without these is a whole project at the idea stage.
        self.fields["funding"].required = False
        self.fields["investment_status"].required = False
        if cycle.results_list:
            self.fields["result"] = forms.ChoiceField(
                label=_("prioritised result it contributes to"),
                choices=[(r, r) for r in cycle.results_list],
            )

    def clean(self):
        data = super().clean()
        data["funding"] = data.get("funding") or Proposal.Funding.WHOLE
        data["investment_status"] = data.get("investment_status") or Proposal.InvestmentStatus.IDEA
        return data

    def _post_clean(self):
        """Model rules are checked by the service (which says them in plain words)."""


class EvaluationForm(forms.Form):
    admissible = forms.TypedChoiceField(
        label=_("Technical evaluation"),
        choices=[("1", _("Admissible")), ("0", _("Not admissible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("reasons of the evaluation"), widget=forms.Textarea(attrs={"rows": 3}))


class ScoresForm(forms.Form):
    from_paper_sheet = forms.BooleanField(label=_("Typed from a paper score sheet"), required=False)

    def __init__(self, *args, criteria, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"criterion_{c.pk}"] = forms.DecimalField(
                label=f"{c.name} ({c.weight.normalize()} %, 0–{c.scale_max})",
                help_text=c.guidance,
                min_value=Decimal(0),
                max_value=Decimal(c.scale_max),
                max_digits=5,
                decimal_places=2,
                initial=current.get(c.pk),
                validators=[MinValueValidator(0), MaxValueValidator(c.scale_max)],
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
        self.order_fields([*[f"criterion_{c.pk}" for c in criteria], "from_paper_sheet"])

    def values(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class CriterionRowForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("criterion"), max_length=150, required=False)
    weight = forms.DecimalField(
        label=_("weight (%)"), max_digits=5, decimal_places=2, required=False, min_value=0
    )
    scale_max = forms.IntegerField(
        label=_("highest score"), min_value=1, max_value=100, initial=5, required=False
    )
    guidance = forms.CharField(label=_("how to score"), max_length=300, required=False)


MatrixFormSet = forms.formset_factory(CriterionRowForm, extra=2, max_num=15)


class ExecutionUpdateForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DateInput())
    progress_pct = forms.IntegerField(label=_("physical progress (%)"), min_value=0, max_value=100)
    spent = forms.DecimalField(label=_("spent to date (S/)"), min_value=0, max_digits=14, decimal_places=2)
    expected_end = forms.DateField(label=_("expected end"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_on"]
        widgets = {"due_on": DateInput()}


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("done on"), widget=DateInput())


class VigilanceReportForm(forms.ModelForm):
    class Meta:
        model = VigilanceReport
        fields = ["period", "submitted_on", "findings", "proposal", "document"]
        widgets = {"submitted_on": DateInput(), "findings": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        describe_documents(self)
        self.fields["proposal"].queryset = Proposal.objects.filter(cycle=cycle, allocated__isnull=False)

    def _post_clean(self):
        """Checked by the service."""


class GovernanceForm(forms.ModelForm):
    """The mayor who signs, the accreditation requirements, the CCL's opinion, the presentation of results."""

    class Meta:
        model = BudgetCycle
        fields = [
            "mayor_name",
            "mayor_gender",
            "accreditation_requirements",
            "ccl_opinion",
            "ccl_opinion_on",
            "results_to_ccl_on",
            "results_to_council_on",
        ]
        widgets = {
            "accreditation_requirements": forms.Textarea(attrs={"rows": 4}),
            "ccl_opinion": forms.Textarea(attrs={"rows": 3}),
            "ccl_opinion_on": DateInput(),
            "results_to_ccl_on": DateInput(),
            "results_to_council_on": DateInput(),
        }

    def _post_clean(self):
        """Model rules are checked by the service (which says them in plain words)."""


class AgentByRightForm(forms.ModelForm):
    class Meta:
        model = AgentByRight
        fields = ["seat", "full_name", "gender", "represents"]


class ListPublishForm(forms.Form):
    on = forms.DateField(label=_("published on"), widget=DateInput())
    challenges_until = forms.DateField(
        label=_("challenges (tachas) accepted until"), widget=DateInput(), required=False
    )


class ChallengeForm(forms.Form):
    filed_by = forms.CharField(label=_("filed by"), max_length=200)
    filed_on = forms.DateField(label=_("filed on"), widget=DateInput())
    grounds = forms.CharField(label=_("grounds"), widget=forms.Textarea(attrs={"rows": 2}))


class ChallengeDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Upheld: not accredited")), ("0", _("Dismissed"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("reasons of the decision"), max_length=300)
    on = forms.DateField(label=_("decided on"), widget=DateInput())


class ActaForm(forms.Form):
    signed_on = forms.DateField(label=_("acta signed on"), widget=DateInput())
    agents_present = forms.IntegerField(label=_("agents present at the signing"), min_value=0)


class ReplaceForm(forms.Form):
    reason = forms.CharField(label=_("why it cannot be executed"), widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("date"), widget=DateInput())


class IdentityForm(forms.Form):
    cui = forms.CharField(label=_("CUI (Invierte.pe)"), max_length=7, required=False)
    investment_status = forms.ChoiceField(
        label=_("status in Invierte.pe"), choices=Proposal.InvestmentStatus.choices
    )
