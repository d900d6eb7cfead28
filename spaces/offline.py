"""Meeting logs written on a phone with no connection (kallpanchis/offline holds the page and its script).

Two JSON endpoints, both for the signed-in technician only:
- the upcoming meetings they may log, with a version each, saved on the phone for offline use, and a fresh
  CSRF token (the cached offline page holds none);
- the sync endpoint: the phone sends a whole draft under the id it made; the server applies it once, through
  spaces.services.meeting_log, and refuses it, with a message saying what changed, when the meeting changed
  on the server after the phone saved it (the draft stays on the phone).
Signed out: 401 with JSON, never a redirect to a login page the script cannot read.
"""

import datetime
import json
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kallpanchis.core.models import Gender
from kallpanchis.offline import messages as texts
from kallpanchis.offline.models import OfflineSubmission
from kallpanchis.offline.services import AlreadyUsedByAnother, submission_accept

from .models import Meeting
from .services import AgreementData, AttendanceRow, meeting_log

# Meetings are logged after they happen: the list reaches back a month and forward two.
PAST_DAYS = 31
FUTURE_DAYS = 62
MAX_MEETINGS = 60
MAX_ROWS = 500
MAX_AGREEMENTS = 100


def meeting_version(meeting: Meeting) -> str:
    """Changes whenever the meeting row is saved (postponed, cancelled, logged, edited)."""
    return meeting.updated_at.isoformat()


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
    """The technician's meetings that can still be logged, for the phone to keep."""
    if not request.user.is_authenticated:
        return _signed_out()
    now = timezone.now()
    qs = (
        Meeting.objects.editable_by(request.user)
        .filter(
            status__in=Meeting.UPCOMING,
            starts_at__gte=now - datetime.timedelta(days=PAST_DAYS),
            starts_at__lte=now + datetime.timedelta(days=FUTURE_DAYS),
        )
        .select_related("space")
        .order_by("starts_at")[:MAX_MEETINGS]
    )
    data = [
        {
            "id": m.pk,
            "title": m.title,
            "space": m.space.name,
            "starts_at": m.starts_at.isoformat(),
            "place": m.place,
            "status": m.status,
            "version": meeting_version(m),
        }
        for m in qs
    ]
    return JsonResponse({"meetings": data, "csrf_token": get_token(request)})


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
        if not name:
            errors.append(str(texts.PERSON_NAME) % {"n": n})
        gender = row.get("gender") or Gender.UNSTATED
        if gender not in genders:
            gender = Gender.UNSTATED
        attendance.append(
            AttendanceRow(
                name=name,
                gender=gender,
                organisation_name=_text(row.get("organisation_name"), 200),
                role=_text(row.get("role"), 100),
                is_producer=bool(row.get("is_producer")),
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
    )


class Changed(Exception):
    pass


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


@never_cache
@require_POST
def meeting_log_sync(request, pk: int):
    """Apply one draft once. 201: applied now; 200: already applied (a retry); 409: the meeting changed;
    400: the draft needs fixing; 404: not a meeting this person may log; 401: signed out."""
    if not request.user.is_authenticated:
        return _signed_out()
    try:
        draft = draft_parse(request.body)
    except Invalid as error:
        return JsonResponse({"error": "invalid", "errors": error.errors}, status=400)
    meeting = Meeting.objects.editable_by(request.user).filter(pk=pk).first()
    if meeting is None:
        return JsonResponse({"error": "not_found", "message": str(texts.NOT_OPEN)}, status=404)

    def apply() -> dict:
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting_version(locked) != draft.version:
            raise Changed(_what_changed(locked))
        meeting_log(
            meeting=locked,
            by=request.user,
            minutes=draft.minutes,
            decisions=draft.decisions,
            attendance=draft.attendance,
            agreements=draft.agreements,
        )
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
        return JsonResponse({"error": "changed", "message": message}, status=409)
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
    }
    return JsonResponse(body, status=200 if accepted.duplicate else 201)
