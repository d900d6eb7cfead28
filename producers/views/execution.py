"""Execution reports: the leader's report form (works without JavaScript; with it, producers/report_offline.js
keeps the report on the phone and sends it to ReportSyncView once the connection returns, exactly once),
the report page, the technician's return and validation, the list, and the year's reporting calendar."""

import json
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.decorators.cache import never_cache

from kallpanchis.accounts.access import CoordinatorRequiredMixin, access_for
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.uploads import document_response
from kallpanchis.offline.models import OfflineSubmission
from kallpanchis.offline.services import AlreadyUsedByAnother, submission_accept

from .. import selectors
from ..forms import CalendarForm, CommentForm, ReportForm, ReviewCommentForm
from ..models import BudgetSource, ExecutionPhoto, ExecutionReport, OperatingPlan, period_count
from ..services import execution as services
from ..services.photos import PhotoData

MAX_PHOTO_FILES = services.MAX_PHOTOS


def _validated_plan_for_manager(user, plan_id: int) -> OperatingPlan:
    plan = selectors.plan_get_for_manager(user=user, plan_id=plan_id)
    if plan.status != OperatingPlan.Status.VALIDATED:
        raise Http404
    return plan


def _report_form(plan, data=None, files=None, *, period=None, report=None):
    calendar = selectors.plan_calendar(plan)
    periods = selectors.plan_periods(plan=plan, calendar=calendar)
    if report is not None:
        choices = [(report.period, report.period_label)]
    else:
        choices = [(p.period, p.label) for p in periods if p.report is None]
    initial = {}
    if report is not None:
        initial = {"period": report.period, "note": report.note}
        for line in report.lines.all():
            initial[f"a{line.activity_id}_done"] = line.quantity_done
        for row in report.spending.all():
            initial[f"a{row.activity_id}_{row.source}"] = row.amount
    elif period and any(period == c[0] for c in choices):
        initial["period"] = period
    else:
        # The first period not reported whose end has passed, else the first not reported.
        ended = [p.period for p in periods if p.report is None and p.ends <= selectors.today()]
        if ended or choices:
            initial["period"] = (ended or [choices[0][0]])[0]
    activities = list(plan.activities.order_by("position", "pk"))
    form = ReportForm(
        data,
        files,
        initial=initial,
        activities=activities,
        periods=choices,
        budget_sources=selectors.plan_budget_sources(plan=plan),
    )
    return form, choices


def _photos(request, keep_gps: bool) -> list[PhotoData]:
    files = request.FILES.getlist("photos")
    if len(files) > MAX_PHOTO_FILES:
        raise ValidationError(_("Up to %(n)s photos per report.") % {"n": MAX_PHOTO_FILES})
    return [PhotoData(content=f.read(), keep_gps=keep_gps, name=f.name) for f in files]


class ReportCreateView(LoginRequiredMixin, View):
    template_name = "producers/report_form.html"

    def _render(self, request, plan, form, choices, status=200):
        context = {
            "plan": plan,
            "association": plan.association,
            "form": form,
            "nothing_left": not choices,
            "sync_url": reverse("producers:report_sync", args=[plan.pk]),
            "sources": dict(BudgetSource.choices),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        plan = _validated_plan_for_manager(request.user, pk)
        period = request.GET.get("period", "")
        form, choices = _report_form(plan, period=int(period) if period.isdigit() else None)
        return self._render(request, plan, form, choices)

    def post(self, request, pk):
        plan = _validated_plan_for_manager(request.user, pk)
        form, choices = _report_form(plan, request.POST, request.FILES)
        if form.is_valid():
            try:
                content = services.ReportContent(
                    period=form.cleaned_data["period"],
                    note=form.cleaned_data["note"],
                    activities=form.content_rows(),
                    photos=_photos(request, form.cleaned_data["keep_gps"]),
                )
                report = services.report_submit(by=request.user, plan=plan, content=content)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Report sent. The technician will review it."))
                return redirect("producers:report_detail", report.pk)
        return self._render(request, plan, form, choices, status=400)


def _decimal(value) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("The report is damaged; open it and save it again.")) from None
    if not number.is_finite():
        raise ValidationError(_("The report is damaged; open it and save it again."))
    return number


