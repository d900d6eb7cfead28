"""Meeting logs written on a phone with no connection (kallpanchis/offline holds the page and its script).

Two JSON endpoints, both for the signed-in technician only:
- the upcoming meetings they may log, with a version each, the people of their spaces (to tick, as on the
  log page: kallpanchis/spaces/roster.py), the districts they may register people in, an opaque key of the
  signed-in person (the drafts' owner on a shared phone) and a fresh CSRF token (the cached offline page
  holds none); all of it is forgotten by the phone at sign-out;
- the sync endpoint: the phone sends a whole draft under the id it made; the server applies it once, through
  spaces.services.meeting_log, and refuses it, with a message saying what changed (and the meeting as it is
  now, to re-base the draft on), when the meeting changed on the server after the phone saved it, or when
  new people in it are probably registered already (the draft stays on the phone, to say who they are).
  People added on the phone carry an id made there, so that the same new person is registered once.
Signed out: 401 with JSON, never a redirect to a login page the script cannot read.
"""

import datetime
import json
import uuid
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kallpanchis.core.models import Gender
from kallpanchis.offline import messages as texts
from kallpanchis.offline.models import OfflineSubmission
from kallpanchis.offline.services import AlreadyUsedByAnother, submission_accept
from kallpanchis.people import scope as people_scope
from kallpanchis.people.models import Person

from .attendance_forms import split_surnames
from .models import Meeting, SpaceMember
from .roster import default_district, spaces_rosters
from .services import AgreementData, AttendanceRow, NewAttendee, NotLinkable, PeopleToCheck, meeting_log

# Meetings are logged after they happen: the list reaches back a month and forward two.
PAST_DAYS = 31
FUTURE_DAYS = 62
MAX_MEETINGS = 60
MAX_ROWS = 500
MAX_AGREEMENTS = 100


def meeting_version(meeting: Meeting) -> str:
    """Changes whenever the meeting row is saved (postponed, cancelled, logged, edited)."""
    return meeting.updated_at.isoformat()


def owner_key(user) -> str:
    """Who a draft on a shared phone belongs to: opaque, stable for one person, useless elsewhere."""
    return salted_hmac("kallpanchis.offline.draft-owner", str(user.pk)).hexdigest()[:24]


def meeting_state(meeting: Meeting) -> dict:
    """The meeting as the phone keeps it (and re-bases a refused draft on)."""
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "space": meeting.space.name,
        "space_id": meeting.space_id,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
        "status": meeting.status,
        "version": meeting_version(meeting),
    }


def _signed_out() -> JsonResponse:
    return JsonResponse(
        {
            "error": "signed_out",
            "message": str(texts.SIGNED_OUT),
            "login_url": reverse("account_login"),
        },
        status=401,
    )


@never_cache
@require_GET
def meetings(request):
    """The technician's meetings that can still be logged, and the people of their spaces, for the phone
    to keep. A fixed number of queries however many meetings, spaces and people."""
    if not request.user.is_authenticated:
        return _signed_out()
    now = timezone.now()
    found = list(
        Meeting.objects.editable_by(request.user)
        .filter(
            status__in=Meeting.UPCOMING,
            starts_at__gte=now - datetime.timedelta(days=PAST_DAYS),
            starts_at__lte=now + datetime.timedelta(days=FUTURE_DAYS),
        )
        .select_related("space__municipality__district")
        .order_by("starts_at")[:MAX_MEETINGS]
    )
    spaces = {m.space_id: m.space for m in found}
    rosters = spaces_rosters(spaces=list(spaces.values())) if spaces else {}
    members: dict[int, list[str]] = {}
    for space_id, name in (
        SpaceMember.objects.filter(space_id__in=list(spaces))
        .order_by("organisation__name")
        .values_list("space_id", "organisation__name")
    ):
        members.setdefault(space_id, []).append(name)
    return JsonResponse(
        {
            "meetings": [meeting_state(m) for m in found],
            "spaces": [
                {
                    "id": space.pk,
                    "name": space.name,
                    "default_district": default_district(space),
                    "organisations": members.get(space.pk, []),
                    "people": [
                        {
                            "id": e.person_id,
                            "name": e.name,
                            "gender": e.gender,
                            "community": e.community,
                            "organisation": e.organisation_name,
                            "representative": e.is_representative,
                        }
                        for e in rosters.get(space.pk, [])
                    ],
                }
                for space in spaces.values()
            ],
            "districts": people_scope.district_choices(request.user) or [],
            "owner": owner_key(request.user),
            "csrf_token": get_token(request),
        }
    )


