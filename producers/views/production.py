import re

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View

from kallpanchis.core import fragments, shell
from kallpanchis.core.caching import access_of, cached, paginator_counted
from kallpanchis.core.exports import csv_response
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.fragments import Piece, Rows, block

from .. import selectors, services
from ..forms import ProductionImportForm, ProductionRecordForm
from ..services.production import TEMPLATE_HEADER


class ProductionListView(LoginRequiredMixin, View):
    """An association's months. The table block is cached until a record or the association changes (a
    version bumped by the database on every write: kallpanchis/core/caching.py)."""

    paginate_by = 36

    def _year(self):
        value = self.request.GET.get("year", "")
        return int(value) if value.isdigit() else None

    def get(self, request, pk: int):
        # Outside the person's scope: a 404 (the association is kept under the access that may see it).
        self.association = selectors.association_kept_for_user(user=request.user, association_id=pk)
        block = cached(
            "producers:production",
            request=request,
            groups=("producers",),
            params=["year", "page"],
            # the association is read before: what the block shows of it is in the key
            key=(fragments.values_of(self.association),),
            compute=self._block,
            by_tables=True,
        )
        # the title shows the association's name
        return shell.page(
            request,
            "producers/production_list.html",
            {"list_block": block},
            {"association": self.association},
            key=(fragments.values_of(self.association),),
        )

    def _block(self) -> str:
        request = self.request
        association = self.association
        records = selectors.production_for_association(association=association, year=self._year())
        # The count, the years and whether this person manages the association are the same on every page,
        # and each is kept until what it reads changes: a month's figures written leave them alone.
        count = cached(
            "producers:production-count",
            request=request,
            groups=("producers",),
            params=["year"],
            key=(association.pk,),
            compute=records.count,
            by_tables=True,
        )
        paginator = paginator_counted(records, self.paginate_by, count)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404 from error
        years = cached(
            "producers:production-years",
            request=request,
            groups=("producers",),
            params=[],
            key=(association.pk,),
            compute=lambda: sorted(
                {d.year for d in association.production_records.dates("month", "year")}, reverse=True
            ),
            by_tables=True,
        )
        manages = cached(
            "producers:production-manages",
            request=request,
            groups=("producers",),
            params=[],
            key=(association.pk,),
            # a list: a value of False would not be kept
            compute=lambda: [selectors.association_is_managed_by(user=request.user, association=association)],
            by_tables=True,
        )[0]
        # Each row's HTML kept under what it shows, and the block under its rows, years and totals: a write
        # re-renders only what it changed.
        rows = Rows.of_page(
            "producers:production",
            page,
            template="producers/partials/production_row.html",
            as_name="r",
            context={"manages": manages},
        )
        # The totals change with any month's figures: rendered apart, the block around them is kept.
        totals = Piece(
            "producers/partials/production_totals.html",
            selectors.production_year_totals(association=association, year=self._year()),
        )
        context = {
            "records": rows.lazily(),  # the row objects, read only if someone reads them (tests)
            "record_rows": rows,
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
            "association": self.association,
            "manages": manages,
            "year": self._year(),
            "years": years,
            "totals": totals,
        }
        parts = (
            access_of(request.user),
            sorted(request.GET.lists()),
            (self.association.pk, self.association.name),
            paginator.count,
            years,
            manages,
        )
        return block(
            "producers:production",
            parts,
            lambda: render_to_string(
                "producers/partials/production_list_block.html", context, request=request
            ),
            rows=(rows, totals),
        )


class ProductionFormMixin(LoginRequiredMixin):
    template_name = "producers/production_form.html"

    def _save(self, request, association, form, record=None):
        context = {"association": association, "form": form, "record": record}
        if form.is_valid():
            try:
                services.production_record_save(
                    by=request.user,
                    association=association,
                    month=form.cleaned_data["month"],
                    values=form.values(),
                    confirmed=form.cleaned_data["confirm"],
                )
            except ValidationError as error:
                if any(getattr(e, "code", None) == "unusual" for e in error.error_list):
                    context["unusual"] = error.messages
                    form.add_error("confirm", _("Check the values. If they are right, tick “I confirm”."))
                else:
                    errors_to_form(form, error)
            else:
                messages.success(request, _("Month saved."))
                return redirect("producers:production_list", association.pk)
        return render(request, self.template_name, context, status=400)


class ProductionCreateView(ProductionFormMixin, View):
    def get(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        # ?month=2026-03: the home page's "record it" link opens the form on the month missing.
        month = request.GET.get("month", "")
        initial = {"month": month} if re.fullmatch(r"\d{4}-\d{2}", month) else {}
        form = ProductionRecordForm(initial=initial)
        return render(request, self.template_name, {"association": association, "form": form})

    def post(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        return self._save(request, association, ProductionRecordForm(request.POST))


class ProductionUpdateView(ProductionFormMixin, View):
    def get(self, request, pk):
        record = selectors.production_get_for_manager(user=request.user, record_id=pk)
        form = ProductionRecordForm(instance=record, initial={"confirm": record.confirmed_unusual})
        form.fields["month"].disabled = True  # another month is another record
        return render(
            request, self.template_name, {"association": record.association, "form": form, "record": record}
        )

    def post(self, request, pk):
        record = selectors.production_get_for_manager(user=request.user, record_id=pk)
        form = ProductionRecordForm(request.POST, instance=record)
        form.fields["month"].disabled = True
        return self._save(request, record.association, form, record)


def _session_key(association_id: int) -> str:
    return f"producers-import-{association_id}"


class ProductionImportView(LoginRequiredMixin, View):
    """Step 1: upload, every row checked, a preview (or the list of bad rows). Step 2: import all or none."""

    template_name = "producers/production_import.html"

    def get(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        return render(
            request, self.template_name, {"association": association, "form": ProductionImportForm()}
        )

    def post(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        if "confirm" in request.POST:
            return self._import(request, association)
        form = ProductionImportForm(request.POST, request.FILES)
        context = {"association": association, "form": form}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            rows = services.production_file_read(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error.messages)
            return render(request, self.template_name, context, status=400)
        clean, errors = services.production_rows_check(association=association, rows=rows)
        if errors or not clean:
            context.update(errors=errors, row_count=len(clean) + len(errors))
            if not clean and not errors:
                form.add_error("file", _("The file has no rows to import."))
            return render(request, self.template_name, context, status=400)
        request.session[_session_key(association.pk)] = rows
        context.update(preview=clean[:12], row_count=len(clean), form=None)
        return render(request, self.template_name, context)

    def _import(self, request, association):
        rows = request.session.get(_session_key(association.pk))
        if not rows:
            messages.error(request, _("Send the file again, please."))
            return redirect("producers:production_import", association.pk)
        try:
            created = services.production_import(by=request.user, association=association, rows=rows)
        except services.ImportRefused as refused:
            context = {
                "association": association,
                "form": ProductionImportForm(),
                "errors": refused.errors,
                "row_count": len([r for r in rows if r]),
            }
            return render(request, self.template_name, context, status=400)
        del request.session[_session_key(association.pk)]
        messages.success(request, _("%(n)s months imported.") % {"n": len(created)})
        return redirect("producers:production_list", association.pk)


class ProductionTemplateView(LoginRequiredMixin, View):
    def get(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        del association
        example = ["2010-01", "40", "6200", "2500", "460", "440", "30", "1.40", "12.50", "venta directa", ""]
        return csv_response(header=TEMPLATE_HEADER, rows=[example], filename="produccion-plantilla.csv")
