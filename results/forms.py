"""The forms of the results framework. They parse; the services decide (kallpanchis.core.forms.errors_to_form
puts a refusal on the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kallpanchis.organisations.models import Organisation
from municipalities.models import Municipality

from .categories import categories_for
from .models import PERIODS_PER_YEAR, Dimension, ExpectedResult, Indicator, Report


class ResultForm(forms.ModelForm):
    class Meta:
        model = ExpectedResult
        fields = ["number", "title"]


class IndicatorForm(forms.ModelForm):
    disaggregations = forms.MultipleChoiceField(
        label=_("Disaggregations"),
        choices=Dimension.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    scale_text = forms.CharField(
        label=_("Scale (qualitative indicators)"),
        help_text=_("One level per line, lowest first."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    class Meta:
        model = Indicator
        fields = [
            "result",
            "code",
            "name",
            "kind",
            "unit",
            "decimals",
            "higher_is_better",
            "baseline",
            "baseline_year",
            "frequency",
            "disaggregations",
            "time_aggregation",
            "place_aggregation",
            "definition",
            "position",
            "active",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["scale_text"].initial = "\n".join(self.instance.scale or [])
        self.order_fields([*self.Meta.fields[:5], "scale_text"])

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["scale"] = [line.strip() for line in data.pop("scale_text", "").splitlines() if line.strip()]
        return data


class TargetForm(forms.Form):
    """A municipality's yearly target, and who reports it."""

    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.select_related("organisation")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    period = forms.TypedChoiceField(
        label=_("Period"), coerce=int, empty_value=None, required=False, choices=[("", _("Whole year"))]
    )
    value = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=4, required=False)
    association = forms.ModelChoiceField(
        label=_("Reported by a producer association"),
        help_text=_("Empty: the municipality's technicians report it."),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PRODUCER).order_by("name"),
        required=False,
    )

    def __init__(self, *args, frequency: str = "year", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].label_from_instance = lambda m: m.organisation.name
        # A target for one period of the year (semester 1…), or for the whole year.
        count = PERIODS_PER_YEAR[frequency]
        if count > 1:
            self.fields["period"].choices += [(n, str(n)) for n in range(1, count + 1)]
        else:
            del self.fields["period"]


class ReportForm(forms.Form):
    """A period's value: the total (or the level of a qualitative indicator), the disaggregated figures,
    why they do not add up if they do not, the narrative and the evidence."""

    def __init__(self, *args, indicator: Indicator, municipality, correction: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if correction:
            self.fields["reason"] = forms.CharField(
                label=_("Why the approved value must change"), widget=forms.Textarea(attrs={"rows": 2})
            )
        if indicator.is_quantitative:
            label = _("Value (%(unit)s)") % {"unit": indicator.unit} if indicator.unit else _("Value")
            self.fields["value"] = forms.DecimalField(
                label=label, max_digits=14, decimal_places=indicator.decimals, min_value=0
            )
        else:
            self.fields["level"] = forms.TypedChoiceField(
                label=_("Level reached"), coerce=int, choices=list(enumerate(indicator.scale))
            )
        self.dimensions = []
        labels = dict(Dimension.choices)
        for dimension, categories in categories_for(indicator, municipality).items():
            names = []
            for code, category_label in categories:
                name = f"d__{dimension}__{code}"
                self.fields[name] = forms.DecimalField(
                    label=f"{labels[dimension]}: {category_label}", required=False, min_value=0, max_digits=14
                )
                names.append(name)
            self.dimensions.append((labels[dimension], names))
        if self.dimensions:
            self.fields["mismatch_reason"] = forms.CharField(
                label=_("If the disaggregated figures do not add up to the total, say why"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.fields["narrative"] = forms.CharField(
            label=_("Narrative"),
            help_text=_("What was done, where, and what changed."),
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
        )
        self.fields["evidence"] = forms.FileField(
            label=_("Evidence (photo or document)"),
            help_text=_("JPEG, PNG or PDF, up to 10 MB."),
            required=False,
            validators=Report._meta.get_field("evidence").validators,
        )

    def disaggregation(self) -> dict:
        out: dict[str, dict[str, str]] = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("d__") and value is not None:
                _prefix, dimension, category = name.split("__", 2)
                out.setdefault(dimension, {})[category] = str(value)
        return out

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "value": data.get("value"),
            "level": data.get("level"),
            "disaggregation": self.disaggregation(),
            "mismatch_reason": data.get("mismatch_reason", ""),
            "narrative": data.get("narrative", ""),
            "evidence": data.get("evidence"),
        }

    @classmethod
    def initial_from(cls, report: Report | None) -> dict:
        if report is None:
            return {}
        initial = {
            "value": report.value,
            "level": report.level,
            "mismatch_reason": report.mismatch_reason,
            "narrative": report.narrative,
        }
        for dimension, parts in (report.disaggregation or {}).items():
            for category, figure in parts.items():
                initial[f"d__{dimension}__{category}"] = figure
        return initial


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What should be fixed"), widget=forms.Textarea(attrs={"rows": 3}))