def _draft_content(raw: str, plan: OperatingPlan) -> tuple[uuid.UUID, services.ReportContent, bool]:
    """Read the phone's report strictly (the same rules as the form, checked again by the service)."""
    damaged = _("The report is damaged; open it and save it again.")
    try:
        data = json.loads(raw)
        client_id = uuid.UUID(str(data["client_id"]))
        period = int(data["period"])
        rows = data.get("activities") or []
        if not isinstance(rows, list) or len(rows) > 100:
            raise ValueError
        activities = []
        for row in rows:
            spent = row.get("spent") or {}
            if not isinstance(spent, dict):
                raise ValueError
            activities.append(
                services.ActivityExecution(
                    activity_id=int(row["activity"]),
                    quantity_done=_decimal(row.get("done")),
                    spent={str(k): _decimal(v) for k, v in spent.items() if _decimal(v)},
                )
            )
        note = data.get("note") or ""
        if not isinstance(note, str):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ValidationError(damaged) from None
    return (
        client_id,
        services.ReportContent(period=period, note=note, activities=activities),
        bool(data.get("keep_gps")),
    )


@method_decorator(never_cache, name="dispatch")
class ReportSyncView(View):
    """A report written on the phone, sent once the connection returns: multipart with `draft` (JSON:
    client_id made on the phone, period, note, keep_gps, activities [{activity, done, spent {source:
    amount}}]) and the photos. Applied at most once per client_id (kallpanchis/offline): 201 applied now,
    200 already applied (a retry; the phone is told the same), 400 to fix, 404 not a plan this person
    reports on, 409 the id belongs to something else, 401 signed out."""

    def post(self, request, pk):
        if not request.user.is_authenticated:
            return JsonResponse(
                {
                    "error": "signed_out",
                    "message": _(
                        "Your session has ended. Sign in again to send: your report stays on this phone."
                    ),
                },
                status=401,
            )
        plan = (
            OperatingPlan.objects.editable_by(request.user)
            .filter(pk=pk)
            .select_related("association")
            .first()
        )
        if plan is None or plan.status != OperatingPlan.Status.VALIDATED:
            return JsonResponse(
                {"error": "not_found", "message": _("This plan is not open to reports.")}, status=404
            )
        try:
            client_id, content, keep_gps = _draft_content(request.POST.get("draft", ""), plan)
            content.photos = _photos(request, keep_gps)
        except ValidationError as error:
            return JsonResponse({"error": "invalid", "errors": error.messages}, status=400)

        def apply() -> dict:
            report = services.report_submit(by=request.user, plan=plan, content=content)
            return {
                "status": "accepted",
                "report": report.pk,
                "url": reverse("producers:report_detail", args=[report.pk]),
                "plan_url": reverse("producers:plan_detail", args=[plan.pk]),
            }

        try:
            accepted = submission_accept(
                client_id=client_id,
                kind=OfflineSubmission.Kind.EXECUTION_REPORT,
                object_id=plan.pk,
                user=request.user,
                apply=apply,
            )
        except ValidationError as error:
            return JsonResponse({"error": "invalid", "errors": error.messages}, status=400)
        except PermissionDenied:
            return JsonResponse(
                {"error": "not_found", "message": _("This plan is not open to reports.")}, status=404
            )
        except AlreadyUsedByAnother:
            return JsonResponse(
                {"error": "conflict", "message": _("This report's id was already used; save it again.")},
                status=409,
            )
        return JsonResponse(
            {**accepted.result, "duplicate": accepted.duplicate}, status=200 if accepted.duplicate else 201
        )


class ReportDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        report = selectors.report_get_for_user(user=request.user, report_id=pk)
        manages = ExecutionReport.objects.editable_by(request.user).filter(pk=report.pk).exists()
        reviews = ExecutionReport.objects.reviewable_by(request.user).filter(pk=report.pk).exists()
        context = {
            "report": report,
            "plan": report.plan,
            "association": report.plan.association,
            **selectors.report_detail(report=report),
            "can_correct": manages and report.is_correctable,
            "can_review": reviews and report.status in ExecutionReport.IN_REVIEW,
        }
        return render(request, "producers/report_detail.html", context)


