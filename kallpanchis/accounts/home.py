"""The home page: it reads a person's access (this app), and asks every app what is due for them through
core's plug-in point (kallpanchis/core/pending.py)."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from kallpanchis.core.caching import ALL, cached_for
from kallpanchis.core.pending import pending_for

from .access import access_for
from .models import Role


def home(request):
    """Each person's work first: what is due for them, from every app (kallpanchis/core/pending.py),
    grouped as overdue, this week and later, with what comes next."""
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html")
    access = access_for(request.user)
    assignments = request.user.role_assignments.select_related("organisation").order_by("role")
    pending, pending_html = _pending(request.user, access)
    return render(
        request,
        "core/home.html",
        {
            "assignments": assignments,
            "roles": access.roles,
            "Role": Role,
            "home": pending,
            "pending_html": pending_html,  # a SafeString (render_to_string), kept as such in the cache
            "field_worker": access.has(Role.TECHNICIAN, Role.MUNICIPAL_ADMIN),
        },
    )


def _pending(user, access) -> tuple:
    """The to-do list and its rendered HTML, from the cache until anything a reader sees changes (the "all"
    data version: a logged meeting, an approved plan, a reply by SMS) and for this minute at most: what
    changes with the clock alone (a meeting that has started asks to be logged) waits a minute, never more.
    Per person."""

    def compute():
        pending = pending_for(user=user, access=access)
        return pending, render_to_string("core/partials/pending.html", {"home": pending})

    return cached_for(
        "home:pending",
        user=user,
        groups=(ALL,),
        compute=compute,
        key=(user.pk, timezone.now().strftime("%H:%M")),
    )
