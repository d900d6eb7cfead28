"""The only writes to the history besides its triggers: anonymising it when a person is erased."""

import json

import pgtrigger
from django.db import connection, models, transaction

# jsonb || {key: null, …}: the keys stay (the page still says "this field changed"), their values go.
_BLANK = (
    "CASE WHEN {c} IS NULL THEN NULL ELSE {c} || (SELECT COALESCE(jsonb_object_agg(k, NULL), '{{}}'::jsonb) "
    "FROM unnest(%s::text[]) k WHERE {c} ? k) END"
)
_BELONGED = (
    'object_id IN (SELECT object_id FROM history_change WHERE "table" = %s '
    "AND (new @> %s::jsonb OR old @> %s::jsonb))"
)


@transaction.atomic
def history_anonymise(
    *, model: type[models.Model], ids, fields: list[str], link: str | None = None, value=None
) -> int:
    """Blank `fields` (model field names) in every recorded version of the rows `ids` of `model`, and,
    when `link` is given (a foreign-key field name), of every row that pointed at `value` through it (rows
    since deleted included: their creation or deletion recorded the link). The erasure of a person calls
    this for the person and for each row linking to them, so their names, DNI and phone leave the history
    too. Returns the number of history rows rewritten."""
    columns = [model._meta.get_field(name).column for name in fields]
    if not columns:
        return 0
    table = model._meta.db_table
    conditions, params = ["object_id = ANY(%s::text[])"], [[str(pk) for pk in ids]]
    if link is not None and value is not None:
        probe = json.dumps({model._meta.get_field(link).column: value})
        conditions.append(_BELONGED)
        params += [table, probe, probe]
    # Only the two fixed column names are formatted in; every value is a parameter.
    sql = (
        f"UPDATE history_change SET old = {_BLANK.format(c='old')}, new = {_BLANK.format(c='new')} "  # noqa: S608  # nosec B608
        f'WHERE "table" = %s AND ({" OR ".join(conditions)}) AND (old ?| %s::text[] OR new ?| %s::text[])'
    )
    with pgtrigger.ignore("history.Change:history_protect"), connection.cursor() as cursor:
        cursor.execute(sql, [columns, columns, table, *params, columns, columns])
        return cursor.rowcount
