"""Reach, counted once: how many people and families the projects reached, whatever the number of meetings,
trainings and workshops each one attended.

Each domain app says, in its own `indicators.py`, which of its rows are a person's participation in an
activity (`participation("meeting", rows)`); the register (this module, registered as measures by
`kallpanchis/people/indicators.py`) counts distinct people over all of them, by year, by the person's district
and gender, by the activity's thematic line, by kind of activity and by age group. A row without a person (no
consent: a name as written) counts in the activity's own totals (attendance) but never here.

`rows()` of a participation is a queryset of `.values(r_person=…, r_year=…, r_line=…)`: the person's id
(rows without one are left out here), the year of the activity and its thematic line ("" when it has none).
The union of all of them is grouped once per measure by the database (GROUPING SETS on PostgreSQL; plain
GROUP BYs on the SQLite demo). See docs/dashboard.md, "Reach".
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
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


def _reached_cte() -> tuple[str, list]:
    union, params = _union()
    if not union:
        return "", []
    person = Person._meta.db_table
    family = Family._meta.db_table
    # Table names are the models' own; every value is a parameter.
    columns = (
        "parts.r_person AS person_id, parts.r_year AS year, parts.r_line AS line, parts.r_kind AS kind, "
        "p.gender AS gender, p.district_ubigeo AS district, p.birth_year AS birth_year, "
        "p.family_id AS family_id, f.district_ubigeo AS family_district"
    )
    joins = f"FROM parts JOIN {person} p ON p.id = parts.r_person LEFT JOIN {family} f ON f.id = p.family_id"
    cte = f"WITH parts AS ({union}), reached AS (SELECT {columns} {joins}) "  # noqa: S608  # nosec B608
    return cte, params


def _grouped(
    *, cte: str, select_from: str, params: list, value: str, place: str, by_gender: bool
) -> list[dict]:
    """Rows {year, province, district, line, gender, value} of `value` over `select_from` (a FROM clause
    with its WHERE, after the `cte`), by year and place, then by gender, by line, by line and gender
    (GROUPING SETS on PostgreSQL, one query; separate GROUP BYs elsewhere)."""
    sets = [((), False, False), (("line",), True, False)]
    if by_gender:
        sets += [(("gender",), False, True), (("line", "gender"), True, True)]
    out = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            grouping = ", ".join(
                "(" + ", ".join(["year", place, *cols]) + ")" for cols, _line, _gender in sets
            )
            gender_col = "gender, GROUPING(gender)" if by_gender else f"'{ALL}', 1"
            sql = (
                f"{cte} SELECT year, {place}, line, GROUPING(line), {gender_col}, {value} {select_from} "  # nosec B608
                f"GROUP BY GROUPING SETS ({grouping})"
            )
            cursor.execute(sql, params)
            fetched = [(y, d, ln, gl, g, gg, v) for y, d, ln, gl, g, gg, v in cursor.fetchall()]
        else:
            fetched = []
            for cols, has_line, has_gender in sets:
                line = "line" if has_line else f"'{ALL}'"
                gender = "gender" if has_gender else f"'{ALL}'"
                group = ", ".join(["year", place, *cols])
                sql = f"{cte} SELECT year, {place}, {line}, {gender}, {value} {select_from} GROUP BY {group}"  # nosec B608
                cursor.execute(sql, params)
                fetched += [
                    (y, d, ln, 0 if has_line else 1, g, 0 if has_gender else 1, v)
                    for y, d, ln, g, v in cursor.fetchall()
                ]
    for year, district, line, line_all, gender, gender_all, count in fetched:
        line = ALL if line_all else line
        if year is None or not district or line in ("", None) or not count:
            continue  # an activity without a thematic line counts in the total, never in a line
        out.append(
            {
                "year": int(year),
                "province": district[:4],
                "district": district,
                "line": line,
                "gender": ALL if gender_all else gender,
                "value": count,
            }
        )
    return out


def people_reached(*, kind: str | None = None, age_group: str | None = None) -> list[dict]:
    """Distinct people with at least one participation in the year (of this kind, in this age group)."""
    cte, params = _reached_cte()
    if not cte:
        return []
    where, extra = [], []
    if kind:
        where.append("kind = %s")
        extra.append(kind)
    if age_group is not None:
        where.append(f"({_age_case()}) = %s")
        extra.append(str(age_group))
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    return _grouped(
        cte=cte,
        select_from=f"FROM reached {condition}",
        params=[*params, *extra],
        value="COUNT(DISTINCT person_id)",
        place="district",
        by_gender=True,
    )


def families_reached() -> list[dict]:
    """Distinct families with a member who took part in the year, placed by the family's district."""
    cte, params = _reached_cte()
    if not cte:
        return []
    return _grouped(
        cte=cte,
        select_from="FROM reached WHERE family_id IS NOT NULL",
        params=params,
        value="COUNT(DISTINCT family_id)",
        place="family_district",
        by_gender=False,
    )


def people_repeating() -> list[dict]:
    """People who took part three times or more in the year (in the line, for a line's figure)."""
    cte, params = _reached_cte()
    if not cte:
        return []
    # A person's gender and district are one per person: MIN() only carries them through the GROUP BY.
    person = "person_id, year, MIN(gender) AS gender, MIN(district) AS district"
    often = f"HAVING COUNT(*) >= {int(REPEAT_AT_LEAST)}"
    total = f"FROM (SELECT {person}, 'x' AS line FROM reached GROUP BY person_id, year {often}) t"  # noqa: S608
    lined = f"SELECT {person}, line FROM reached WHERE line <> '' GROUP BY person_id, year, line"  # noqa: S608
    by_line = f"FROM ({lined} {often}) t"
    rows = [
        r
        for r in _grouped(
            cte=cte, select_from=total, params=params, value="COUNT(*)", place="district", by_gender=True
        )
        if r["line"] == ALL
    ]
    rows += [
        r
        for r in _grouped(
            cte=cte, select_from=by_line, params=params, value="COUNT(*)", place="district", by_gender=True
        )
        if r["line"] != ALL
    ]
    return rows
