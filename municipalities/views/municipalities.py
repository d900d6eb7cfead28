import functools
import gzip
import json

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import DetailView, TemplateView

from .. import selectors
from ..filters import MunicipalityFilter
from ..forms import MunicipalityProfileForm
from ..services import DATA_DIR, municipality_profile_update
from .common import ScopedListView, call_service


class MunicipalityListView(ScopedListView):
    """The municipalities in the person's scope; a person with no municipal scope (an association leader)
    gets every municipality's public profile instead."""

    template_name = "municipalities/municipality_list.html"
    context_object_name = "municipalities"
    filterset_class = MunicipalityFilter
    csv_filename = "municipalidades.csv"

    def get_queryset(self):
        base, self.full_profiles = selectors.municipalities_listed_for(user=self.request.user)
        self.filterset = self.filterset_class(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(full_profiles=self.full_profiles, **kwargs)

    def csv_header(self):
        return [
            _("Municipality"),
            _("Level"),
            _("UBIGEO"),
            _("Province"),
            pgettext("place", "District"),
            _("Capital"),
            _("Population (2020 estimate)"),
            _("Poverty"),
            _("Extreme poverty"),
            _("Office"),
            _("Phone"),
            _("E-mail"),
        ]

    def csv_row(self, m):
        place = m.place
        return [
            m.organisation.name,
            m.get_level_display(),
            m.ubigeo,
            m.province.name,
            m.district.name,
            place.capital,
            place.population_estimate,
            place.poverty_pct,
            place.extreme_poverty_pct,
            m.office_name,
            m.phone,
            m.email,
        ]


class MunicipalityDetailView(LoginRequiredMixin, DetailView):
    """The full profile, for people whose scope includes the municipality (others: 404)."""

    template_name = "municipalities/municipality_detail.html"
    context_object_name = "municipality"

    def get_object(self, queryset=None):
        return selectors.municipality_get_for_user(user=self.request.user, municipality_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipality, user = self.object, self.request.user
        context.update(
            technicians=selectors.technicians_for_user(user=user).filter(municipality=municipality),
            agreements=selectors.agreements_for_user(user=user).filter(municipality=municipality),
            associations=municipality.associations.all(),
            sections=selectors.municipality_sections(municipality=municipality, user=user),
            can_edit=selectors.municipality_can_edit(user=user, municipality=municipality),
        )
        return context


class MunicipalityPublicView(LoginRequiredMixin, DetailView):
    """The public profile: place, figures, office and contacts. Any signed-in person reads it."""

    template_name = "municipalities/municipality_public.html"
    context_object_name = "municipality"

    def get_object(self, queryset=None):
        return selectors.municipality_get_public(municipality_id=self.kwargs["pk"])


class MunicipalityEditView(LoginRequiredMixin, View):
    template_name = "municipalities/municipality_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.municipality = selectors.municipality_get_editable(
                user=request.user, municipality_id=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self.render(MunicipalityProfileForm(instance=self.municipality))

    def post(self, request, pk):
        form = MunicipalityProfileForm(request.POST, instance=self.municipality)
        if form.is_valid() and call_service(
            form,
            municipality_profile_update,
            by=request.user,
            municipality=self.municipality,
            **form.cleaned_data,
        ):
            return redirect("municipalities:municipality_detail", pk)
        return self.render(form)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "municipality": self.municipality})


class MapView(LoginRequiredMixin, TemplateView):
    """Cusco's provinces and districts with the project's municipalities highlighted. The page carries no
    inline script: the map script reads its data from data-* attributes and JSON endpoints."""

    template_name = "municipalities/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        features = selectors.municipality_map_features(user=self.request.user)
        for feature in features:
            name = "municipality_detail" if feature.pop("full") else "municipality_public"
            feature["url"] = reverse(f"municipalities:{name}", args=[feature.pop("pk")])
        context.update(
            highlighted_json=json.dumps(features, ensure_ascii=False),
            municipalities=features,
            tile_url=getattr(settings, "MAP_TILE_URL", ""),
        )
        return context


@functools.cache
def _gzipped(name: str) -> bytes:
    return gzip.compress((DATA_DIR / name).read_bytes(), 6)


class BoundariesView(LoginRequiredMixin, View):
    """The shipped boundary GeoJSON (MPL-2.0, see municipalities/data/SOURCES.md)."""

    files = {
        "districts": ("cusco_districts.geojson", "application/geo+json"),
        "provinces": ("cusco_provinces.geojson", "application/geo+json"),
        "licence": ("LICENSE-juaneladio-peru-geojson-MPL-2.0.txt", "text/plain; charset=utf-8"),
    }

    def get(self, request, layer):
        name, content_type = self.files[layer]
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            # 208 KB of boundaries become 54 KB: it matters on a slow rural link.
            response = HttpResponse(_gzipped(name), content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = FileResponse(open(DATA_DIR / name, "rb"), content_type=content_type)
        patch_vary_headers(response, ["Accept-Encoding"])
        response["Cache-Control"] = "private, max-age=86400"
        return response
