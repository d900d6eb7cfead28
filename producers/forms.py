from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from municipalities.models import District

from .models import (
    BudgetSource,
    Contribution,
    Member,
    OperatingPlan,
    Periodicity,
    PlanSection,
    ProducerAssociation,
    ProductionRecord,
    ProductiveLine,
)
from .services import ActivityData, BudgetLineData, PlanContent
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

    MIN_LINES = 3
    MAX_LINES = 12

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = self.MIN_LINES
        if self.is_bound:
            used = [k for k in range(self.MAX_LINES) if self.add_prefix(f"line{k}_source") in self.data]
            rows = max(rows, (max(used) + 1) if used else 0)
        else:
            rows = max(rows, len((self.initial or {}).get("lines", [])) + 1)
        self.line_count = min(rows, self.MAX_LINES)
        for k in range(self.line_count):
            self.fields[f"line{k}_source"] = forms.ChoiceField(
                label=_("Source"), choices=[("", "—"), *BudgetSource.choices], required=False
            )
            self.fields[f"line{k}_contribution"] = forms.ChoiceField(
                label=_("Contribution"), choices=Contribution.choices, required=False
            )
            self.fields[f"line{k}_units"] = forms.DecimalField(
                label=_("Quantity"),
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
            )
            self.fields[f"line{k}_unit_cost"] = _money(_("Unit cost (S/)"))
        for k, line in enumerate((self.initial or {}).get("lines", [])[: self.line_count]):
            for name, value in line.items():
                self.fields[f"line{k}_{name}"].initial = value

    @staticmethod
    def initial_for(activity) -> dict:
        return {
            "title": activity.title,
            "indicator": activity.indicator,
            "quantity": activity.quantity,
            "unit": activity.unit,
            "responsible": activity.responsible,
            "months": activity.month_numbers,
            "lines": [
                {
                    "source": line.source,
                    "contribution": line.contribution,
                    "units": line.units,
                    "unit_cost": line.unit_cost,
                }
                for line in sorted(
                    activity.budget_lines.all(),
                    key=lambda line: (BudgetSource.values.index(line.source), line.contribution),
                )
            ],
        }

    def has_changed(self) -> bool:
        """An empty activity stays empty when only its lines' cash/in-kind choice was sent (a select always
        sends one)."""
        return any(not name.endswith("_contribution") for name in self.changed_data)

    def clean(self):
        data = super().clean()
        for k in range(self.line_count):
            source, cost = data.get(f"line{k}_source"), data.get(f"line{k}_unit_cost")
            if source and cost is None:
                self.add_error(f"line{k}_unit_cost", _("Give the unit cost."))
            elif cost and not source:
                self.add_error(f"line{k}_source", _("Choose who pays."))
        return data

    def budget_data(self) -> list[BudgetLineData]:
        data, lines = self.cleaned_data, []
        for k in range(self.line_count):
            source, cost = data.get(f"line{k}_source"), data.get(f"line{k}_unit_cost")
            if not source or cost is None:
                continue
            units = data.get(f"line{k}_units")
            lines.append(
                BudgetLineData(
                    source=source,
                    unit_cost=cost,
                    units=Decimal(1) if units is None else units,
                    contribution=data.get(f"line{k}_contribution") or Contribution.CASH,
                )
            )
        return lines

    def to_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            title=data["title"],
            indicator=data["indicator"],
            unit=data["unit"],
            quantity=data["quantity"],
            responsible=data["responsible"],
            months=sum(1 << (m - 1) for m in data["months"]),
            budget=self.budget_data(),
        )

    def budget_rows(self):
        return [
            (
                self[f"line{k}_source"],
                self[f"line{k}_contribution"],
                self[f"line{k}_units"],
                self[f"line{k}_unit_cost"],
            )
            for k in range(self.line_count)
        ]


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


class AssemblyForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the asamblea"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    call = forms.ChoiceField(label=_("Call"), choices=OperatingPlan.AssemblyCall.choices)
    minutes_ref = forms.CharField(
        label=_("Acta: book and page"),
        max_length=120,
        required=False,
        help_text=_("For example: Libro 2, folio 35."),
    )
    minutes_file = forms.FileField(
        label=_("Photo or scan of the acta (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,.pdf"}),
    )
    members_present = forms.IntegerField(label=_("Members present"), min_value=0)
    members_total = forms.IntegerField(label=_("Members in good standing"), min_value=1)
    votes_for = forms.IntegerField(label=_("Votes in favour of the plan"), min_value=0)

    def clean_minutes_file(self):
        upload = self.cleaned_data.get("minutes_file")
        if upload and upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is too large. The limit is 10 MB."))
        if upload and not upload.name.lower().endswith((".jpg", ".jpeg", ".png", ".pdf")):
            raise forms.ValidationError(_("Send a photo (JPEG, PNG) or a PDF."))
        return upload


class ReportForm(forms.Form):
    """A period's report: per activity the quantity done and the money spent per source it is budgeted
    from; a note; photos. Field names: a<activity id>_done, a<activity id>_<source>."""

    period = forms.TypedChoiceField(label=_("Period"), coerce=int)
    note = forms.CharField(
        label=_("Short note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    keep_gps = forms.BooleanField(
        label=_("Keep the place where the photos were taken (GPS)"),
        required=False,
        help_text=_("Without this, only the picture is kept: no place, date or phone."),
    )

    def __init__(self, *args, activities, periods, budget_sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
        self.rows = []
        for activity in activities:
            done = forms.DecimalField(
                label=_("Done in the period (%(unit)s)") % {"unit": activity.unit or "—"},
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
            )
            self.fields[f"a{activity.pk}_done"] = done
            sources = budget_sources.get(activity.pk) or [BudgetSource.OWN]
            for source in sources:
                self.fields[f"a{activity.pk}_{source}"] = _money(
                    _("Spent: %(source)s") % {"source": BudgetSource(source).label}
                )
            self.rows.append((activity, f"a{activity.pk}_done", [f"a{activity.pk}_{s}" for s in sources]))

    def activity_rows(self):
        return [(a, self[done], [self[n] for n in spent]) for a, done, spent in self.rows]

    def content_rows(self):
        from .services.execution import ActivityExecution

        data = self.cleaned_data
        return [
            ActivityExecution(
                activity_id=activity.pk,
                quantity_done=data.get(done) or Decimal(0),
                spent={n[len(f"a{activity.pk}_") :]: data[n] for n in spent if data.get(n)},
            )
            for activity, done, spent in self.rows
        ]


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class CalendarForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    periodicity = forms.ChoiceField(label=_("Reporting period"), choices=Periodicity.choices)
    due_days = forms.IntegerField(
        label=_("Days after the period to report"), min_value=0, max_value=90, initial=15
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
