"""What producers/ puts on a person's home page (kallpanchis/core/pending.py): plans to review or validate;
for an association's leader, the year's plan and the production months not yet recorded."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kallpanchis.accounts.models import Role
from kallpanchis.core import pending
from kallpanchis.core.caching import cached_for
from kallpanchis.core.pending import NextStep, PendingItem

from . import selectors
from .models import OperatingPlan

# A plan sent for review should be answered within this many days (the reviewers' reminder goes then).
REVIEW_WITHIN_DAYS = 7
# Production months looked back on, and how many missing months are listed one by one before being summed up.
PRODUCTION_MONTHS_BACK = 6
PRODUCTION_LISTED = 2


def _short(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _month(day) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT")


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_due(month: datetime.date) -> datetime.date:
    """A month's production is recorded during the month after it: due on that month's last day."""
    return _month_start(month, back=-2) - datetime.timedelta(days=1)


@pending.register
def producers_pending(user, access, today):
    items: list = []
    reviewer = access.is_coordinator or bool(access.organisations_with(Role.TECHNICIAN))
    if reviewer or access.has(Role.PARTNER_STAFF, Role.VIEWER):
        items += _plans_waiting(user, access, reviewer)
    if access.association_organisations:
        items += _leader_plans(access.association_organisations, today)
        items += _production_missing(access.association_organisations, today)
    return items


def _plans_waiting(user, access, reviewer: bool) -> list:
    # Kept until a plan, deadline or association changes: a consortium reads every waiting plan to count them.
    plans, total = cached_for(
        "home:plans-waiting",
        user=user,
        groups=("producers",),
        key=(reviewer,),
        compute=lambda: selectors.plans_waiting_for(user=user, reviewer=reviewer),
    )
    if access.is_coordinator:
        action = _("Validate or return")
    elif reviewer:
        action = _("Review")
    else:
        action = _("Open")
    items: list = [
        PendingItem(
            title=_("Plan %(year)s of %(association)s") % {"year": p.year, "association": p.association},
            url=reverse("producers:plan_detail", args=[p.pk]),
            action_label=action,
            due=timezone.localdate(p.updated_at) + datetime.timedelta(days=REVIEW_WITHIN_DAYS),
            kind="plan_review",
            detail=_("%(status)s on %(date)s")
            % {"status": p.get_status_display(), "date": _short(timezone.localdate(p.updated_at))},
        )
        for p in plans
    ]
    if total > len(plans):
        items.append(
            NextStep(
                text=_("%(count)s more plans wait for review") % {"count": total - len(plans)},
                url=reverse("producers:plan_list"),
                link_label=_("Plans to review"),
            )
        )
    return items


def _leader_plans(organisation_ids, today) -> list:
    """This year's plan, and next year's once a deadline is set for it or it is started."""
    items: list = []
    rows = selectors.leader_plan_years(organisation_ids=organisation_ids, years=[today.year, today.year + 1])
    for association in dict.fromkeys(row["association"] for row in rows):
        items.append(
            NextStep(
                text=_("%(association)s: profile, members, plans and production")
                % {"association": association},
                url=reverse("producers:association_detail", args=[association.pk]),
                link_label=_("My association"),
            )
        )
    for row in rows:
        plan, year, deadline, association = row["plan"], row["year"], row["deadline"], row["association"]
        if year > today.year and plan is None and deadline is None:
            continue
        detail = (
            _("Deadline: %(date)s") % {"date": _short(deadline)} if deadline else _("No deadline set yet")
        )
        title_args = {"year": year, "association": association}
        if plan is None:
            items.append(
                PendingItem(
                    title=_("Plan %(year)s of %(association)s: not started") % title_args,
                    url=reverse("producers:plan_start", args=[association.pk]) + f"?year={year}",
                    action_label=_("Start it"),
                    due=deadline,
                    kind="plan",
                    detail=detail,
                )
            )
        elif plan.status == OperatingPlan.Status.DRAFT:
            items.append(
                PendingItem(
                    title=_("Plan %(year)s of %(association)s: draft to finish") % title_args,
                    url=reverse("producers:plan_edit", args=[plan.pk]),
                    action_label=_("Finish and send"),
                    due=deadline,
                    kind="plan",
                    detail=detail,
                )
            )
        elif plan.status == OperatingPlan.Status.RETURNED:
            items.append(
                PendingItem(
                    title=_("Plan %(year)s of %(association)s: returned with comments") % title_args,
                    url=reverse("producers:plan_edit", args=[plan.pk]),
                    action_label=_("Fix and send again"),
                    due=deadline,
                    kind="plan",
                    detail=detail,
                    links=((_("Read the comments"), reverse("producers:plan_detail", args=[plan.pk])),),
                )
            )
        elif plan.status in OperatingPlan.IN_REVIEW:
            items.append(
                NextStep(
                    text=_("Plan %(year)s of %(association)s: sent, waiting for review") % title_args,
                    url=reverse("producers:plan_detail", args=[plan.pk]),
                    link_label=_("Open"),
                )
            )
        else:
            items.append(
                NextStep(
                    text=_("Plan %(year)s of %(association)s: validated") % title_args,
                    url=reverse("producers:plan_detail", args=[plan.pk]),
                    link_label=_("Open"),
                )
            )
    return items


def _production_missing(organisation_ids, today) -> list:
    months = [_month_start(today, back=k) for k in range(1, PRODUCTION_MONTHS_BACK + 1)]
    missing: dict = {}
    for association, month in selectors.production_months_missing(
        organisation_ids=organisation_ids, months=months
    ):
        missing.setdefault(association, []).append(month)
    items: list = []
    for association, gaps in missing.items():
        gaps.sort()
        create = reverse("producers:production_create", args=[association.pk])
        if len(gaps) <= PRODUCTION_LISTED:
            items += [
                PendingItem(
                    title=_("Production of %(month)s: not recorded") % {"month": _month(month)},
                    url=f"{create}?month={month:%Y-%m}",
                    action_label=_("Record it"),
                    due=_month_due(month),
                    kind="production",
                    detail=str(association),
                )
                for month in gaps
            ]
        else:
            items.append(
                PendingItem(
                    title=_("Production: %(count)s months not recorded, from %(first)s to %(last)s")
                    % {"count": len(gaps), "first": _month(gaps[0]), "last": _month(gaps[-1])},
                    url=f"{create}?month={gaps[0]:%Y-%m}",
                    action_label=_("Record the first"),
                    due=_month_due(gaps[0]),
                    kind="production",
                    detail=str(association),
                    links=(
                        (_("Import a file"), reverse("producers:production_import", args=[association.pk])),
                    ),
                )
            )
    return items
