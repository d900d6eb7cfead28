from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View

from kallpanchis.accounts.access import CoordinatorRequiredMixin, access_for
from kallpanchis.core import shell
from kallpanchis.core.caching import access_of, built, cached, paginator_counted
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.fragments import Rows, block
from kallpanchis.core.pdf import pdf_response, render_pdf
from kallpanchis.core.uploads import document_response

from .. import selectors, services
from ..forms import (
    ActivityForm,
    ActivityFormSet,
    AssemblyForm,
    CommentForm,
    DeadlineForm,
    PlanForm,
    PlanReturnForm,
    PlanStartForm,
    plan_content,
)
from ..models import OperatingPlan, PlanSection

PREFIX = "activities"


ROW_FIELDS = (
    "year",
    "version",
    "status",
    "submitted_at",
    "association__organisation__name",
    "association__district__name",
)


class PlanListView(LoginRequiredMixin, View):
    """Plans for review (technicians of the territory, coordinators); others see the plans in their scope.
    The list block is cached until a plan, deadline or association changes (a version bumped by the
    database on every write: kallpanchis/core/caching.py)."""

    paginate_by = 50

    def _filters(self):
        try:
            year = int(self.request.GET.get("year") or 0) or None
        except ValueError:
            year = None
        status = self.request.GET.get("status", "")
        if status not in OperatingPlan.Status.values:
            status = ""
        return year, status

    def _waiting_only(self) -> bool:
        """A reviewer's list opens on the plans waiting for them (sent or sent again, not yet answered);
        "all plans" (?all=1) or a chosen status shows the rest."""
        return (
            selectors.can_review(user=self.request.user)
            and not self.request.GET.get("all")
            and not (self._filters()[1])
        )

    def _queryset(self):
        year, status = self._filters()
        user = self.request.user
        if selectors.can_review(user=user):
            return selectors.plans_for_review(
                user=user, year=year, status=status, waiting=self._waiting_only()
            )
        return selectors.plans_for_user(user=user, year=year, status=status)

    def get(self, request):
        block = cached(
            "producers:plans",
            request=request,
            groups=("producers",),
            params=["year", "status", "all", "page"],
            compute=self._block,
            by_tables=True,
        )
        return shell.page(request, "producers/plan_list.html", {"list_block": block})

    def _block(self) -> str:
        year, status = self._filters()
        # Only what a row shows is read (and hashed into its key): not the plans' long texts, nor the six
        # timestamps of four tables per row that cost more to parse than the rest.
        request = self.request
        plans = built(
            "producers:plans",
            user=request.user,
            key=(year, status, self._waiting_only()),
            build=lambda: self._queryset().only(*ROW_FIELDS),
        )
        # The count and the years are the same on every page: computed once per filter, not per page.
        count = cached(
            "producers:plans-count",
            request=request,
            groups=("producers",),
            params=["year", "status", "all"],
            compute=plans.count,
            by_tables=True,
        )
        years = cached(
            "producers:plan-years",
            request=request,
            groups=("producers",),
            params=[],
            compute=lambda: selectors.plan_years(user=request.user),
            by_tables=True,
        )
        paginator = paginator_counted(plans, self.paginate_by, count)
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404 from error
        # Each row's HTML kept under what it shows, and the block under its rows, count and years: a write
        # re-renders only what it changed, and the order is read again only after a write to what it is
        # made of (a status, a year, a deadline, a budget), not to a plan's text or dates.
        rows = Rows.of_page(
            "producers:plan", page, template="producers/partials/plan_row.html", as_name="plan"
        )
        context = {
            "plans": rows.lazily(),  # the row objects, read only if someone reads them (tests)
            "plan_rows": rows,
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
            "years": years,
            "statuses": OperatingPlan.Status.choices,
            "year": year,
            "status": status,
            "is_coordinator": access_for(request.user).is_coordinator,
            "reviewer": selectors.can_review(user=request.user),
            "waiting_only": self._waiting_only(),
        }
        parts = (access_of(request.user), sorted(request.GET.lists()), count, years)
        return block(
            "producers:plans",
            parts,
            lambda: render_to_string("producers/partials/plan_list_block.html", context, request=request),
            rows=(rows,),
        )


