"""Reach, counted once: how many people and families the projects reached, whatever the number of meetings,
trainings and workshops each one attended.

Each domain app says, in its own `indicators.py`, which of its rows are a person's participation in an
activity (`participation("meeting", rows)`); the register (this module, registered as measures by
`kallpanchis/people/indicators.py`) counts distinct people over all of them, by year, by the person's district
and gender, by the activity's thematic line, by kind of activity and by age group. A row without a person (no
consent: a name as written) counts in the activity's own totals (attendance) but never here.

`rows()` of a participation is a queryset of `.values(r_person=…, r_year=…, r_line=…)`: the person's id
(rows without one are left out here), the year of the activity and its thematic line ("" when it has none).
The union of all of them is folded once per facts rebuild into one row per person and year (`py`: the
person's gender, district, year of birth and family, how many participations, in which kinds) and one per
person, year and line (`pyl`), so that each measure is a plain COUNT(*) grouped by place (GROUPING SETS on
PostgreSQL over temporary tables; CTEs and plain GROUP BYs on the SQLite demo). See docs/dashboard.md,
"Reach".
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from kallpanchis.core.indicators import ALL

from .models import AGE_BANDS, AgeGroup, Family, Person

MEETING, TRAINING, WORKSHOP = "meeting", "training", "workshop"
KINDS = (MEETING, TRAINING, WORKSHOP)
REPEAT_AT_LEAST = 3  # "took part three times or more" in a year


@dataclass(frozen=True)
class Participation:
    kind: str
    rows: Callable[[], QuerySet]


PARTICIPATIONS: dict[str, Participation] = {}


def participation(kind: str, rows: Callable[[], QuerySet], *, name: str = "") -> Participation:
    """Register an app's rows as participations of one kind (meeting, training, workshop). `name` tells two
    registrations of one kind apart (a workshop's list and the meeting it was held as)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of activity: {kind}")
    found = Participation(kind=kind, rows=rows)
    PARTICIPATIONS[f"{kind}:{name}"] = found
    return found


def _union() -> tuple[str, list]:
    parts, params = [], []
    for key in sorted(PARTICIPATIONS):
        part = PARTICIPATIONS[key]
        qs = part.rows().filter(r_person__isnull=False).order_by()
        sql, part_params = qs.query.sql_with_params()
        # Columns picked by their alias, whatever order Django wrote them in; the kind is a parameter.
        parts.append(f"SELECT s.r_person, s.r_year, s.r_line, %s AS r_kind FROM ({sql}) s")  # noqa: S608  # nosec B608
        params += [part.kind, *part_params]
    if not parts:
        return "", []
    return " UNION ALL ".join(parts), params


def _age_case() -> str:
    """The age group in the year of the activity, as SQL over `year` and `birth_year` (the same bands as a
    person's page: models.AGE_BANDS)."""
    whens = " ".join(f"WHEN year - birth_year >= {int(lower)} THEN '{group}'" for lower, group in AGE_BANDS)
    return f"CASE WHEN birth_year IS NULL THEN '{AgeGroup.UNKNOWN}' {whens} ELSE '{AgeGroup.UNDER_18}' END"


def _kinds(prefix: str = "") -> str:
    return ", ".join(f"MAX(CASE WHEN {prefix}kind = '{k}' THEN 1 ELSE 0 END) AS {k}" for k in KINDS)


def _folded() -> tuple[str, str, str, str, list, list[str]]:
    """The union of the participations (`parts`), the SELECT of `reached` over it (one row per participation
    of a registered person, with the person's data), `py` and `pyl` over `reached` (folded per person and
    year, and per person, year and line), the parameters, and the tables read."""
    union, params = _union()
    if not union:
        return "", "", "", "", [], []
    person = Person._meta.db_table
    family = Family._meta.db_table
    # Table names are the models' own; every value is a parameter.
    columns = (
        "parts.r_person AS person_id, parts.r_year AS year, parts.r_line AS line, parts.r_kind AS kind, "
        "p.gender AS gender, p.district_ubigeo AS district, p.birth_year AS birth_year, "
        "p.family_id AS family_id, f.district_ubigeo AS family_district"
    )
    joins = f"FROM parts JOIN {person} p ON p.id = parts.r_person LEFT JOIN {family} f ON f.id = p.family_id"
    reached = f"SELECT {columns} {joins}"  # noqa: S608  # nosec B608
    # A person's gender, district, year of birth and family are one per person: MIN() carries them through.
    carried = (
        "MIN(gender) AS gender, MIN(district) AS district, MIN(birth_year) AS birth_year, "
        "MIN(family_id) AS family_id, MIN(family_district) AS family_district, COUNT(*) AS n"
    )
    py = f"SELECT person_id, year, {carried}, {_kinds()} FROM reached GROUP BY person_id, year"  # noqa: S608
    pyl = (
        f"SELECT person_id, year, line, {carried}, {_kinds()} FROM reached "  # noqa: S608
        "WHERE line <> '' GROUP BY person_id, year, line"
    )
    tables = {person, family}
    for part in PARTICIPATIONS.values():
        query = part.rows().query
        tables |= {alias.table_name for alias in query.alias_map.values()} | {query.model._meta.db_table}
    return union, reached, py, pyl, params, sorted(tables)


# On PostgreSQL the participations are folded once per transaction into temporary tables that every reach
# measure of a facts rebuild reads (one union and join instead of one per measure); they go with the
# transaction (ON COMMIT DROP), and are made again within it if any table they read was written meanwhile
# (the transaction's own write counters, pg_stat_xact_user_tables), so a test that adds rows and rebuilds
# twice in one transaction never reads old rows.
TEMP = "kallpanchis_reach"
_made: dict[int, int] = {}


@dataclass(frozen=True)
class _Source:
    prefix: str  # SQL before SELECT (the CTEs on SQLite)
    params: list
    py: str
    pyl: str


def _source() -> _Source | None:
    """Where the measures read `py` and `pyl`: temporary tables on PostgreSQL (made if needed) or CTEs.
    None when no app registered any participation."""
    union, reached, py, pyl, params, tables = _folded()
    if not union:
        return None
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        prefix = f"WITH parts AS ({union}), reached AS ({reached}), py AS ({py}), pyl AS ({pyl}) "
        return _Source(prefix=prefix, params=params, py="py", pyl="pyl")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables "
            "WHERE relname = ANY(%s)",
            [tables],
        )
        written = int(cursor.fetchone()[0])
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"pg_temp.{TEMP}_py"])
        exists = cursor.fetchone()[0]
        key = id(connection.connection)
        if not exists or _made.get(key) != written:
            for name in ("reached", "py", "pyl"):
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{TEMP}_{name}")
            made = f"CREATE TEMP TABLE {TEMP}_reached ON COMMIT DROP AS WITH parts AS ({union}) {reached}"
            cursor.execute(made, params)
            for name, sql in (("py", py), ("pyl", pyl)):
                sql = sql.replace("FROM reached", f"FROM {TEMP}_reached")
                cursor.execute(f"CREATE TEMP TABLE {TEMP}_{name} ON COMMIT DROP AS {sql}")
            cursor.execute(f"DROP TABLE pg_temp.{TEMP}_reached")
            cursor.execute(f"ANALYZE pg_temp.{TEMP}_py")
            cursor.execute(f"ANALYZE pg_temp.{TEMP}_pyl")
            _made[key] = written
    return _Source(prefix="", params=[], py=f"{TEMP}_py", pyl=f"{TEMP}_pyl")


