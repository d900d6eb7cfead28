"""Rows read by their ids with the query compiled once per shape, not once per read.

A list whose row changed reads that row again to render it (fragments.Rows): the same model, the same related
objects and the same deferred fields every time, only the ids differ. Building and compiling that query cost
Django about twice as long as PostgreSQL took to answer it (0.6 of 1.1 ms of CPU for one meeting at 10×).
Here each shape (model, related objects, deferred fields, how many ids) is compiled once per process; a read
runs its SQL with the ids and builds the rows as a queryset would (`ModelIterable`: the same converters and
related objects). The ids are padded to a power of two (the last id again), so a model has a dozen shapes
however long its lists are: the process keeps few of them and PostgreSQL prepares each one.
"""

import threading
from typing import NamedTuple

from django.db.models.query import get_related_populators

from .prepared import prepared_cursor

_PROBE = -1  # the first of the ids a shape is compiled with (-1, -2, …): no row has them


class _Shape(NamedTuple):
    sql: str
    model: type
    init_list: list[str]
    start: int
    end: int
    populators: list
    converters: dict
    compiler: object  # applies `converters` to the rows


_shapes: dict[tuple, _Shape | None] = {}
_lock = threading.Lock()


def _plain(query) -> bool:
    """Whether the query is a model's rows and nothing more: its shape then says all its SQL says."""
    return not (
        query.where.children
        or query.order_by
        or query.annotations
        or query.extra
        or query.distinct
        or query.combinator
        or query.select_for_update
        or query.low_mark
        or query.high_mark is not None
    )


def _compiled(queryset, count: int) -> _Shape | None:
    """The shape of `queryset` (`_plain`) filtered by `count` ids; None when its SQL takes parameters other
    than the ids."""
    query = queryset.query
    key = (queryset.model, queryset.db, repr(query.select_related), repr(query.deferred_loading), count)
    if key in _shapes:
        return _shapes[key]
    probe = [_PROBE - n for n in range(count)]
    compiler = queryset.filter(pk__in=probe).query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    shape = None
    if tuple(params) == tuple(probe) and not query.annotations and not compiler.annotation_col_map:
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        shape = _Shape(
            sql=sql,
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start,
            end=end,
            populators=get_related_populators(klass_info, select, queryset.db),
            converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
            compiler=compiler,
        )
    with _lock:
        _shapes[key] = shape
    return shape


def _padded(pks: list) -> list:
    """The ids and the last one again up to the next power of two (an id twice in IN is one row)."""
    return pks + pks[-1:] * ((1 << (len(pks) - 1).bit_length()) - len(pks))


def read_by_id(queryset, pks: list) -> dict:
    """{pk: row} of the rows of `queryset` with these ids, as the queryset would build them."""
    pks = list(dict.fromkeys(pks))
    if not pks:
        return {}
    padded = _padded(pks)
    shape = _compiled(queryset, len(padded)) if _plain(queryset.query) else None
    if shape is None:  # a filter, an order or an annotation of its own: through the ORM
        return {row.pk: row for row in queryset.filter(pk__in=pks)}
    db = queryset.db
    with prepared_cursor(db) as cursor:
        cursor.execute(shape.sql, padded)
        rows = cursor.fetchall()
    if shape.converters:
        rows = shape.compiler.apply_converters(rows, shape.converters)
    found = {}
    for row in rows:
        obj = shape.model.from_db(db, shape.init_list, row[shape.start : shape.end])
        for populator in shape.populators:
            populator.populate(row, obj)
        found[obj.pk] = obj
    return found
