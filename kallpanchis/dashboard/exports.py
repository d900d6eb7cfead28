"""The dashboard's tables as rows for CSV and XLSX (written by kallpanchis.core.exports), with the filters
stated first."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ExpectedResult


def filters_line(filters, names: dict[str, str]) -> str:
    parts = [
        _("Province: %(v)s") % {"v": names.get(filters.province, _("all"))}
        if filters.province
        else _("All provinces"),
    ]
    if filters.district:
        parts.append(_("District: %(v)s") % {"v": names.get(filters.district, filters.district)})
    if filters.line:
        from kallpanchis.core import indicators as registry

        lines = dict(registry.HOOKS["lines"]()) if "lines" in registry.HOOKS else {}
        parts.append(_("Line: %(v)s") % {"v": lines.get(filters.line, filters.line)})
    else:
        parts.append(_("All lines"))
    if filters.year_from or filters.year_to:
        parts.append(
            _("Years %(first)s–%(last)s")
            % {"first": filters.year_from or "…", "last": filters.year_to or "…"}
        )
    else:
        parts.append(_("All years"))
    return " · ".join(str(p) for p in parts)


def _number(value):
    return None if value is None else float(round(value, 4))


def summary_table(data, filters) -> tuple[list[str], list[list]]:
    header = [
        _("Expected result"),
        _("Code"),
        _("Indicator"),
        _("Unit"),
        _("Baseline"),
        _("Baseline year"),
        _("Actual"),
        _("Target"),
        _("Women"),
        _("Men"),
        _("How it is computed"),
    ]
    results = dict(ExpectedResult.choices)
    rows = []
    for f in data["figures"]:
        gender = dict(f.by_gender)
        rows.append(
            [
                str(results[f.indicator.result]),
                f.indicator.code,
                _(f.indicator.name),
                _(f.indicator.unit),
                _number(f.indicator.baseline),
                f.indicator.baseline_year,
                _number(f.actual),
                _number(f.target),
                _number(gender.get("female")),
                _number(gender.get("male")),
                _(f.indicator.computation),
            ]
        )
    return header, rows


def reported_rows(reported: list[dict]) -> list[list]:
    """The reported indicators (kallpanchis.core.indicators.reported) as rows of the summary table, the last
    column saying where they come from."""
    return [
        [
            r["result"],
            r["code"],
            r["name"],
            r["unit"],
            _number(r["indicator"].baseline),
            r["indicator"].baseline_year,
            _number(r["actual"]),
            _number(r["target"]),
            None,
            None,
            str(r["source"]),
        ]
        for r in reported
    ]


def reported_detail_table(detail: dict) -> tuple[list[str], list[list]]:
    """A reported indicator's approved values (kallpanchis.core.indicators.reported_detail), one row per
    period and municipality, with who reported and approved each: the drill-down's table."""
    header = [
        _("Period"),
        _("Municipality"),
        detail["name"],
        _("Target"),
        _("Version"),
        _("Reported by"),
        _("Approved by"),
        _("Approved on"),
        _("Where it comes from"),
    ]
    return header, [
        [
            str(r["period"]),
            r["municipality"],
            r["level"] or _number(r["value"]),
            _number(r["target"]),
            r["version"],
            str(r["submitted_by"] or ""),
            str(r["approved_by"] or ""),
            timezone.localtime(r["approved_at"]).date().isoformat() if r["approved_at"] else None,
            str(detail["source"]),
        ]
        for r in detail["rows"]
    ]


def year_place_table(indicator, rows, names) -> tuple[list[str], list[list]]:
    header = [_("Year"), _("Province"), _("District"), _("Numerator"), _("Denominator"), _(indicator.name)]
    return header, [
        [
            r["year"],
            names.get(r["province"], r["province"]),
            names.get(r["district"], r["district"]),
            _number(r["numerator"]),
            _number(r["denominator"]),
            _number(r["value"]),
        ]
        for r in rows
    ]


def district_table(indicator, places, names) -> tuple[list[str], list[list]]:
    header = [_("UBIGEO"), _("District"), _(indicator.name)]
    return header, [
        [ubigeo, names.get(ubigeo, ubigeo), _number(value)]
        for ubigeo, value in sorted(places["districts"].items())
    ]
