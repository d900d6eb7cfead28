"""Thin views: parse the request, call a selector or a service, answer. Outside the scope is a 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kallpanchis.core.pdf import pdf_response, render_pdf
from kallpanchis.core.uploads import document_response
from kallpanchis.organisations.models import Organisation

from . import selectors, services
from .calendar import ical_for_meetings
from .forms import (
    AgendaEditFormSet,
    AgendaFormSet,
    AgreementFilterForm,
    AgreementForm,
    AgreementFormSet,
    AgreementStatusForm,
    AttendanceFormSet,
    AttendanceRowForm,
    BaseRowsFormSet,
    CancelForm,
    MeetingForm,
    MeetingLogForm,
    PostponeForm,
    SpaceForm,
    SpaceMemberForm,
    ThematicGroupForm,
    organisation_choices,
)
from .models import Meeting, ThematicGroup

PAGE_SIZE = 25
MORE_ROWS = 10


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- spaces -----------------------------------------------------------------------------------------------


@login_required
def space_list(request):
    spaces = selectors.spaces_for_user(user=request.user)
    can_create = selectors.managed_municipalities(request.user).exists()
    return render(request, "spaces/space_list.html", {"spaces": spaces, "can_create": can_create})


@login_required
def space_detail(request, pk: int):
    space = selectors.space_get_for_user(user=request.user, space_id=pk)
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    context = {
        "space": space,
        "can_manage": selectors.space_can_manage(user=request.user, space=space),
        "members": selectors.space_members(space=space),
        "subspaces": space.subspaces.select_related("thematic_group"),
        "meetings": selectors.meetings_for_user(user=request.user, space=space)[:10],
        "open_agreements": selectors.agreements_for_user(user=request.user, space=space).open()[:10],
        "figures": selectors.space_participation(space=space, start=year_start, end=today),
        "figures_since": year_start,
        "today": today,
    }
    return render(request, "spaces/space_detail.html", context)


@login_required
def space_create(request):
    if not selectors.managed_municipalities(request.user).exists():
        raise Http404
    form = SpaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The space was created."))
            return redirect("spaces:space_detail", space.pk)
    return render(request, "spaces/space_form.html", {"form": form})


@login_required
def space_edit(request, pk: int):
    space = selectors.space_get_editable(user=request.user, space_id=pk)
    form = SpaceForm(request.POST or None, instance=space, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.fields}
        space.refresh_from_db()
        try:
            services.space_update(space=space, by=request.user, **fields)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The space was saved."))
            return redirect("spaces:space_detail", space.pk)
    return render(request, "spaces/space_form.html", {"form": form, "space": space})


@login_required
def space_member_add(request, pk: int):
    space = selectors.space_get_editable(user=request.user, space_id=pk)
    form = SpaceMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.space_member_add(space=space, by=request.user, **form.cleaned_data)
        messages.success(request, _("The organisation is now a member of the space."))
        return redirect("spaces:space_detail", space.pk)
    return render(request, "spaces/spacemember_form.html", {"form": form, "space": space})


@login_required
def space_member_remove(request, pk: int):
    member = selectors.space_member_get_editable(user=request.user, member_id=pk)
    if request.method == "POST":
        services.space_member_remove(member=member, by=request.user)
        messages.success(request, _("The organisation was taken out of the space."))
        return redirect("spaces:space_detail", member.space_id)
    return render(
        request, "spaces/spacemember_confirm_remove.html", {"member": member, "space": member.space}
    )


@login_required
def thematic_group_list(request):
    """Coordinators add themes; everyone who may create spaces sees the list."""
    access = selectors.access_for(request.user)
    can_add = access.is_coordinator
    if not (can_add or selectors.managed_municipalities(request.user).exists()):
        raise Http404
    form = ThematicGroupForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise Http404
        if form.is_valid():
            try:
                services.thematic_group_create(by=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The thematic group was added."))
                return redirect("spaces:thematic_group_list")
    groups = ThematicGroup.objects.order_by("name")
    return render(
        request, "spaces/thematicgroup_list.html", {"groups": groups, "form": form, "can_add": can_add}
    )


# --- meetings ---------------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    status = request.GET.get("status", "")
    if status not in Meeting.Status.values:
        status = ""
    space = None
    if request.GET.get("space", "").isdigit():
        space = selectors.space_get_for_user(user=request.user, space_id=int(request.GET["space"]))
    meetings = selectors.meetings_for_user(user=request.user, space=space, status=status)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_obj": page,
        "meetings": page.object_list,
        "status": status,
        "statuses": Meeting.Status.choices,
        "space": space,
        "query": query.urlencode(),
    }
    return render(request, "spaces/meeting_list.html", context)


@login_required
def meeting_schedule(request, pk: int):
    space = selectors.space_get_editable(user=request.user, space_id=pk)
    form = MeetingForm(request.POST or None, space=space)
    agenda = AgendaFormSet(request.POST or None, prefix="agenda")
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                space=space,
                by=request.user,
                title=d["title"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                place=d["place"],
                convened_by=d["convened_by"],
                invited=list(d["invited"]),
                agenda=[f.to_data() for f in agenda.forms if f.has_changed()],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The meeting is scheduled. Print the attendance sheet to take along.")
            )
            return redirect("spaces:meeting_detail", meeting.pk)
    return render(request, "spaces/meeting_form.html", {"form": form, "agenda": agenda, "space": space})


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    context = {
        "meeting": meeting,
        "space": meeting.space,
        "can_manage": selectors.space_can_manage(user=request.user, space=meeting.space),
        **selectors.meeting_page(meeting=meeting),
    }
    return render(request, "spaces/meeting_detail.html", context)


@login_required
def meeting_agenda(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk, editable=True)
    if not meeting.is_upcoming:
        raise Http404
    items = meeting.agenda_items.filter(is_follow_up=False)
    initial = [
        {"title": i.title, "presenter": i.presenter, "duration_minutes": i.duration_minutes} for i in items
    ]
    if request.method == "POST":
        agenda = AgendaEditFormSet(request.POST, prefix="agenda")
    else:
        agenda = AgendaEditFormSet(prefix="agenda", initial=initial)
    if request.method == "POST" and agenda.is_valid():
        kept = [f.to_data() for f in agenda.filled_forms()]
        services.meeting_agenda_set(meeting=meeting, by=request.user, agenda=kept)
        messages.success(request, _("The agenda was saved."))
        return redirect("spaces:meeting_detail", meeting.pk)
    return render(request, "spaces/meeting_agenda_form.html", {"meeting": meeting, "agenda": agenda})


@login_required
def meeting_postpone(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk, editable=True)
    if not meeting.is_upcoming:
        raise Http404
    form = PostponeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.meeting_postpone(
                meeting=meeting,
                by=request.user,
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                reason=d["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The meeting was postponed; its former date stays in its history."))
            return redirect("spaces:meeting_detail", meeting.pk)
    return render(request, "spaces/meeting_postpone.html", {"form": form, "meeting": meeting})


@login_required
def meeting_cancel(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk, editable=True)
    if not meeting.is_upcoming:
        raise Http404
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The meeting was cancelled."))
        return redirect("spaces:meeting_detail", meeting.pk)
    return render(request, "spaces/meeting_confirm_cancel.html", {"form": form, "meeting": meeting})


def rows_formset(form_class, typed, more: int, kwargs: dict):
    """An unbound formset holding the typed rows plus `more` blank ones."""
    formset_class = forms.formset_factory(form_class, formset=BaseRowsFormSet, extra=more, max_num=300)
    rows = [{name: f[name].value() for name in f.fields} for f in typed.forms]
    return formset_class(initial=rows, **kwargs)


@login_required
def meeting_log(request, pk: int):
    """Minutes, attendance rows, agreements and the signed record in one form; all saved or none.
    "Add more rows" is a plain submit button, so it works without JavaScript."""
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk, editable=True)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Http404
    organisations = selectors.space_member_organisations(space=meeting.space)
    meeting_day = timezone.localdate(meeting.starts_at)
    data = request.POST if request.method == "POST" else None
    initial = {"minutes": meeting.minutes, "decisions": meeting.decisions}
    members = organisation_choices(organisations, _("— other —"))
    everyone = organisation_choices(Organisation.objects.order_by("name"), "---------")
    attendance_kwargs = {
        "prefix": "attendance",
        "form_kwargs": {"organisations": organisations, "organisation_choices": members},
    }
    agreement_kwargs = {
        "prefix": "agreements",
        "form_kwargs": {"meeting_day": meeting_day, "organisation_choices": everyone},
    }
    if data is not None and ("more_rows" in data or "more_agreements" in data):
        # More blank rows, keeping what was typed, without judging it yet: unbound forms, typed values
        # as their initial data.
        typed_form = MeetingLogForm(data)
        typed_attendance = AttendanceFormSet(data, **attendance_kwargs)
        typed_agreements = AgreementFormSet(data, **agreement_kwargs)
        form = MeetingLogForm(initial={k: typed_form[k].value() for k in ("minutes", "decisions")})
        attendance = rows_formset(
            AttendanceRowForm, typed_attendance, MORE_ROWS if "more_rows" in data else 0, attendance_kwargs
        )
        agreements = rows_formset(
            AgreementForm, typed_agreements, 2 if "more_agreements" in data else 0, agreement_kwargs
        )
        data = None
    else:
        form = MeetingLogForm(data, request.FILES or None, initial=initial)
        attendance = AttendanceFormSet(data, **attendance_kwargs)
        agreements = AgreementFormSet(data, **agreement_kwargs)
    if data is not None:
        if form.is_valid() and attendance.is_valid() and agreements.is_valid():
            rows = [f.to_row() for f in attendance.filled_forms()]
            if not rows and not meeting.attendance.exists():
                attendance._non_form_errors = attendance.error_class(
                    [_("Add at least one person who attended.")]
                )
            else:
                d = form.cleaned_data
                try:
                    services.meeting_log(
                        meeting=meeting,
                        by=request.user,
                        minutes=d["minutes"],
                        decisions=d["decisions"],
                        attendance=rows,
                        agreements=[f.to_data() for f in agreements.filled_forms()],
                        signed_record=d["signed_record"] or None,
                    )
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("The meeting was logged: %(people)s people, %(agreements)s agreements.")
                        % {"people": len(rows), "agreements": len(agreements.filled_forms())},
                    )
                    return redirect("spaces:meeting_detail", meeting.pk)
    context = {
        "meeting": meeting,
        "form": form,
        "attendance": attendance,
        "agreements": agreements,
        "show_errors": data is not None,
        "logged": meeting.attendance.count(),
    }
    return render(request, "spaces/meeting_log.html", context)


@login_required
def attendance_remove(request, pk: int):
    row = selectors.attendance_get_editable(user=request.user, attendance_id=pk)
    if request.method == "POST":
        services.attendance_remove(attendance=row, by=request.user)
        messages.success(request, _("The row was deleted."))
        return redirect("spaces:meeting_detail", row.meeting_id)
    return render(request, "spaces/attendance_confirm_remove.html", {"row": row, "meeting": row.meeting})


@login_required
def meeting_attendance_sheet(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    page = selectors.meeting_page(meeting=meeting)
    blank = max(30, len(page["invited"]) * 2)
    context = {"meeting": meeting, "space": meeting.space, "rows": range(1, blank + 1), **page}
    pdf = render_pdf("spaces/attendance_sheet_pdf.html", context)
    day = timezone.localdate(meeting.starts_at).isoformat()
    return pdf_response(pdf, f"{_('attendance')}-{meeting.space.name}-{day}")


@login_required
def meeting_acta(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    if meeting.status != Meeting.Status.HELD:
        raise Http404
    context = {"meeting": meeting, "space": meeting.space, **selectors.meeting_page(meeting=meeting)}
    pdf = render_pdf("spaces/acta_pdf.html", context)
    day = timezone.localdate(meeting.starts_at).isoformat()
    return pdf_response(pdf, f"{_('acta')}-{meeting.space.name}-{day}")


@login_required
def meeting_signed_record(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk)
    if not meeting.signed_record:
        raise Http404
    day = timezone.localdate(meeting.starts_at).isoformat()
    return document_response(meeting.signed_record, f"acta-firmada-{day}")


# --- agreements -------------------------------------------------------------------------------------------


@login_required
def agreement_list(request):
    form = AgreementFilterForm(
        request.GET or None,
        spaces=selectors.spaces_for_user(user=request.user),
        organisations=selectors.agreement_responsible_organisations(user=request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    agreements = selectors.agreements_for_user(
        user=request.user,
        space=filters.get("space"),
        status=filters.get("status", ""),
        organisation_id=filters["organisation"].pk if filters.get("organisation") else None,
        overdue=filters.get("overdue", False),
        mine=filters.get("mine", False),
    )
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "spaces/agreement_list.html",
        {
            "form": form,
            "page_obj": page,
            "agreements": page.object_list,
            "today": timezone.localdate(),
            "query": query.urlencode(),
        },
    )


@login_required
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_get_for_user(user=request.user, agreement_id=pk)
    can_manage = selectors.space_can_manage(user=request.user, space=agreement.meeting.space)
    form = AgreementStatusForm(request.POST or None, request.FILES or None, agreement=agreement)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.agreement_status_change(
                    agreement=agreement,
                    by=request.user,
                    to_status=d["to_status"],
                    note=d["note"],
                    evidence=d["evidence"] or None,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The agreement's status was changed."))
                return redirect("spaces:agreement_detail", agreement.pk)
    return render(
        request,
        "spaces/agreement_detail.html",
        {"agreement": agreement, "form": form, "can_manage": can_manage, "today": timezone.localdate()},
    )


@login_required
def agreement_evidence(request, pk: int):
    change = selectors.status_change_get_for_user(user=request.user, change_id=pk)
    if not change.evidence:
        raise Http404
    return document_response(change.evidence, f"evidencia-{change.agreement_id}-{change.pk}")


# --- calendar and public page -----------------------------------------------------------------------------


@login_required
def calendar_settings(request):
    token = selectors.calendar_token_for(user=request.user)
    url = request.build_absolute_uri(reverse("spaces:calendar_feed", args=[token.token])) if token else ""
    return render(request, "spaces/calendar_settings.html", {"token": token, "feed_url": url})


@login_required
@require_POST
def calendar_regenerate(request):
    services.calendar_token_regenerate(user=request.user)
    messages.success(request, _("Your calendar has a new private address; the old one no longer works."))
    return redirect("spaces:calendar_settings")


@login_required
@require_POST
def calendar_revoke(request):
    services.calendar_token_revoke(user=request.user)
    messages.success(request, _("Your private calendar address was switched off."))
    return redirect("spaces:calendar_settings")


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@never_cache
def calendar_feed(request, token: str):
    meetings = selectors.calendar_meetings_for_token(token=token)
    if meetings is None:
        raise Http404
    return _ics(
        ical_for_meetings(meetings, name="Kallpanchis", base_url=request.build_absolute_uri("/")),
        "kallpanchis",
    )


def public_space(request, pk: int):
    space = selectors.public_space_get(space_id=pk)
    context = {"space": space, **selectors.public_space_page(space=space), "today": timezone.localdate()}
    return render(request, "spaces/public_space.html", context)


def public_space_calendar(request, pk: int):
    space = selectors.public_space_get(space_id=pk)
    meetings = selectors.calendar_meetings_for_space(space=space)
    return _ics(
        ical_for_meetings(meetings, name=space.name, base_url=request.build_absolute_uri("/"), public=True),
        f"space-{space.pk}",
    )