def _measure(function):
    """A reach measure runs in a transaction (a savepoint inside the facts rebuild's), so that its
    temporary tables live as long as the rebuild does."""

    def run(*args, **kwargs):
        with transaction.atomic():
            return function(*args, **kwargs)

    run.__doc__ = function.__doc__
    return run


def _count(
    source: _Source,
    *,
    relation: str,
    where: str = "",
    params: list | None = None,
    value: str = "COUNT(*)",
    place: str = "district",
    by_gender: bool = True,
    by_line: bool = False,
) -> list[dict]:
    """Rows {year, province, district, line, gender, value}: `value` over `relation` (py, or pyl when
    `by_line`) grouped by year and place, and by gender too where asked (GROUPING SETS on PostgreSQL, one
    query; separate GROUP BYs elsewhere)."""
    keys = ["year", place, *(["line"] if by_line else [])]
    sets = [keys, [*keys, "gender"]] if by_gender else [keys]
    condition = f"WHERE {where}" if where else ""
    line = "line" if by_line else f"'{ALL}'"
    all_params = [*source.params, *(params or [])]
    fetched = []

    def select(gender: str) -> str:
        return f"{source.prefix} SELECT year, {place}, {line}, {gender}, {value} FROM {relation} {condition}"  # noqa: S608

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            grouping = ", ".join("(" + ", ".join(cols) + ")" for cols in sets)
            gender = "gender, GROUPING(gender)" if by_gender else f"'{ALL}', 1"
            cursor.execute(f"{select(gender)} GROUP BY GROUPING SETS ({grouping})", all_params)
            fetched = cursor.fetchall()
        else:
            for cols in sets:
                has_gender = "gender" in cols
                cursor.execute(
                    f"{select('gender' if has_gender else repr(ALL))} GROUP BY {', '.join(cols)}", all_params
                )
                fetched += [(y, d, ln, g, 0 if has_gender else 1, v) for y, d, ln, g, v in cursor.fetchall()]
    out = []
    for year, district, line_value, gender_value, gender_all, count in fetched:
        if year is None or not district or not count:
            continue
        out.append(
            {
                "year": int(year),
                "province": district[:4],
                "district": district,
                "line": line_value,
                "gender": ALL if gender_all else gender_value,
                "value": count,
            }
        )
    return out


