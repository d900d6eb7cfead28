from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from municipalities.models import District

from .models import (
    BudgetSource,
    Member,
    PlanSection,
    ProducerAssociation,
    ProductionRecord,
    ProductiveLine,
)
from .services import ActivityData, PlanContent
from .validators import validate_dni, validate_ruc

MONTH_LABELS = [
    (1, _("Jan")),
    (2, _("Feb")),
    (3, _("Mar")),
    (4, _("Apr")),
    (5, _("May")),
    (6, _("Jun")),
    (7, _("Jul")),
    (8, _("Aug")),
    (9, _("Sep")),
    (10, _("Oct")),
    (11, _("Nov")),
    (12, _("Dec")),
]


class AssociationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    ruc = forms.CharField(label=_("RUC"), max_length=11, required=False, validators=[validate_ruc])
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.select_related("province")
    )
    communities = forms.CharField(
        label=_("Communities"), max_length=300, required=False, help_text=_("Separate them with commas.")
    )
    founded_on = forms.DateField(
        label=_("Date founded"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    families = forms.IntegerField(
        label=_("Member families (declared)"),
        min_value=1,
        max_value=100000,
        help_text=_("As the association declares it; the register counts its members' families apart."),
    )
    productive_lines = forms.MultipleChoiceField(
        label=_("Productive lines"),
        choices=ProductiveLine.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, can_move=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].label_from_instance = lambda d: f"{d.name} ({d.province.name}) · {d.ubigeo}"
        if not can_move:
            self.fields["district"].disabled = True

    @staticmethod
    def initial_for(association: ProducerAssociation) -> dict:
        return {
            "name": association.organisation.name,
            "ruc": association.ruc,
            "district": association.district_id,
            "communities": association.communities,
            "founded_on": association.founded_on,
            "families": association.families,
            "productive_lines": association.productive_lines,
        }


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "gender", "dni", "board_role"]
        widgets = {"gender": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dni"].validators = [validate_dni]
        self.fields["dni"].help_text = _("Optional. 8 digits.")
        # A member picked from (or registered in) the register of people takes their name and gender.
        self.fields["name"].required = False
        self.fields["name"].help_text = _("As the association writes it. Empty: the person's name.")
        self.fields["gender"].required = False


class PlanForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    diagnosis = forms.CharField(
        label=_("Short diagnosis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    general_objective = forms.CharField(
        label=_("General objective"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    specific_objectives = forms.CharField(
        label=_("Specific objectives"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lines_of_action = forms.CharField(
        label=_("Lines of action"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _money(label):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=200)
    indicator = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        required=False,
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    responsible = forms.CharField(label=_("Responsible"), max_length=150, required=False)
    months = forms.TypedMultipleChoiceField(
        label=_("Months"),
        choices=MONTH_LABELS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in BudgetSource.choices:
            self.fields[f"budget_{value}"] = _money(label)

    @staticmethod
    def initial_for(activity) -> dict:
        initial = {
            "title": activity.title,
            "indicator": activity.indicator,
            "quantity": activity.quantity,
            "unit": activity.unit,
            "responsible": activity.responsible,
            "months": activity.month_numbers,
        }
        for line in activity.budget_lines.all():
            initial[f"budget_{line.source}"] = line.amount
        return initial

    def to_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            title=data["title"],
            indicator=data["indicator"],
            unit=data["unit"],
            quantity=data["quantity"],
            responsible=data["responsible"],
            months=sum(1 << (m - 1) for m in data["months"]),
            budget={v: data.get(f"budget_{v}") for v in BudgetSource.values if data.get(f"budget_{v}")},
        )

    def budget_fields(self):
        return [self[f"budget_{v}"] for v in BudgetSource.values]


ActivityFormSet = forms.formset_factory(ActivityForm, extra=1, can_delete=True, max_num=40)


def plan_content(form: PlanForm, formset) -> PlanContent:
    # Unchanged rows count too (they hold what was saved before); empty extra rows and deleted rows do not.
    activities = [
        f.to_data() for f in formset.forms if f.cleaned_data.get("title") and not f.cleaned_data.get("DELETE")
    ]
    return PlanContent(
        **{k: form.cleaned_data[k] for k in PlanContent.TEXT_FIELDS},
        activities=activities,
    )


class PlanStartForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PlanReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("General message"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in PlanSection.choices:
            self.fields[f"section_{value}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def section_comments(self) -> list[tuple[str, str]]:
        return [(v, self.cleaned_data.get(f"section_{v}", "")) for v in PlanSection.values]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeadlineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    due_on = forms.DateField(
        label=_("Submission deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ProductionRecordForm(forms.ModelForm):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m", "%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "2009-01"}, format="%Y-%m"),
    )
    confirm = forms.BooleanField(label=_("I confirm these values are right"), required=False)

    class Meta:
        model = ProductionRecord
        fields = [
            "month",
            "cows_milked",
            "milk_produced_l",
            "milk_sold_l",
            "cheese_produced_kg",
            "cheese_sold_kg",
            "guinea_pigs_sold",
            "milk_price",
            "cheese_price",
            "channel",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField | forms.IntegerField):
                field.min_value = 0
                field.validators.append(MinValueValidator(0))
                field.widget.attrs.update({"min": "0", "inputmode": "decimal"})

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("month", "confirm")}


IMPORT_MAX_BYTES = 2 * 1024 * 1024


class ProductionImportForm(forms.Form):
    # static/js/forms.js refuses a wrong or too big file in the browser; clean_file checks again.
    file = forms.FileField(
        label=_("CSV or Excel (XLSX) file"),
        help_text=_("CSV or XLSX, up to 2 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx",
                "data-max-bytes": str(IMPORT_MAX_BYTES),
                "data-too-big": _("The file is too large. The limit is 2 MB."),
                "data-wrong-type": _("Send a CSV or XLSX file."),
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large. The limit is 2 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Send a CSV or XLSX file."))
        return upload
