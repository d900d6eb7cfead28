"""The producers' lists as tables (header, rows) for "Download CSV / XLSX": the same rows as the page,
every page of them, written by kallpanchis.core.exports, in a fixed number of queries."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ProductionRecord

CHUNK = 500


def _label(model, name: str) -> str:
    text = str(model._meta.get_field(name).verbose_name)
    return text[:1].upper() + text[1:]


def association_table(associations) -> tuple[list, object]:
    header = [
        _("No."),
        _("Association"),
        _("RUC"),
        _("Province"),
        _("District"),
        _("Families"),
        _("Members"),
        _("Women"),
        _("Current plan"),
    ]
    rows = (
        [
            a.pk,
            a.organisation.name,
            a.ruc,
            a.district.province.name if a.district else "",
            a.district.name if a.district else "",
            a.families,
            a.member_count,
            a.women_count,
            a.current_plans[0].year if a.current_plans else None,
        ]
        for a in associations.iterator(chunk_size=CHUNK)
    )
    return header, rows


def member_table(members, *, with_dni: bool) -> tuple[list, object]:
    """Names, gender and board role, as the association's page shows them; the DNI only for those who
    manage the association (the page shows it to them alone)."""
    header = [_("Name"), _("Gender"), _("Board role")] + ([_("DNI")] if with_dni else [])
    rows = (
        [m.name, m.get_gender_display(), m.get_board_role_display()] + ([m.dni] if with_dni else [])
        for m in members.iterator(chunk_size=CHUNK)
    )
    return header, rows


def plan_table(plans) -> tuple[list, object]:
    header = [
        _("No."),
        _("Association"),
        _("Year"),
        _("Version"),
        _("Status"),
        _("Late"),
        _("First submitted"),
        _("Total budget (S/)"),
    ]
    rows = (
        [
            p.pk,
            p.association.organisation.name,
            p.year,
            p.version,
            p.get_status_display(),
            _("yes") if p.is_late else _("no"),
            timezone.localtime(p.submitted_at).date() if p.submitted_at else None,
            p.total_budget,
        ]
        for p in plans.iterator(chunk_size=CHUNK)
    )
    return header, rows


PRODUCTION_FIELDS = [
    "cows_milked",
    "milk_produced_l",
    "milk_sold_l",
    "cheese_produced_kg",
    "cheese_sold_kg",
    "guinea_pigs_sold",
    "milk_price",
    "cheese_price",
]


def production_table(records) -> tuple[list, object]:
    header = [
        _("Month"),
        *[_label(ProductionRecord, f) for f in PRODUCTION_FIELDS],
        _label(ProductionRecord, "channel"),
    ]
    rows = (
        [r.month.strftime("%Y-%m"), *[getattr(r, f) for f in PRODUCTION_FIELDS], r.get_channel_display()]
        for r in records.iterator(chunk_size=CHUNK)
    )
    return header, rows