class Invalid(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Draft:
    client_id: uuid.UUID
    version: str
    minutes: str
    decisions: str
    attendance: list[AttendanceRow]
    agreements: list[AgreementData]
    author: str = ""  # owner_key of who wrote it on the phone ("" from phones older than drafts' owners)
    picked: tuple[int, ...] = ()  # ids of registered people in `attendance`, read in one query later


def _text(value, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid([str(texts.DAMAGED)])
    return value.strip()[:limit]


def draft_parse(raw: bytes) -> Draft:
    """Read the phone's JSON strictly; every problem is reported, in the technician's words."""
    try:
        data = json.loads(raw)
        client_id = uuid.UUID(str(data["client_id"]))
        version = str(data["version"])
    except (ValueError, KeyError, TypeError):
        raise Invalid([str(texts.DAMAGED)]) from None
    errors: list[str] = []
    minutes = _text(data.get("minutes"), 100_000)
    if not minutes:
        errors.append(str(texts.NEED_MINUTES))
    people = data.get("attendance") or []
    deals = data.get("agreements") or []
    if not isinstance(people, list) or not isinstance(deals, list):
        raise Invalid([str(texts.DAMAGED)])
    if len(people) > MAX_ROWS or len(deals) > MAX_AGREEMENTS:
        raise Invalid([str(texts.TOO_MANY_ROWS)])
    attendance = []
    genders = set(Gender.values)
    for n, row in enumerate(people, start=1):
        row = row if isinstance(row, dict) else {}
        name = _text(row.get("name"), 200)
        picked = row.get("person")
        if picked is not None and (not isinstance(picked, int) or isinstance(picked, bool) or picked < 1):
            raise Invalid([str(texts.DAMAGED)])
        new_person = _new_person(row.get("new_person"), errors, n)
        if not name and picked is None and new_person is None:
            errors.append(str(texts.PERSON_NAME) % {"n": n})
        gender = row.get("gender") or (Gender.UNSTATED if picked is None else "")
        if gender not in genders and not (picked is not None and gender == ""):
            gender = Gender.UNSTATED
        attendance.append(
            AttendanceRow(
                name=name,
                gender=gender,
                organisation_name=_text(row.get("organisation_name"), 200),
                role=_text(row.get("role"), 100),
                is_producer=bool(row.get("is_producer")),
                # A stand-in carrying only the id until the view reads the people in one query.
                person=Person(pk=picked) if picked is not None else None,
                new_person=new_person,
            )
        )
    agreements = []
    for n, row in enumerate(deals, start=1):
        row = row if isinstance(row, dict) else {}
        what = _text(row.get("what"), 5_000)
        if not what:
            errors.append(str(texts.AGREEMENT_WHAT) % {"n": n})
        try:
            due = datetime.date.fromisoformat(str(row.get("due_date") or ""))
        except ValueError:
            errors.append(str(texts.AGREEMENT_DUE) % {"n": n})
            continue
        agreements.append(
            AgreementData(
                what=what, due_date=due, responsible_person=_text(row.get("responsible_person"), 200)
            )
        )
    if errors:
        raise Invalid(errors)
    return Draft(
        client_id=client_id,
        version=version,
        minutes=minutes,
        decisions=_text(data.get("decisions"), 100_000),
        attendance=attendance,
        agreements=agreements,
        author=_text(data.get("author"), 64),
        picked=tuple(row.person.pk for row in attendance if row.person is not None),
    )


def _new_person(raw, errors: list[str], n: int) -> NewAttendee | None:
    """A person added on the phone with their consent, under the id the phone gave them."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise Invalid([str(texts.DAMAGED)])
    try:
        client_id = uuid.UUID(str(raw["client_id"]))
    except (ValueError, KeyError, TypeError):
        raise Invalid([str(texts.DAMAGED)]) from None
    given = _text(raw.get("given_names"), 100)
    first, second = split_surnames(_text(raw.get("surnames"), 120))
    if not given or not first:
        errors.append(str(texts.NEW_PERSON_NAME) % {"n": n})
    gender = raw.get("gender") if raw.get("gender") in set(Gender.values) else Gender.UNSTATED
    link = raw.get("link_to")
    return NewAttendee(
        given_names=given,
        first_surname=first[:60],
        second_surname=second[:60],
        gender=gender,
        community=_text(raw.get("community"), 120),
        district_ubigeo=_text(raw.get("district"), 6),
        dni=_text(raw.get("dni"), 12),
        confirmed_new=link == "new" or bool(raw.get("confirmed_new")),
        client_id=client_id,
    )


class Changed(Exception):
    def __init__(self, message: str, meeting: Meeting):
        super().__init__(message)
        self.meeting = meeting


def _what_changed(meeting: Meeting) -> str:
    if meeting.status == Meeting.Status.HELD:
        return str(texts.ALREADY_LOGGED)
    if meeting.status == Meeting.Status.CANCELLED:
        return str(texts.CANCELLED)
    if meeting.status == Meeting.Status.POSTPONED:
        return str(texts.MOVED) % {
            "when": formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
        }
    return str(texts.CHANGED)


def _with_people(draft: Draft) -> list[AttendanceRow] | None:
    """The draft's rows with the registered people it picked read in one query; None if one is gone."""
    if not draft.picked:
        return draft.attendance
    people = Person.objects.in_bulk(set(draft.picked))
    if len(people) != len(set(draft.picked)):
        return None
    return [
        replace(row, person=people[row.person.pk]) if row.person is not None else row
        for row in draft.attendance
    ]


def _duplicates_answer(found: PeopleToCheck) -> JsonResponse:
    """Which rows of the draft (by position) are probably people already registered, and who."""
    names = people_scope.district_names(
        m.person.district_ubigeo for d in found.found.values() for m in d.matches
    )
    rows = [
        {
            "index": index,
            "matches": [
                {
                    "id": m.person.pk,
                    "name": m.person.display_name,
                    "community": m.person.community,
                    "district": names.get(m.person.district_ubigeo, m.person.district_ubigeo),
                }
                for m in duplicate.matches
            ],
        }
        for index, duplicate in sorted(found.found.items())
    ]
    return JsonResponse(
        {"error": "duplicates", "message": str(texts.DUPLICATES), "rows": rows},
        status=409,
    )


@never_cache
@require_POST
def meeting_log_sync(request, pk: int):
    """Apply one draft once. 201: applied now; 200: already applied (a retry); 409: the meeting changed
    (with the meeting as it is now), new people probably registered already (which rows, whom), the draft
    belongs to another person or its id is used; 400: the draft needs fixing; 404: not a meeting this
    person may log; 401: signed out."""
    if not request.user.is_authenticated:
        return _signed_out()
    try:
        draft = draft_parse(request.body)
    except Invalid as error:
        return JsonResponse({"error": "invalid", "errors": error.errors}, status=400)
    meeting = Meeting.objects.editable_by(request.user).filter(pk=pk).first()
    if meeting is None:
        return JsonResponse({"error": "not_found", "message": str(texts.NOT_OPEN)}, status=404)
    if draft.author and draft.author != owner_key(request.user):
        # A shared phone never sends another person's draft; should one arrive anyway, it is not applied.
        return JsonResponse({"error": "not_yours", "message": str(texts.NOT_YOURS)}, status=409)
    attendance = _with_people(draft)
    if attendance is None:
        return JsonResponse({"error": "invalid", "errors": [str(texts.PERSON_GONE)]}, status=400)
    report = {}

    def apply() -> dict:
        locked = Meeting.objects.select_for_update().select_related("space").get(pk=meeting.pk)
        if meeting_version(locked) != draft.version:
            raise Changed(_what_changed(locked), locked)
        logged = meeting_log(
            meeting=locked,
            by=request.user,
            minutes=draft.minutes,
            decisions=draft.decisions,
            attendance=attendance,
            agreements=draft.agreements,
        )
        report.update(logged.log_report)
        return {
            "status": "accepted",
            "meeting": locked.pk,
            "attendance": len(draft.attendance),
            "agreements": len(draft.agreements),
        }

    try:
        accepted = submission_accept(
            client_id=draft.client_id,
            kind=OfflineSubmission.Kind.MEETING_LOG,
            object_id=meeting.pk,
            user=request.user,
            apply=apply,
        )
    except Changed as change:
        message = str(texts.KEPT) % {"what": change.args[0]}
        return JsonResponse(
            {"error": "changed", "message": message, "meeting": meeting_state(change.meeting)}, status=409
        )
    except PeopleToCheck as found:
        return _duplicates_answer(found)
    except NotLinkable:
        return JsonResponse({"error": "invalid", "errors": [str(texts.PERSON_GONE)]}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": "invalid", "errors": error.messages}, status=400)
    except PermissionDenied:
        return JsonResponse({"error": "not_found", "message": str(texts.NOT_OPEN)}, status=404)
    except AlreadyUsedByAnother:
        return JsonResponse(
            {"error": "conflict", "message": str(texts.ID_USED)},
            status=409,
        )
    body = {
        **accepted.result,
        "duplicate": accepted.duplicate,
        "url": reverse("spaces:meeting_detail", args=[pk]),
        # Counts only (the stored result never holds names): people registered now, and people who were
        # already registered with the DNI typed on the phone (another phone may have added them first).
        "registered": len(report.get("registered", [])),
        "linked_by_dni": len(report.get("linked_by_dni", [])),
    }
    return JsonResponse(body, status=200 if accepted.duplicate else 201)
