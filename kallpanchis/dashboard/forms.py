from django import forms
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.core import indicators as registry

from .selectors import Filters

FIRST_YEAR = 2007


class Given(BaseChoiceIterator):
    """Choices already in Django's form, taken as they are: a field normalises a plain list of the region's
    districts item by item on every request (about a millisecond)."""

    def __init__(self, choices: list[tuple]):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


class DashboardFilterForm(forms.Form):
    """Province, district, thematic line and period. Unknown values are ignored, never an error page."""

    province = forms.ChoiceField(label=_("Province"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    line = forms.ChoiceField(label=_("Thematic line"), required=False)
    year_from = forms.TypedChoiceField(label=_("From year"), coerce=int, required=False, empty_value=None)
    year_to = forms.TypedChoiceField(label=_("To year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, territory: dict, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", pgettext_lazy("provinces, thematic lines", "All"))]
        self.fields["province"].choices = everything + list(territory["provinces"])
        # Every district is offered; those of another province than the one chosen are hidden (and
        # static/dashboard/filters.js shows them again when the province changes, with no reload).
        self.province = (self.data.get("province") or "") if self.is_bound else ""
        self.districts = territory["districts"]
        districts = [(ubigeo, name) for ubigeo, name, _code in territory["districts"]]
        self.fields["district"].choices = Given([("", _("All")), *districts])
        self.fields["line"].choices = everything + list(
            registry.HOOKS["lines"]() if "lines" in registry.HOOKS else []
        )
        years = [(y, str(y)) for y in range(FIRST_YEAR, timezone.localdate().year + 1)]
        self.fields["year_from"].choices = [("", _("First year"))] + years
        self.fields["year_to"].choices = [("", _("Last year"))] + years

    def selects(self) -> list[tuple]:
        """(field, [(value, label, selected, province, hidden)]) ready for the template: comparing each
        option there would cost more than the rest of the page. A district says its province, and is hidden
        when another province is chosen."""
        out = []
        province_of = {ubigeo: code for ubigeo, _name, code in self.districts}
        for field in self:
            current = str(field.value() or "")
            options = []
            for value, label in field.field.choices:
                province = province_of.get(value, "") if field.name == "district" else ""
                hidden = bool(province and self.province and province != self.province)
                options.append((str(value), label, str(value) == current, province, hidden))
            out.append((field, options))
        return out

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        if not data and self.is_bound:
            # Keep what is valid of a partly wrong query string.
            data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to and year_from > year_to:
            year_from, year_to = year_to, year_from
        return Filters(
            province=data.get("province") or "",
            district=data.get("district") or "",
            line=data.get("line") or "",
            year_from=year_from,
            year_to=year_to,
        )
