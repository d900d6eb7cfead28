""" "Download CSV / XLSX" of the producers' lists: the page's selector and filters, every page of rows."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import View

from kallpanchis.core.exports import table_response

from .. import exports, selectors
from .plans import PlanListView
from .production import ProductionListView


class AssociationExportView(LoginRequiredMixin, View):
    def get(self, request, fmt: str):
        header, rows = exports.association_table(selectors.associations_for_user(user=request.user))
        return table_response(fmt, header=header, rows=rows, filename="asociaciones")


class MemberExportView(LoginRequiredMixin, View):
    """An association's members as its page lists them: whoever sees the page sees the names; the DNI
    only for those who manage the association."""

    def get(self, request, pk: int, fmt: str):
        association = selectors.association_get_for_user(user=request.user, association_id=pk)
        manages = selectors.association_is_managed_by(user=request.user, association=association)
        header, rows = exports.member_table(selectors.members_of(association=association), with_dni=manages)
        return table_response(fmt, header=header, rows=rows, filename=f"socios-{association.pk}")


class PlanExportView(PlanListView):
    """The plans list with its filters (year, status, "all plans"), every page of it."""

    def get(self, request, fmt: str):
        header, rows = exports.plan_table(self._queryset())
        return table_response(fmt, header=header, rows=rows, filename="planes")


class ProductionExportView(ProductionListView):
    """An association's months with the list's year filter."""

    def get(self, request, pk: int, fmt: str):
        association = selectors.association_get_for_user(user=request.user, association_id=pk)
        records = selectors.production_for_association(association=association, year=self._year())
        header, rows = exports.production_table(records)
        return table_response(fmt, header=header, rows=rows, filename=f"produccion-{association.pk}")
