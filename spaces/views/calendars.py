"""Private and public iCal feeds, and the public page of a space."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..calendar import ical_for_meetings


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
