"""Logging a meeting: attendance (ticked names, the register's search box, new people), minutes and
agreements, as three steps on a phone. One form and one POST, so it works without JavaScript (the steps are
then one page); the script only shows one step at a time, searches the register and checks a new person
against it before the page is sent. Every rule is meeting_log's."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kallpanchis.core.caching import ALL, cached_for
from kallpanchis.core.forms import errors_to_form
from kallpanchis.core.fragments import CSRF_PLACEHOLDER, with_csrf_token
from kallpanchis.people import scope as people_scope
from kallpanchis.people.models import Person
from kallpanchis.people.search import probable_duplicates
from kallpanchis.people.text import dni_clean, normalise

from .. import selectors, services
from ..attendance_forms import AttendancePickForm, NewAttendeeForm, NewAttendeeFormSet, split_surnames
from ..forms import AgreementForm, AgreementFormSet, BaseRowsFormSet, MeetingLogForm, organisation_choices
from ..models import Meeting
from ..roster import default_district, space_roster_kept

MORE_PEOPLE_ROWS = 3


def rows_formset(form_class, typed, more: int, kwargs: dict):
    """An unbound formset holding the typed rows plus `more` blank ones."""
    formset_class = forms.formset_factory(form_class, formset=BaseRowsFormSet, extra=more, max_num=300)
    rows = [{name: f[name].value() for name in f.fields} for f in typed.forms]
    return formset_class(initial=rows, **kwargs)


def _loggable(request, pk: int) -> Meeting:
    meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=pk, editable=True)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Http404
    return meeting


def _ticked_rows(ids, *, roster, people, organisations) -> list[services.AttendanceRow]:
    """A row per ticked person, with the organisation the list shows for them."""
    entries = {e.person_id: e for e in roster}
    rows = []
    for pk in dict.fromkeys(ids):
        if pk not in people:
            continue
        entry = entries.get(pk)
        organisation = organisations.get(entry.organisation_id) if entry else None
        rows.append(
            services.AttendanceRow(
                name="",
                gender="",
                person=people[pk],
                organisation=organisation,
                organisation_name="" if organisation or entry is None else entry.organisation_name,
                is_producer=bool(entry and entry.is_producer),
            )
        )
    return rows


def _show_duplicates(found: services.PeopleToCheck, filled: list[NewAttendeeForm], offset: int) -> None:
    names = people_scope.district_names(
        m.person.district_ubigeo for d in found.found.values() for m in d.matches
    )
    for index, duplicate in found.found.items():
        form = filled[index - offset]
        form.duplicates = [
            {
                "id": m.person.pk,
                "name": m.person.display_name,
                "community": m.person.community,
                "district": names.get(m.person.district_ubigeo, m.person.district_ubigeo),
            }
            for m in duplicate.matches
        ]
        form.add_error(None, _("This person may already be in the register: say who it is below."))


# Where the page opened afresh, kept for everyone with the same access, holds the CSRF token: each request
# writes its own there (letters only, so escaping leaves it as it is).
CONTENT = "spaces/partials/meeting_log_content.html"


@login_required
def meeting_log(request, pk: int):
    """Minutes, attendance and agreements in one form; all saved or none. "Add more rows" is a plain submit
    button, so it works without JavaScript.

    The page as it opens (a GET: nothing typed yet; some three hundred names to tick and seventy blank
    fields, 150 KB) is the same for everyone with this person's access until anything a reader sees is
    written, and so is whether they may log this meeting (their access is in the key): it is rendered once
    and kept, and each request puts its own CSRF token in it. A meeting that has not started yet is not kept
    (the page changes when it starts, with no write)."""
    found = {}  # the meeting, when the kept page had to be made: not looked up twice
    if request.method == "GET":

        def opened():
            meeting = found["meeting"] = _loggable(request, pk)  # a 404 is not kept
            if not services.meeting_has_started(meeting):
                return None
            context = {**_log_context(request, meeting), "csrf_token": CSRF_PLACEHOLDER}
            return render_to_string(CONTENT, context, request=request)

        kept = cached_for("spaces:log-page", user=request.user, groups=(ALL,), compute=opened, key=(pk,))
        if kept is not None:
            content = with_csrf_token(kept, request)
            return render(request, "spaces/meeting_log.html", {"content": content})
    meeting = found.get("meeting") or _loggable(request, pk)
    if not services.meeting_has_started(meeting):
        return render(request, "spaces/meeting_log.html", {"meeting": meeting, "not_started": True})
    context = _log_context(request, meeting)
    if not isinstance(context, dict):  # saved: where to go next
        return context
    return render(request, "spaces/meeting_log.html", context)


def _log_context(request, meeting: Meeting):
    """The page's context for this request (typed rows sent back with their errors, or the page as it
    opens), or, when a POST saved the log, the redirect to the meeting."""
    space = meeting.space
    organisations = selectors.space_member_organisations(space=space)
    roster = space_roster_kept(space=space, meeting=meeting, user=request.user)
    meeting_day = timezone.localdate(meeting.starts_at)
    data = request.POST if request.method == "POST" else None
    initial = {"minutes": meeting.minutes, "decisions": meeting.decisions}
    members = organisation_choices(organisations, _("— other —"))
    # The agreement rows offer the organisations around this meeting; any other one posted (a draft written
    # offline on an older list) is still accepted: the field's queryset is every organisation.
    around = selectors.meeting_answering_organisations(meeting=meeting)
    answering = organisation_choices(around, "---------")
    attendance_kwargs = {
        "prefix": "attendance",
        "form_kwargs": {
            "organisations": organisations,
            "organisation_choices": members,
            "district_choices": people_scope.district_choices(request.user) or [],
            "default_district": default_district(space),
        },
    }
    agreement_kwargs = {
        "prefix": "agreements",
        "form_kwargs": {"meeting_day": meeting_day, "organisation_choices": answering},
    }
    if data is not None and ("more_rows" in data or "more_agreements" in data):
        # More blank rows, keeping what was typed and ticked, without judging it yet: unbound forms, typed
        # values as their initial data.
        typed_form = MeetingLogForm(data)
        form = MeetingLogForm(initial={k: typed_form[k].value() for k in ("minutes", "decisions")})
        pick = AttendancePickForm(initial={"present": data.getlist("present")})
        attendance = rows_formset(
            NewAttendeeForm,
            NewAttendeeFormSet(data, **attendance_kwargs),
            MORE_PEOPLE_ROWS if "more_rows" in data else 0,
            attendance_kwargs,
        )
        agreements = rows_formset(
            AgreementForm,
            AgreementFormSet(data, **agreement_kwargs),
            2 if "more_agreements" in data else 0,
            agreement_kwargs,
        )
        data = None
    else:
        form = MeetingLogForm(data, request.FILES or None, initial=initial)
        pick = AttendancePickForm(data)
        attendance = NewAttendeeFormSet(data, **attendance_kwargs)
        agreements = AgreementFormSet(data, **agreement_kwargs)
    if data is not None and all(f.is_valid() for f in (form, pick, attendance, agreements)):
        filled = attendance.filled_forms()
        ids = list(pick.cleaned_data["present"])
        wanted = set(ids) | {f.linked_id for f in filled if f.linked_id}
        people = Person.objects.filter(pk__in=wanted).in_bulk() if wanted else {}
        ticked = _ticked_rows(
            ids, roster=roster, people=people, organisations={o.pk: o for o in organisations}
        )
        d = form.cleaned_data
        try:
            logged = services.meeting_log(
                meeting=meeting,
                by=request.user,
                minutes=d["minutes"],
                decisions=d["decisions"],
                attendance=ticked + [f.to_row(people) for f in filled],
                agreements=[f.to_data() for f in agreements.filled_forms()],
                signed_record=d["signed_record"] or None,
            )
        except services.PeopleToCheck as found:
            _show_duplicates(found, filled, offset=len(ticked))
        except PermissionDenied as refused:
            pick.add_error("present", str(refused))
        except ValidationError as error:
            # A refusal of the attendance as a whole (nobody attended) is shown above its rows.
            refused = getattr(error, "error_dict", {}).pop("attendance", None)
            if refused:
                attendance._non_form_errors = attendance.error_class(ValidationError(refused).messages)
            errors_to_form(form, error)
        else:
            _logged_message(request, logged, people=len(ticked) + len(filled), agreements=agreements)
            return redirect("spaces:meeting_detail", meeting.pk)
    present = _present_ids(pick)
    context = {
        "meeting": meeting,
        "form": form,
        "pick": pick,
        "roster": roster,
        "present": present,
        "attendance": attendance,
        "agreements": agreements,
        "show_errors": data is not None,
        "logged": meeting.attendance.count(),
        "check_url": reverse("spaces:meeting_people_check", args=[meeting.pk]),
        "search_url": reverse("people:person_search"),
        "extra_people": _extra_people(present, roster, request.user, space),
    }
    return context


def _present_ids(pick: AttendancePickForm) -> set[int]:
    if pick.is_bound:
        raw = pick.data.getlist("present") if hasattr(pick.data, "getlist") else pick.data.get("present", [])
    else:
        raw = pick.initial.get("present", [])
    return {int(v) for v in raw if str(v).isdigit()}


def _extra_people(present: set[int], roster, user, space) -> list[dict]:
    """People ticked from the search box (not in the space's list), kept ticked when the page comes back."""
    outside = present - {e.person_id for e in roster}
    if not outside:
        return []
    allowed = services.linkable_ids(by=user, space=space, ids=outside)
    return [
        {"id": p.pk, "name": p.display_name, "community": p.community}
        for p in Person.objects.filter(pk__in=allowed).order_by("given_names")
    ]


def _logged_message(request, meeting: Meeting, *, people: int, agreements) -> None:
    messages.success(
        request,
        _("The meeting was logged: %(people)s people, %(agreements)s agreements.")
        % {"people": people, "agreements": len(agreements.filled_forms())},
    )
    report = getattr(meeting, "log_report", {})
    if report.get("registered"):
        messages.info(
            request,
            _("New in the register, with their consent: %(names)s.")
            % {"names": ", ".join(report["registered"])},
        )
    if report.get("linked_by_dni"):
        messages.info(
            request,
            _("Already in the register with the same DNI, so linked to that person: %(names)s.")
            % {"names": ", ".join(report["linked_by_dni"])},
        )


@never_cache
@require_GET
@login_required
def meeting_people_check(request, pk: int):
    """For the script of the log: the registered people a new person probably is (same DNI, or a similar
    name in the same district), among those the technician may link. No DNI or phone in the answer."""
    meeting = _loggable(request, pk)
    given = request.GET.get("given_names", "")
    first, second = split_surnames(request.GET.get("surnames", ""))
    try:
        dni = dni_clean(request.GET.get("dni", ""))
    except ValidationError:
        dni = ""
    matches = probable_duplicates(
        name=normalise(f"{given} {first} {second}"),
        dni=dni,
        district_ubigeo=request.GET.get("district", "")[:6],
        community=request.GET.get("community", ""),
    )
    allowed = services.linkable_ids(by=request.user, space=meeting.space, ids={m.person.pk for m in matches})
    shown = [m for m in matches if m.person.pk in allowed][:5]
    names = people_scope.district_names(m.person.district_ubigeo for m in shown)
    response = JsonResponse(
        {
            "matches": [
                {
                    "id": m.person.pk,
                    "name": m.person.display_name,
                    "gender": m.person.gender,
                    "community": m.person.community,
                    "district": names.get(m.person.district_ubigeo, m.person.district_ubigeo),
                    "same_dni": m.same_dni,
                }
                for m in shown
            ]
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
