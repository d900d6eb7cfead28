"""The home page: it reads a person's access (this app), and asks every app what is due for them through
core's plug-in point (kallpanchis/core/pending.py)."""

from django.shortcuts import render

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
    return render(
        request,
        "core/home.html",
        {
            "assignments": assignments,
            "roles": access.roles,
            "Role": Role,
            "home": pending_for(user=request.user, access=access),
            "field_worker": access.has(Role.TECHNICIAN, Role.MUNICIPAL_ADMIN),
        },
    )