class ReportPhotoView(LoginRequiredMixin, View):
    def get(self, request, pk):
        photo = get_object_or_404(
            ExecutionPhoto.objects.filter(report__in=ExecutionReport.objects.visible_to(request.user)), pk=pk
        )
        return document_response(photo.image, f"foto-{photo.pk}")


class ReportCorrectView(LoginRequiredMixin, View):
    template_name = "producers/report_form.html"

    def _render(self, request, report, form, status=200):
        context = {
            "plan": report.plan,
            "association": report.plan.association,
            "report": report,
            "form": form,
            "sources": dict(BudgetSource.choices),
        }
        return render(request, self.template_name, context, status=status)

    def _report(self, request, pk):
        report = selectors.report_get_for_manager(user=request.user, report_id=pk)
        if not report.is_correctable:
            raise Http404
        return report

    def get(self, request, pk):
        report = self._report(request, pk)
        form, _choices = _report_form(report.plan, report=report)
        return self._render(request, report, form)

    def post(self, request, pk):
        report = self._report(request, pk)
        form, _choices = _report_form(report.plan, request.POST, request.FILES, report=report)
        if form.is_valid():
            try:
                revision = int(request.POST.get("revision") or 0)
                content = services.ReportContent(
                    period=report.period,
                    note=form.cleaned_data["note"],
                    activities=form.content_rows(),
                    photos=_photos(request, form.cleaned_data["keep_gps"]),
                )
                services.report_correct(by=request.user, report=report, revision=revision, content=content)
            except (ValidationError, ValueError) as error:
                errors_to_form(
                    form, error if isinstance(error, ValidationError) else ValidationError(str(error))
                )
            else:
                messages.success(request, _("Report corrected and sent again."))
                return redirect("producers:report_detail", report.pk)
        return self._render(request, report, form, status=400)


class ReportReviewView(LoginRequiredMixin, View):
    """A reviewer's decision on a report: one page per transition, each with its form, service and message
    (returned needs a comment; validated takes an optional one)."""

    action = ""
    form_class = CommentForm
    service = None
    done_message = ""

    def _render(self, request, report, form, status=200):
        context = {"report": report, "form": form, "action": self.action}
        return render(request, "producers/report_review.html", context, status=status)

    def get(self, request, pk):
        report = selectors.report_get_for_reviewer(user=request.user, report_id=pk)
        return self._render(request, report, self.form_class())

    def post(self, request, pk):
        report = selectors.report_get_for_reviewer(user=request.user, report_id=pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                type(self).service(by=request.user, report=report, comment=form.cleaned_data["comment"])
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, self.done_message)
                return redirect("producers:report_detail", report.pk)
        return self._render(request, report, form, status=400)


class ReportReturnView(ReportReviewView):
    action = "return"
    form_class = ReviewCommentForm
    service = services.report_return
    done_message = _lazy("Report returned to the association with your comment.")


class ReportValidateView(ReportReviewView):
    action = "validate"
    service = services.report_validate
    done_message = _lazy("Report validated. It is now locked.")


class ReportListView(LoginRequiredMixin, View):
    """Reports in the person's scope; reviewers see those waiting for them first (?waiting=1: only those)."""

    def get(self, request):
        waiting = bool(request.GET.get("waiting"))
        reports = list(selectors.reports_for_user(user=request.user, waiting=waiting)[:200])
        context = {
            "reports": reports,
            "waiting": waiting,
            "is_coordinator": access_for(request.user).is_coordinator,
        }
        return render(request, "producers/report_list.html", context)


class CalendarView(CoordinatorRequiredMixin, View):
    """A coordinator chooses, per year, whether plans report per quarter or per month."""

    def _render(self, request, form, status=200):
        from ..models import ReportingCalendar

        return render(
            request,
            "producers/calendar_list.html",
            {
                "calendars": ReportingCalendar.objects.select_related("set_by"),
                "form": form,
                "count": period_count,
            },
            status=status,
        )

    def get(self, request):
        return self._render(request, CalendarForm(initial={"year": selectors.today().year, "due_days": 15}))

    def post(self, request):
        form = CalendarForm(request.POST)
        if form.is_valid():
            try:
                services.calendar_set(by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Reporting calendar saved."))
                return redirect("producers:calendar_list")
        return self._render(request, form, status=400)
