"""Filters and search for the lists (django-filter). Choices offered are scoped to the person asking."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.core.models import Gender
from kallpanchis.organisations.models import Organisation

from .models import (
    AgreementStatus,
    Event,
    MunicipalAssociation,
    Municipality,
    PartnershipAgreement,
    Province,
    Technician,
    Training,
)

# "All" before a feminine noun (provincia, municipalidad, organización): "Todas" in Spanish; the same
# context as the dashboard's filters, so one translation serves both.
ALL_FEMININE = pgettext_lazy("provinces, thematic lines", "All")


def _visible_municipalities(request):
    user = request.user if request else None
    return Municipality.objects.worked_by(user).select_related("organisation")


def _listed_provinces(request):
    """Only the provinces of the municipalities the person is shown."""
    from .selectors import municipalities_listed_for

    listed, _full = municipalities_listed_for(user=request.user if request else None)
    return Province.objects.filter(pk__in=listed.values("province_id"))


class SearchFilterSet(django_filters.FilterSet):
    """A free-text box over `search_fields`, plus each list's own filters."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=_("Search"), method="search")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class MunicipalityFilter(SearchFilterSet):
    search_fields = ("organisation__name", "district__ubigeo", "province__code", "district__capital")
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Municipality.Level.choices, empty_label=_("All")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=lambda request: _listed_provinces(request), empty_label=ALL_FEMININE
    )

    class Meta:
        model = Municipality
        fields = ["q", "level", "province"]


class AgreementFilter(SearchFilterSet):
    search_fields = ("title", "objectives", "municipality__organisation__name")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=_visible_municipalities, empty_label=ALL_FEMININE
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AgreementStatus.choices, method="by_status", empty_label=_("All")
    )

    class Meta:
        model = PartnershipAgreement
        fields = ["q", "municipality", "status"]

    def by_status(self, queryset, name, value):
        return queryset.filter(status_code=value) if value else queryset


class TechnicianFilter(SearchFilterSet):
    search_fields = ("person_name", "position", "email")
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=_visible_municipalities, empty_label=ALL_FEMININE
    )
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices, empty_label=_("All"))
    current = django_filters.BooleanFilter(
        label=_("Still in the network"),
        field_name="until",
        lookup_expr="isnull",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Technician
        fields = ["q", "municipality", "gender", "current"]


class TrainingFilter(SearchFilterSet):
    search_fields = ("title", "place", "materials")
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=Training.Topic.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="held_on", lookup_expr="year")
    trainer_organisation = django_filters.ModelChoiceFilter(
        label=_("Trainer organisation"),
        queryset=Organisation.objects.filter(trainings_given__isnull=False).distinct(),
        empty_label=ALL_FEMININE,
    )

    class Meta:
        model = Training
        fields = ["q", "topic", "year", "trainer_organisation"]


class AssociationFilter(SearchFilterSet):
    search_fields = ("name", "purpose", "registration_reference")
    member = django_filters.ModelChoiceFilter(
        label=_("Member municipality"),
        field_name="members",
        queryset=_visible_municipalities,
        empty_label=ALL_FEMININE,
    )

    class Meta:
        model = MunicipalAssociation
        fields = ["q", "member"]


class EventFilter(SearchFilterSet):
    search_fields = ("name", "place", "description")
    scope = django_filters.ChoiceFilter(label=_("Scope"), choices=Event.Scope.choices, empty_label=_("All"))
    year = django_filters.NumberFilter(label=_("Year"), field_name="starts_on", lookup_expr="year")

    class Meta:
        model = Event
        fields = ["q", "scope", "year"]