class PlanStartView(LoginRequiredMixin, View):
    def get(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        # ?year=2027: the home page's "start it" link for next year's plan.
        year = request.GET.get("year", "")
        form = PlanStartForm(initial={"year": int(year) if year.isdigit() else selectors.today().year})
        return render(request, "producers/plan_start.html", {"association": association, "form": form})

    def post(self, request, pk):
        association = selectors.association_get_for_manager(user=request.user, association_id=pk)
        form = PlanStartForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_start(
                    by=request.user, association=association, year=form.cleaned_data["year"]
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                return redirect("producers:plan_edit", plan.pk)
        return render(request, "producers/plan_start.html", {"association": association, "form": form})


def _plan_context(request, plan):
    user = request.user
    access = access_for(user)
    manages = OperatingPlan.objects.editable_by(user).filter(pk=plan.pk).exists()
    reviews = OperatingPlan.objects.reviewable_by(user).filter(pk=plan.pk).exists()
    in_review = plan.status in OperatingPlan.IN_REVIEW
    validated = plan.status == OperatingPlan.Status.VALIDATED
    return {
        "progress": selectors.plan_progress(plan=plan) if validated else None,
        "can_report": manages and validated and plan.is_current,
        "can_record_assembly": manages and plan.is_editable,
        "can_validate_municipality": reviews and in_review and plan.municipality_validated_at is None,
        "plan": plan,
        "association": plan.association,
        "activities": selectors.plan_activities(plan=plan),
        "totals": selectors.plan_totals(plan=plan),
        "history": selectors.plan_history(plan=plan),
        "versions": selectors.plan_versions(plan=plan),
        "open_comments": selectors.plan_open_comments(plan=plan),
        "sections": PlanSection,
        "can_edit": manages and plan.is_editable,
        "can_submit": manages and plan.is_editable,
        "can_return": reviews and in_review,
        "can_validate": access.is_coordinator and in_review,
        "can_new_version": manages and plan.is_current and validated,
    }


class PlanDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
        return render(request, "producers/plan_detail.html", _plan_context(request, plan))


def plan_forms(plan, data=None):
    """The plan's text form and its activities formset, filled from the stored plan (or from `data`)."""
    activities = list(selectors.plan_activities(plan=plan))
    initial = [ActivityForm.initial_for(a) for a in activities]
    formset_class = ActivityFormSet
    if not activities:
        formset_class = type("FirstActivityFormSet", (ActivityFormSet,), {"extra": 3})
    form = PlanForm(
        data,
        initial={
            "revision": plan.revision,
            **{f: getattr(plan, f) for f in services.PlanContent.TEXT_FIELDS},
        },
    )
    formset = formset_class(data, initial=initial, prefix=PREFIX)
    return form, formset


def plan_draft_save(request, plan, form, formset):
    """Save valid plan forms as the draft; raises services.PlanConflict when the form started from an
    older revision."""
    return services.plan_save_draft(
        by=request.user,
        plan=plan,
        revision=form.cleaned_data["revision"],
        content=plan_content(form, formset),
    )


class PlanEditView(LoginRequiredMixin, View):
    """The leader's plan form; 'Save draft' works without JavaScript (PlanAutosaveView saves the same form
    while the leader types). A save that started from an older revision is refused: the page then shows the
    stored version next to the person's own, which stays in the form."""

    template_name = "producers/plan_form.html"

    def _render(self, request, plan, form, formset, status=200, theirs=None):
        context = {
            "plan": plan,
            "association": plan.association,
            "form": form,
            "formset": formset,
            "open_comments": selectors.plan_open_comments(plan=plan),
            "theirs": theirs,
        }
        if theirs is not None:
            context["their_activities"] = selectors.plan_activities(plan=theirs)
            context["their_totals"] = selectors.plan_totals(plan=theirs)
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        plan = selectors.plan_get_for_manager(user=request.user, plan_id=pk)
        if not plan.is_editable:
            messages.info(request, _("This plan can no longer be changed."))
            return redirect("producers:plan_detail", plan.pk)
        form, formset = plan_forms(plan)
        return self._render(request, plan, form, formset)

    def post(self, request, pk):
        plan = selectors.plan_get_for_manager(user=request.user, plan_id=pk)
        if not plan.is_editable:
            messages.info(request, _("This plan can no longer be changed."))
            return redirect("producers:plan_detail", plan.pk)
        form, formset = plan_forms(plan, request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self._render(request, plan, form, formset, status=400)
        try:
            plan = plan_draft_save(request, plan, form, formset)
        except services.PlanConflict as conflict:
            data = request.POST.copy()
            data["revision"] = str(conflict.current.revision)
            form, formset = plan_forms(conflict.current, data)
            form.is_valid()
            formset.is_valid()
            return self._render(request, conflict.current, form, formset, status=409, theirs=conflict.current)
        except ValidationError as error:
            errors_to_form(form, error)
            return self._render(request, plan, form, formset, status=400)
        if "send" in request.POST:
            return redirect("producers:plan_submit", plan.pk)
        messages.success(request, _("Draft saved."))
        return redirect("producers:plan_edit", plan.pk)


class PlanAutosaveView(LoginRequiredMixin, View):
    """What plan_autosave.js posts every few seconds while the leader types: the plan form, answered in
    JSON ({ok, revision, message}, or {ok: false, message} and `conflict` when someone else saved first)."""

    def post(self, request, pk):
        plan = selectors.plan_get_for_manager(user=request.user, plan_id=pk)
        if not plan.is_editable:
            return JsonResponse(
                {"ok": False, "message": _("This plan can no longer be changed.")}, status=409
            )
        form, formset = plan_forms(plan, request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return JsonResponse(
                {"ok": False, "message": _("Some fields need fixing: press “Save draft”.")}, status=400
            )
        try:
            plan = plan_draft_save(request, plan, form, formset)
        except services.PlanConflict:
            return JsonResponse(
                {
                    "ok": False,
                    "conflict": True,
                    "message": _("Someone else saved this plan. Press “Save draft” to compare."),
                },
                status=409,
            )
        except ValidationError as error:
            return JsonResponse({"ok": False, "message": " ".join(error.messages)}, status=400)
        saved_at = formats.time_format(timezone.localtime(plan.updated_at), "H:i")
        return JsonResponse(
            {"ok": True, "revision": plan.revision, "message": _("Draft saved at %(t)s.") % {"t": saved_at}}
        )


class PlanSubmitView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = selectors.plan_get_for_manager(user=request.user, plan_id=pk)
        if not plan.is_editable:
            raise Http404
        return render(
            request, "producers/plan_submit.html", {"plan": plan, "missing": services.plan_missing(plan)}
        )

    def post(self, request, pk):
        plan = selectors.plan_get_for_manager(user=request.user, plan_id=pk)
        try:
            services.plan_submit(by=request.user, plan=plan)
        except ValidationError as error:
            return render(
                request, "producers/plan_submit.html", {"plan": plan, "missing": error.messages}, status=400
            )
        messages.success(request, _("Plan sent for review."))
        return redirect("producers:plan_detail", plan.pk)


class PlanReturnView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = selectors.plan_get_for_reviewer(user=request.user, plan_id=pk)
        return render(request, "producers/plan_return.html", {"plan": plan, "form": PlanReturnForm()})

    def post(self, request, pk):
        plan = selectors.plan_get_for_reviewer(user=request.user, plan_id=pk)
        form = PlanReturnForm(request.POST)
        if form.is_valid():
            try:
                services.plan_return(
                    by=request.user,
                    plan=plan,
                    comments=form.section_comments(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Plan returned to the association with your comments."))
                return redirect("producers:plan_detail", plan.pk)
        return render(request, "producers/plan_return.html", {"plan": plan, "form": form}, status=400)


class PlanValidateView(LoginRequiredMixin, View):
    """The NGO coordinator validates a plan under review; it is locked from then on."""

    def _plan(self, request, pk):
        if not access_for(request.user).is_coordinator:
            raise Http404
        return selectors.plan_get_for_reviewer(user=request.user, plan_id=pk)

    def get(self, request, pk):
        plan = self._plan(request, pk)
        return render(request, "producers/plan_validate.html", {"plan": plan, "form": CommentForm()})

    def post(self, request, pk):
        plan = self._plan(request, pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.plan_validate(by=request.user, plan=plan, comment=form.cleaned_data["comment"])
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Plan validated. It is now locked."))
                return redirect("producers:plan_detail", plan.pk)
        return render(request, "producers/plan_validate.html", {"plan": plan, "form": form}, status=400)


class PlanMunicipalityValidateView(LoginRequiredMixin, View):
    """A technician of the territory records the municipality's validation of a plan under review."""

    def get(self, request, pk):
        plan = selectors.plan_get_for_reviewer(user=request.user, plan_id=pk)
        context = {"plan": plan, "form": CommentForm(), "municipality": True}
        return render(request, "producers/plan_validate.html", context)

    def post(self, request, pk):
        plan = selectors.plan_get_for_reviewer(user=request.user, plan_id=pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.plan_validate_municipality(
                    by=request.user, plan=plan, comment=form.cleaned_data["comment"]
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The municipality's validation is recorded."))
                return redirect("producers:plan_detail", plan.pk)
        context = {"plan": plan, "form": form, "municipality": True}
        return render(request, "producers/plan_validate.html", context, status=400)


class PlanAssemblyView(LoginRequiredMixin, View):
    """The leader records the asamblea general's approval of the plan (date, acta, quorum, votes)."""

    def _plan(self, request, pk):
        plan = selectors.plan_get_for_manager(user=request.user, plan_id=pk)
        if not plan.is_editable:
            raise Http404
        return plan

    def _render(self, request, plan, form, status=200):
        context = {"plan": plan, "association": plan.association, "form": form}
        return render(request, "producers/plan_assembly.html", context, status=status)

    def get(self, request, pk):
        plan = self._plan(request, pk)
        initial = {"members_total": plan.association.families, "call": OperatingPlan.AssemblyCall.FIRST}
        if plan.assembly_approved:
            initial = {
                "held_on": plan.assembly_date,
                "call": plan.assembly_call,
                "minutes_ref": plan.assembly_minutes_ref,
                "members_present": plan.assembly_members_present,
                "members_total": plan.assembly_members_total,
                "votes_for": plan.assembly_votes_for,
            }
        return self._render(request, plan, AssemblyForm(initial=initial))

    def post(self, request, pk):
        plan = self._plan(request, pk)
        form = AssemblyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.plan_assembly_record(by=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The approval of the asamblea is recorded."))
                return redirect("producers:plan_detail", plan.pk)
        return self._render(request, plan, form, status=400)


class PlanAssemblyActaView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
        if not plan.assembly_minutes_file:
            raise Http404
        return document_response(plan.assembly_minutes_file, f"acta-poa-{plan.year}")


class PlanVersionNewView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = selectors.plan_get_for_manager(user=request.user, plan_id=pk)
        return render(request, "producers/plan_version_new.html", {"plan": plan})

    def post(self, request, pk):
        plan = selectors.plan_get_for_manager(user=request.user, plan_id=pk)
        try:
            new = services.plan_version_new(by=request.user, plan=plan)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("producers:plan_detail", plan.pk)
        messages.success(request, _("Version %(n)s started from the validated plan.") % {"n": new.version})
        return redirect("producers:plan_edit", new.pk)


class PlanDiffView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
        versions = list(selectors.plan_versions(plan=plan))
        other_id = request.GET.get("other") or (plan.previous_id and str(plan.previous_id))
        other = None
        if other_id and other_id.isdigit():
            other = get_object_or_404(
                OperatingPlan.objects.visible_to(request.user).filter(
                    association=plan.association, year=plan.year
                ),
                pk=int(other_id),
            )
        context = {"plan": plan, "versions": versions, "other": other}
        if other is not None:
            old, new = sorted([other, plan], key=lambda p: p.version)
            context.update(old=old, new=new, sections=selectors.plan_diff(old=old, new=new))
        return render(request, "producers/plan_diff.html", context)


class PlanPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        plan = selectors.plan_get_for_user(user=request.user, plan_id=pk)
        context = _plan_context(request, plan)
        pdf = render_pdf("producers/plan_pdf.html", context)
        return pdf_response(pdf, f"POA {plan.year} {plan.association.name} v{plan.version}")


class DeadlineListView(CoordinatorRequiredMixin, View):
    def _render(self, request, form, status=200):
        return render(
            request,
            "producers/deadline_list.html",
            {"deadlines": selectors.deadlines_all(), "form": form},
            status=status,
        )

    def get(self, request):
        return self._render(request, DeadlineForm(initial={"year": selectors.today().year}))

    def post(self, request):
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                services.deadline_set(by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Deadline saved."))
                return redirect("producers:deadline_list")
        return self._render(request, form, status=400)
