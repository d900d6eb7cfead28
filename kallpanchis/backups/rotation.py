"""Which backups to keep: the newest of each of the last 7 days, 4 weeks and 12 months that have one.

Days, weeks (ISO) and months are counted in the platform's time zone, as people read the dates. As in
restic's `forget --keep-daily/--keep-weekly/--keep-monthly`, a day without a backup does not use up one of
the seven; the newest backup is always kept. A pure function: the service applies it to the archive names.
"""

import re
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

NAME = re.compile(r"^kallpanchis-(\d{8}T\d{6}Z)\.tar$")


def archive_name(when: datetime) -> str:
    return f"kallpanchis-{when.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar"


def archive_time(name: str) -> datetime | None:
    """The time in an archive name, or None for a file that is not one of ours (left alone)."""
    match = NAME.match(name)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def backups_to_keep(
    times: Iterable[datetime], *, tz: tzinfo, daily: int = 7, weekly: int = 4, monthly: int = 12
) -> set[datetime]:
    newest_first = sorted(set(times), reverse=True)
    keep = set(newest_first[:1])
    periods = (
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    )
    for count, period_of in periods:
        seen = set()
        for moment in newest_first:
            period = period_of(moment.astimezone(tz))
            if period in seen:
                continue
            if len(seen) == count:
                break
            seen.add(period)
            keep.add(moment)
    return keep
