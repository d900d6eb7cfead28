"""Monthly production and sales: one record per association and month, checked on the way in, and bulk
import from CSV or XLSX that is all-or-nothing."""

import calendar
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kallpanchis.accounts.models import User

from ..models import ProducerAssociation, ProductionRecord, SalesChannel
from .associations import association_check_manager

NUMBER_FIELDS = (
    "cows_milked",
    "milk_produced_l",
    "milk_sold_l",
    "cheese_produced_kg",
    "cheese_sold_kg",
    "guinea_pigs_sold",
    "milk_price",
    "cheese_price",
)
INTEGER_FIELDS = ("cows_milked", "guinea_pigs_sold")
OPTIONAL_FIELDS = ("cows_milked", "milk_price", "cheese_price")

# Column names in a file (Spanish first: the people who fill them in speak it), with English aliases.
COLUMNS = {
    "mes": "month",
    "vacas_ordenadas": "cows_milked",
    "leche_producida_l": "milk_produced_l",
    "leche_vendida_l": "milk_sold_l",
    "queso_producido_kg": "cheese_produced_kg",
    "queso_vendido_kg": "cheese_sold_kg",
    "cuyes_vendidos": "guinea_pigs_sold",
    "precio_leche": "milk_price",
    "precio_queso": "cheese_price",
    "canal": "channel",
    "confirmo": "confirm",
}
TEMPLATE_HEADER = list(COLUMNS)
CHANNEL_WORDS = {
    "venta directa": SalesChannel.DIRECT,
    "circuito corto": SalesChannel.DIRECT,
    "feria": SalesChannel.FAIR,
    "intermediario": SalesChannel.MIDDLEMAN,
    "planta lechera": SalesChannel.DAIRY_PLANT,
    "planta": SalesChannel.DAIRY_PLANT,
    **{c: c for c in SalesChannel.values},
}
MAX_ROWS = 2000
YES = {"si", "sí", "yes", "oui", "1", "x", "true", "confirmo"}

# Plausible ranges for Andean smallholders; outside them a value must be confirmed.
MAX_LITRES_PER_COW_DAY = Decimal(25)
MAX_LITRES_PER_FAMILY_DAY = Decimal(40)
MIN_LITRES_PER_KG_CHEESE = Decimal(5)
MILK_PRICE_RANGE = (Decimal("0.50"), Decimal("3.00"))
CHEESE_PRICE_RANGE = (Decimal("5"), Decimal("40"))
MAX_GUINEA_PIGS_PER_FAMILY = 30


@dataclass
class RowError:
    row: int  # the row's number in the file, header = 1
    reasons: list[str]


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} rows refused")
        self.errors = errors


def production_unusual(*, association: ProducerAssociation, month: date, values: dict) -> list[str]:
    """Values far outside what Andean smallholders produce: not refused, but asked to be confirmed."""
    days = calendar.monthrange(month.year, month.month)[1]
    milk = values.get("milk_produced_l") or Decimal(0)
    reasons = []
    if (values.get("milk_sold_l") or 0) > milk:
        reasons.append(_("More milk sold than produced."))
    if (values.get("cheese_sold_kg") or 0) > (values.get("cheese_produced_kg") or 0):
        reasons.append(_("More cheese sold than produced."))
    cows = values.get("cows_milked")
    if cows and milk / (cows * days) > MAX_LITRES_PER_COW_DAY:
        reasons.append(_("More than %(n)s litres per cow per day.") % {"n": MAX_LITRES_PER_COW_DAY})
    if milk > association.families * MAX_LITRES_PER_FAMILY_DAY * days:
        reasons.append(_("More than %(n)s litres per family per day.") % {"n": MAX_LITRES_PER_FAMILY_DAY})
    cheese = values.get("cheese_produced_kg") or 0
    if cheese and milk and milk / cheese < MIN_LITRES_PER_KG_CHEESE:
        reasons.append(
            _("Less than %(n)s litres of milk per kg of cheese.") % {"n": MIN_LITRES_PER_KG_CHEESE}
        )
    for key, (low, high), label in (
        ("milk_price", MILK_PRICE_RANGE, _("Milk price")),
        ("cheese_price", CHEESE_PRICE_RANGE, _("Cheese price")),
    ):
        price = values.get(key)
        if price is not None and not low <= price <= high:
            reasons.append(
                _("%(label)s outside S/ %(low)s – %(high)s.") % {"label": label, "low": low, "high": high}
            )
    if (values.get("guinea_pigs_sold") or 0) > association.families * MAX_GUINEA_PIGS_PER_FAMILY:
        reasons.append(_("Very many guinea pigs for the number of families."))
    return reasons


def _hard_errors(values: dict) -> list[str]:
    errors = []
    for key in NUMBER_FIELDS:
        value = values.get(key)
        if value is not None and value < 0:
            errors.append(_("%(field)s cannot be negative.") % {"field": _field_label(key)})
    if values.get("channel") not in SalesChannel.values:
        errors.append(_("Choose the sales channel."))
    return errors


def _field_label(key: str) -> str:
    return capfirst(str(ProductionRecord._meta.get_field(key).verbose_name))


