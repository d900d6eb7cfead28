import csv
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.views.generic import ListView

from kallpanchis.core.forms import errors_to_form

from ..models import manages_all

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell that starts like a formula: make it plain text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(*, rows, header: list[str], filename: str) -> StreamingHttpResponse:
    """Stream a CSV export row by row (big lists never sit in memory); opens in Excel with accents."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow([_cell(h) for h in header])
        for row in rows:
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ScopedListView(LoginRequiredMixin, ListView):
    """A list read through a scoped selector, narrowed by a FilterSet, and the same rows as CSV
    (`export=True` in the URL conf)."""

    selector = None
    filterset_class = None
    paginate_by = 25
    export = False
    csv_filename = "export.csv"

    def csv_header(self) -> list[str]:
        raise NotImplementedError

    def csv_row(self, obj) -> list:
        raise NotImplementedError

    def get_queryset(self):
        base = type(self).selector(user=self.request.user)
        self.filterset = self.filterset_class(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        if self.export:
            queryset = self.get_queryset()
            rows = (self.csv_row(obj) for obj in queryset.iterator(chunk_size=500))
            return csv_response(rows=rows, header=self.csv_header(), filename=self.csv_filename)
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
