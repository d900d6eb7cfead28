"""What spaces/ puts on a person's home page (kallpanchis/core/pending.py): meetings to hold and log,
agreements to follow up, and for the consortium the places where follow-up lags."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kallpanchis.accounts.models import MUNICIPAL_ROLES, Role
from kallpanchis.core import pending
from kallpanchis.core.caching import cached_for
from kallpanchis.core.pending import Group, NextStep, PendingItem

from . import selectors
from .models import Meeting

# A meeting not logged this many days after it ended is overdue.
LOG_WITHIN_DAYS = 2
QUIET_DAYS = 60  # a municipality with no meeting held in this many days is flagged to the consortium
CONSORTIUM_LIMIT = 10  # places listed of each kind on a consortium's home; the rest counted


def _short(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _meeting_item(meeting: Meeting, now: datetime.datetime, *, manages: bool) -> PendingItem:
    title = f"{meeting.space.name}: {meeting.title}"
    sheet = (_("Attendance sheet"), reverse("spaces:attendance_sheet", args=[meeting.pk]))
    if manages and meeting.starts_at <= now:
        due = timezone.localdate(meeting.ends_at) + datetime.timedelta(days=LOG_WITHIN_DAYS)
        return PendingItem(
            title=title,
            url=reverse("spaces:meeting_log", args=[meeting.pk]),
            action_label=_("Log it"),
            due=due,
            kind="meeting_log",
            detail=_("Held on %(date)s in %(place)s: not logged yet")
            % {"date": _short(timezone.localtime(meeting.starts_at)), "place": meeting.place},
            links=(sheet,),
        )
    return PendingItem(
        title=title,
        url=reverse("spaces:meeting_detail", args=[meeting.pk]),
        action_label=_("Open"),
        due=timezone.localtime(meeting.starts_at),
        kind="meeting",
        detail=meeting.place,
        links=(sheet,) if manages else (),
    )


def _agreement_item(agreement, *, action) -> PendingItem:
    who = agreement.responsible_organisation or agreement.responsible_person
    detail = agreement.meeting.space.name + (f" · {who}" if who else "")
    return PendingItem(
        title=agreement.what if len(agreement.what) <= 120 else agreement.what[:119] + "…",
        url=reverse("spaces:agreement_detail", args=[agreement.pk]),
        action_label=action,
        due=agreement.due_date,
        kind="agreement",
        detail=detail,
    )


def _more(shown: int, total: int, text: str, url_name: str, link_label: str) -> list[NextStep]:
    if total <= shown:
        return []
    return [NextStep(text=text % {"count": total - shown}, url=reverse(url_name), link_label=link_label)]


@pending.register
def spaces_pending(user, access, today):
    items: list = []
    now = timezone.now()
    if access.organisations_with(Role.TECHNICIAN, Role.MUNICIPAL_ADMIN):
        managed = selectors.managed_space_ids(user=user)
        meetings, total = selectors.meetings_to_run(user=user, today=today, space_ids=managed)
        items += [_meeting_item(m, now, manages=True) for m in meetings]
        items += _more(
            len(meetings), total, _("%(count)s more meetings"), "spaces:meeting_list", _("All meetings")
        )
        if not meetings:
            items.append(
                NextStep(
                    text=_("No meeting of your spaces in the next 30 days."),
                    url=reverse("spaces:space_list"),
                    link_label=_("Schedule one from its space"),
                )
            )
        agreements, total = selectors.agreements_due(user=user, today=today, space_ids=managed)
        items += [_agreement_item(a, action=_("Follow up")) for a in agreements]
        items += _more(
            len(agreements),
            total,
            _("%(count)s more agreements overdue or due this week"),
            "spaces:agreement_list",
            _("Agreements register"),
        )
    organisations = access.association_organisations
    if organisations:
        meetings, total = selectors.meetings_of_organisations(organisation_ids=organisations, today=today)
        items += [_meeting_item(m, now, manages=False) for m in meetings]
        items += _more(
            len(meetings), total, _("%(count)s more meetings"), "spaces:meeting_list", _("All meetings")
        )
        agreements, total = selectors.agreements_of_organisations(organisation_ids=organisations)
        items += [_agreement_item(a, action=_("Update its status")) for a in agreements]
        items += _more(
            len(agreements),
            total,
            _("%(count)s more agreements your association answers for"),
            "spaces:agreement_list",
            _("Agreements register"),
        )
    if access.has(Role.COORDINATOR, Role.PARTNER_STAFF, Role.VIEWER):
        items += _consortium_items(user, access, today)
    return items


def _consortium_items(user, access, today) -> list:
    """The places where follow-up lags, the worst first and at most CONSORTIUM_LIMIT of each. Counted over
    every agreement and meeting in scope, so kept in the cache until the spaces' data changes."""
    items: list = []
    agreements = reverse("spaces:agreement_list")
    overdue = cached_for(
        "home:overdue-by-municipality",
        user=user,
        groups=("spaces",),
        compute=lambda: selectors.overdue_agreements_by_municipality(user=user, today=today),
    )
    quiet = cached_for(
        "home:quiet-municipalities",
        user=user,
        groups=("spaces",),
        key=(QUIET_DAYS,),
        compute=lambda: selectors.municipalities_without_meetings(user=user, today=today, days=QUIET_DAYS),
    )
    if len(overdue) > CONSORTIUM_LIMIT:
        items.append(
            NextStep(
                text=_("%(count)s more municipalities have overdue agreements")
                % {"count": len(overdue) - CONSORTIUM_LIMIT},
                url=agreements + "?overdue=on",
                link_label=_("Agreements register"),
            )
        )
    for row in overdue[:CONSORTIUM_LIMIT]:
        query = (
            f"?overdue=on&municipality={row['municipality_id']}" if row["municipality_id"] else "?overdue=on"
        )
        items.append(
            PendingItem(
                title=ngettext(
                    "%(place)s: %(count)s overdue agreement",
                    "%(place)s: %(count)s overdue agreements",
                    row["count"],
                )
                % {"place": row["name"], "count": row["count"]},
                url=agreements + query,
                action_label=_("See them"),
                due=row["oldest"],
                kind="overdue_agreements",
            )
        )
    # Viewers read a municipality's public profile only; consortium and municipal staff its whole profile.
    profile = "municipalities:municipality_public"
    if access.has(Role.COORDINATOR, Role.PARTNER_STAFF) or access.organisations_with(*MUNICIPAL_ROLES):
        profile = "municipalities:municipality_detail"
    # Those quiet the longest first (never met first of all).
    quiet = sorted(quiet, key=lambda row: (row["last"] is not None, row["last"] or today, row["name"]))
    if len(quiet) > CONSORTIUM_LIMIT:
        items.append(
            NextStep(
                text=_("%(count)s more municipalities held no meeting in %(days)s days")
                % {"count": len(quiet) - CONSORTIUM_LIMIT, "days": QUIET_DAYS},
                url=reverse("municipalities:municipality_list"),
                link_label=_("Municipalities"),
            )
        )
    for row in quiet[:CONSORTIUM_LIMIT]:
        last = row["last"]
        items.append(
            PendingItem(
                title=_("%(place)s: no meeting in %(days)s days")
                % {"place": row["name"], "days": QUIET_DAYS},
                url=reverse(profile, args=[row["municipality_id"]]),
                action_label=_("Open"),
                due=last + datetime.timedelta(days=QUIET_DAYS) if last else None,
                group="" if last else Group.OVERDUE,
                kind="quiet_municipality",
                detail=(_("Last meeting held on %(date)s") % {"date": _short(last)})
                if last
                else _("No meeting held yet"),
            )
        )
    return items
