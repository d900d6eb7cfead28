"""Pages of meetings: schedule, agenda, postpone, cancel, printables, signed record (the log: meeting_log)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kallpanchis.core import fragments, shell
from kallpanchis.core.caching import access_of, built, cached, paginator_counted
from kallpanchis.core.exports import table_response
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.fragments import Rows, block
from kallpanchis.core.pdf import pdf_response, render_pdf
from kallpanchis.core.uploads import document_response

from .. import exports, selectors, services
from ..forms import (
    AgendaEditFormSet,
    AgendaFormSet,
    CancelForm,
    MeetingForm,
    PostponeForm,
)
from ..models import Meeting
from ..roster import space_roster
from .common import PAGE_SIZE

MEETING_ROW = ("space__name", "title", "starts_at", "place", "status")
UPCOMING_SHOWN = 20  # the meetings coming that head the list


def _meeting_filters(request) -> tuple:
    """The list's filters: a space (one outside the person's scope is a 404, cached or not) and a status."""
    space = None
    if request.GET.get("space", "").isdigit():
        space = selectors.space_get_for_user(user=request.user, space_id=int(request.GET["space"]))
    status = request.GET.get("status", "")
    return space, status if status in Meeting.Status.values else ""


@login_required
def meeting_list(request):
    """The list block is kept until one of the tables it reads changes (a version stepped by the database on
    every write: kallpanchis/core/caching.py)."""
    space, _status = _meeting_filters(request)
    block = cached(
        "spaces:meetings",
        request=request,
        groups=("spaces",),
        params=["space", "status", "page"],
        # the space is read before: what the block shows of it is in the key
        key=(space and fragments.values_of(space),),
        compute=lambda: _meeting_list_block(request, space),
        by_tables=True,
    )
    return shell.page(request, "spaces/meeting_list.html", {"list_block": block})


@login_required
def meeting_export(request, fmt: str):
    """Every meeting of the list's filters (upcoming and past, newest first) with attendance totals."""
    space, status = _meeting_filters(request)
    header, rows = exports.meeting_table(
        selectors.meetings_for_user(user=request.user, space=space, status=status)
    )
    return table_response(
        fmt, header=header, rows=rows, filename=f"reuniones-{timezone.localdate().isoformat()}"
    )


def _meeting_list_block(request, space) -> str:
    status = request.GET.get("status", "")
    if status not in Meeting.Status.values:
        status = ""
    # Unfiltered, the list opens on what is coming (soonest first), then what was held (newest first).
    today = timezone.localdate()
    asked = (space and space.pk, status)
    meetings = built(
        "spaces:meetings",
        user=request.user,
        key=asked,
        build=lambda: selectors.meetings_for_user(
            user=request.user, space=space, status=status, without_upcoming_from=None if status else today
        ),
    )
    # The count is the same on every page of a filter: counted once, not per page.
    count = cached(
        "spaces:meetings-count",
        request=request,
        groups=("spaces",),
        params=["space", "status"],
        compute=meetings.count,
        by_tables=True,
    )
    # Only what a row shows is read (and hashed into its key): not the minutes and decisions.
    page = paginator_counted(meetings.only(*MEETING_ROW), PAGE_SIZE, count).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # What is coming heads the first page of the unfiltered list only: not read for the others.
    upcoming = Meeting.objects.none()
    if not status and page.number == 1:
        upcoming = built(
            "spaces:meetings-upcoming",
            user=request.user,
            key=asked,
            build=lambda: selectors.meetings_upcoming(user=request.user, space=space, today=today),
        )
    # Each row's HTML kept under what it shows, and the block under its rows and count: a write re-renders
    # only what it changed.
    meeting_rows, upcoming_rows = Rows.of_slices(
        "spaces:meeting",
        [(page.object_list, page.paginator.object_list), (upcoming[:UPCOMING_SHOWN], upcoming)],
        template="spaces/partials/meeting_row.html",
        as_name="meeting",
    )
    parts = (
        access_of(request.user),
        sorted(request.GET.lists()),
        count,
        space and (space.pk, space.name),
    )
    context = {
        "page_obj": page,
        "meetings": meeting_rows.lazily(),  # the row objects, read only if someone reads them (tests)
        "upcoming": upcoming_rows.lazily(),
        "meeting_rows": meeting_rows,
        "upcoming_rows": upcoming_rows,
        "status": status,
        "statuses": Meeting.Status.choices,
        "space": space,
        "query": query.urlencode(),
    }
    return block(
        "spaces:meetings",
        parts,
        lambda: render_to_string("spaces/partials/meeting_list_block.html", context, request=request),
        rows=(meeting_rows, upcoming_rows),
    )


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
            errors_to_form(form, error)
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


def _upcoming_editable(request, pk: int):
    """A meeting this person may change, still to come: only those get a new agenda, date or cancellation."""
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk, editable=True)
    if not meeting.is_upcoming:
        raise Http404
    return meeting


@login_required
def meeting_agenda(request, pk: int):
    meeting = _upcoming_editable(request, pk)
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
    meeting = _upcoming_editable(request, pk)
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
            errors_to_form(form, error)
        else:
            messages.success(request, _("The meeting was postponed; its former date stays in its history."))
            return redirect("spaces:meeting_detail", meeting.pk)
    return render(request, "spaces/meeting_postpone.html", {"form": form, "meeting": meeting})


@login_required
def meeting_cancel(request, pk: int):
    meeting = _upcoming_editable(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The meeting was cancelled."))
        return redirect("spaces:meeting_detail", meeting.pk)
    return render(request, "spaces/meeting_confirm_cancel.html", {"form": form, "meeting": meeting})


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
    # The space's registered people printed first (they only sign), then blank rows for everyone else.
    roster = space_roster(space=meeting.space, meeting=meeting)
    blank = max(10, max(30, len(page["invited"]) * 2) - len(roster))
    rows = range(len(roster) + 1, len(roster) + blank + 1)
    context = {"meeting": meeting, "space": meeting.space, "roster": roster, "rows": rows, **page}
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
