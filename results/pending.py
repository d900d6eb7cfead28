"""What results/ puts on a person's home page (kallpanchis/core/pending.py): for a reporter, the periods of
this year that have ended and wait for their value (or were returned); for a coordinator, the values
waiting for review. A fixed number of queries whatever the number of items."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kallpanchis.accounts.models import Role
from kallpanchis.core import pending
from kallpanchis.core.pending import NextStep, PendingItem

from . import selectors
from .models import Report


@pending.register
def results_pending(user, access, today):
    items: list = []
    if access.organisations_with(Role.TECHNICIAN, Role.MUNICIPAL_ADMIN, Role.LEADER):
        for row in selectors.reporting_rows(user=user, year=today.year):
            report, period = row["report"], row["period"]
            if period.ends_on > today or (report is not None and report.state != Report.State.RETURNED):
                continue
            indicator, municipality = row["assignment"].indicator, row["assignment"].municipality
            items.append(
                PendingItem(
                    title=f"{indicator.name} · {municipality.organisation.name} · {period}",
                    url=reverse("results:report_form", args=[indicator.pk, municipality.pk, period.pk]),
                    action_label=_("Correct and send again") if report else _("Report"),
                    due=period.due_on,
                    kind="result",
                    detail=report.review_comment if report else "",
                )
            )
    if access.is_coordinator:
        waiting = selectors.reports_to_review(user=user).count()
        if waiting:
            items.append(
                NextStep(
                    text=ngettext(
                        "%(n)s reported value waits for review.",
                        "%(n)s reported values wait for review.",
                        waiting,
                    )
                    % {"n": waiting},
                    url=reverse("results:report_list"),
                    link_label=_("Review"),
                )
            )
    return items
