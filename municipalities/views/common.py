from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.views.generic import ListView

from kallpanchis.core.exports import table_response
from kallpanchis.core.forms import errors_to_form

from ..models import manages_all


class ScopedListView(LoginRequiredMixin, ListView):
    """A list read through a scoped selector, narrowed by a FilterSet, and the same rows as CSV or XLSX
    (`export=True` in the URL conf, the format in the URL)."""

    selector = None
    filterset_class = None
    paginate_by = 25
    export = False
    csv_filename = "export.csv"  # the XLSX takes the same name

    def csv_header(self) -> list[str]:
        raise NotImplementedError

    def csv_row(self, obj) -> list:
        raise NotImplementedError

    def get_queryset(self):
        base = type(self).selector(user=self.request.user)
        self.filterset = self.filterset_class(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.qs

    def get(self, request, *args, fmt: str = "", **kwargs):
        if self.export:
            queryset = self.get_queryset()
            rows = (self.csv_row(obj) for obj in queryset.iterator(chunk_size=500))
            return table_response(
                fmt, header=self.csv_header(), rows=rows, filename=self.csv_filename.removesuffix(".csv")
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = {k: v for k, v in self.request.GET.items() if k != "page" and v}
        context.update(
            filterset=self.filterset,
            query=urlencode(query),
            filtered=bool(query),
            can_manage=manages_all(self.request.user),
        )
        return context


def call_service(form, service, **kwargs):
    """Run a service for a valid form; a rule the model enforces comes back as the form's errors."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        errors_to_form(form, error)
        return None