@_measure
def people_reached(*, kind: str | None = None, age_group: str | None = None) -> list[dict]:
    """Distinct people with at least one participation in the year (of this kind, in this age group). Age
    groups are counted by place only (not by line or gender); only meetings have a thematic line."""
    source = _source()
    if source is None:
        return []
    where, params = [], []
    if kind:
        where.append(f"{kind} = 1")
    if age_group is not None:
        where.append(f"({_age_case()}) = %s")
        params.append(str(age_group))
    condition = " AND ".join(where)
    rows = _count(source, relation=source.py, where=condition, params=params, by_gender=age_group is None)
    if age_group is None:
        rows += _count(source, relation=source.pyl, where=condition, params=params, by_line=True)
    return rows


@_measure
def families_reached() -> list[dict]:
    """Distinct families with a member who took part in the year, placed by the family's district."""
    source = _source()
    if source is None:
        return []
    # Each family once per year (and line) first, then a plain count: cheaper than COUNT(DISTINCT).
    keys = "year, family_district, family_id"
    families = f"(SELECT DISTINCT {keys} FROM {source.py} WHERE family_id IS NOT NULL) f"  # noqa: S608
    lined = f"(SELECT DISTINCT {keys}, line FROM {source.pyl} WHERE family_id IS NOT NULL) f"  # noqa: S608
    return _count(source, relation=families, place="family_district", by_gender=False) + _count(
        source, relation=lined, place="family_district", by_gender=False, by_line=True
    )


@_measure
def people_repeating() -> list[dict]:
    """People who took part three times or more in the year (in the line, for a line's figure)."""
    source = _source()
    if source is None:
        return []
    often = f"n >= {int(REPEAT_AT_LEAST)}"
    return _count(source, relation=source.py, where=often) + _count(
        source, relation=source.pyl, where=often, by_line=True
    )
