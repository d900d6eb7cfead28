"""Which archives the rotation keeps: 7 daily, 4 weekly, 12 monthly, counted in Lima's calendar."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kallpanchis.backups.rotation import archive_name, archive_time, backups_to_keep

LIMA = ZoneInfo("America/Lima")


def nightly(days: int, *, end=datetime(2026, 12, 31, 7, 30, tzinfo=UTC)) -> list[datetime]:
    """One backup a night at 02:30 in Lima (07:30 UTC), the newest on 31/12/2026."""
    return [end - timedelta(days=n) for n in range(days)]


def test_a_year_of_nights_keeps_7_days_4_weeks_and_12_months():
    times = nightly(400)
    keep = backups_to_keep(times, tz=LIMA)
    local = sorted((t.astimezone(LIMA) for t in keep), reverse=True)
    # the last seven nights
    assert [t.day for t in local[:7]] == [31, 30, 29, 28, 27, 26, 25]
    # weeks: the newest of each ISO week; the 7 days already cover this week (Mon 28) and the one before
    # (the newest of week 52 is Sun 27); two more weeks add Sun 20 and Sun 13
    days = {t.date() for t in local}
    assert {datetime(2026, 12, d).date() for d in (20, 13)} <= days
    # months: the last night of each of the last 12 months (December's is the 31st)
    month_ends = {(t.year, t.month) for t in local if (t + timedelta(days=1)).month != t.month}
    assert len(month_ends) == 12 and (2026, 1) in month_ends and (2025, 12) not in month_ends
    assert len(keep) == 7 + 2 + 11  # December's month-end and the weeks' are already among the days


def test_days_are_counted_in_lima_not_in_utc():
    # 23:30 in Lima on the 1st is 04:30 UTC on the 2nd: two backups of Lima's 1st, one kept for that day.
    early = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)  # 15:00 Lima, the 1st
    late = datetime(2026, 6, 2, 4, 30, tzinfo=UTC)  # 23:30 Lima, the 1st
    keep = backups_to_keep([early, late], tz=LIMA, daily=7, weekly=0, monthly=0)
    assert keep == {late}


def test_days_without_a_backup_do_not_use_up_the_seven():
    times = [datetime(2026, 12, 31, 7, 30, tzinfo=UTC) - timedelta(days=3 * n) for n in range(10)]
    keep = backups_to_keep(times, tz=LIMA, daily=7, weekly=0, monthly=0)
    assert keep == set(sorted(times, reverse=True)[:7])


def test_archive_names_round_trip_and_others_are_left_alone():
    when = datetime(2026, 12, 6, 2, 30, 58, tzinfo=UTC)
    assert archive_name(when) == "kallpanchis-20261206T023058Z.tar"
    assert archive_time(archive_name(when)) == when
    assert archive_time("notes.txt") is None and archive_time("kallpanchis-2026.tar") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)), max_size=60))
def test_rotation_properties(naive_times):
    times = [t.replace(tzinfo=UTC) for t in naive_times]
    keep = backups_to_keep(times, tz=LIMA)
    assert keep <= set(times)
    assert len(keep) <= 7 + 4 + 12
    if times:
        assert max(times) in keep
    # applying the rotation again removes nothing more
    assert backups_to_keep(keep, tz=LIMA) == keep
    # at most one kept per local day
    days = [t.astimezone(LIMA).date() for t in keep]
    assert len(days) == len(set(days))
