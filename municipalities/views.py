from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .selectors import municipalities_for_user, municipality_get_for_user


class MunicipalityListView(LoginRequiredMixin, ListView):
    template_name = "municipalities/municipality_list.html"
    context_object_name = "municipalities"

    def get_queryset(self):
        return municipalities_for_user(user=self.request.user)


class MunicipalityDetailView(LoginRequiredMixin, DetailView):
    template_name = "municipalities/municipality_detail.html"
    context_object_name = "municipality"

    def get_object(self, queryset=None):
        return municipality_get_for_user(user=self.request.user, municipality_id=self.kwargs["pk"])