@transaction.atomic
def production_record_save(
    *,
    by: User | None,
    association: ProducerAssociation,
    month: date,
    values: dict,
    confirmed: bool = False,
) -> ProductionRecord:
    """Record (or correct) one month. Negative values are refused; unusual ones need `confirmed`."""
    association_check_manager(by=by, association=association)
    month = month.replace(day=1)
    errors = _hard_errors(values)
    if errors:
        raise ValidationError(errors)
    unusual = production_unusual(association=association, month=month, values=values)
    if unusual and not confirmed:
        raise ValidationError([ValidationError(reason, code="unusual") for reason in unusual])
    record, _created = ProductionRecord.objects.update_or_create(
        association=association,
        month=month,
        defaults={**values, "confirmed_unusual": bool(unusual), "recorded_by": by},
    )
    return record


# --- bulk import --------------------------------------------------------------------------------------


def production_file_read(upload) -> list[dict[str, object]]:
    """Rows of a CSV or XLSX file as {column: raw value}, columns named as in COLUMNS (or English)."""
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(_("This Excel file cannot be read.")) from error
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        dialect = csv.excel
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            pass
        rows = list(csv.reader(io.StringIO(text), dialect))
    else:
        raise ValidationError(_("Send a CSV or XLSX file."))
    if not rows:
        raise ValidationError(_("The file is empty."))
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(_("At most %(n)s rows per file: split it in two.") % {"n": MAX_ROWS})
    english = set(COLUMNS.values())
    header = []
    for cell in rows[0]:
        key = str(cell or "").strip().lower().replace(" ", "_")
        header.append(COLUMNS.get(key, key if key in english else None))
    if "month" not in header:
        raise ValidationError(
            _("The first row must name the columns: %(cols)s.") % {"cols": ", ".join(COLUMNS)}
        )
    result = []
    for cells in rows[1:]:
        if all(c in (None, "") for c in cells):
            result.append(None)  # keeps row numbers true; skipped later
            continue
        result.append({key: _cell_text(value) for key, value in zip(header, cells, strict=False) if key})
    return result


def _cell_text(value) -> str:
    """Cells as text, so that rows can wait in the session between preview and import."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _month(value) -> date:
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip()
    for fmt in ("%Y-%m", "%Y-%m-%d", "%m/%Y", "%d/%m/%Y", "%Y/%m"):
        try:
            return datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    raise ValueError(text)


def _number(value, key: str):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = value.strip().replace(" ", "")
        text = text.replace(",", "") if "." in text else text.replace(",", ".")
        number = Decimal(text)
    if key in INTEGER_FIELDS:
        if number != number.to_integral_value():
            raise InvalidOperation
        return int(number)
    return number


def production_rows_check(
    *, association: ProducerAssociation, rows: list[dict | None]
) -> tuple[list[dict], list[RowError]]:
    """Check every row; returns (clean rows, errors). Reasons are in the active language."""
    existing = set(ProductionRecord.objects.filter(association=association).values_list("month", flat=True))
    seen: dict[date, int] = {}
    clean, errors = [], []
    for index, raw in enumerate(rows, start=2):
        if raw is None:
            continue
        reasons = []
        values: dict = {}
        month = None
        try:
            month = _month(raw.get("month"))
        except ValueError:
            reasons.append(
                _("Month “%(v)s” not understood: write it as 2009-01.") % {"v": raw.get("month") or ""}
            )
        for key in NUMBER_FIELDS:
            try:
                number = _number(raw.get(key), key)
            except (InvalidOperation, ValueError):
                reasons.append(
                    _("%(field)s: “%(v)s” is not a number.") % {"field": _field_label(key), "v": raw.get(key)}
                )
                continue
            if number is None and key not in OPTIONAL_FIELDS:
                number = 0 if key in INTEGER_FIELDS else Decimal(0)
            values[key] = number
        channel_text = str(raw.get("channel") or "").strip().lower()
        values["channel"] = CHANNEL_WORDS.get(channel_text, "")
        if not reasons:
            reasons.extend(_hard_errors(values))
        if month is not None:
            if month in existing:
                reasons.append(_("%(m)s is already recorded.") % {"m": month.strftime("%m/%Y")})
            elif month in seen:
                reasons.append(
                    _("%(m)s appears twice (also row %(row)s).")
                    % {"m": month.strftime("%m/%Y"), "row": seen[month]}
                )
            seen.setdefault(month, index)
        confirmed = str(raw.get("confirm") or "").strip().lower() in YES
        if not reasons and month is not None:
            unusual = production_unusual(association=association, month=month, values=values)
            if unusual and not confirmed:
                reasons.extend(unusual)
                reasons.append(_("If the values are right, write “sí” in the column “confirmo”."))
            values["confirmed_unusual"] = bool(unusual)
        if reasons:
            errors.append(RowError(row=index, reasons=reasons))
        else:
            clean.append({"month": month, **values})
    return clean, errors


@transaction.atomic
def production_import(
    *, by: User | None, association: ProducerAssociation, rows: list[dict | None]
) -> list[ProductionRecord]:
    """Import all rows or none: any row with an error refuses the whole file (ImportRefused)."""
    association_check_manager(by=by, association=association)
    # Lock the association so two imports of the same months cannot both pass the check.
    ProducerAssociation.objects.select_for_update().filter(pk=association.pk).first()
    clean, errors = production_rows_check(association=association, rows=rows)
    if errors:
        raise ImportRefused(errors)
    if not clean:
        raise ImportRefused([RowError(row=1, reasons=[_("The file has no rows to import.")])])
    return ProductionRecord.objects.bulk_create(
        [ProductionRecord(association=association, recorded_by=by, **row) for row in clean]
    )
