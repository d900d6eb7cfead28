"""Cursors whose statements PostgreSQL prepares, for the few queries a list runs on every request after a
write: the data versions, the versions of a page's rows by id, the rows read by id. Each has one text (per
model and count of ids), which PostgreSQL planned afresh every time through Django's client-side binding:
0.1-0.3 ms of its CPU for a row read with its three related rows. psycopg prepares a statement once it has
run five times on a connection (`prepare_threshold`)."""

from django.db import connections


def prepared_cursor(using: str = "default"):
    """A Django cursor (its query log and `execute_wrapper` hooks as usual) that binds its parameters on the
    server, so that psycopg prepares what it runs often; Django's plain cursor on another database."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = connection.connection
    plain = raw.cursor_factory
    raw.cursor_factory = ServerBindingCursor  # what Django's `server_side_binding` option sets for all
    try:
        return connection.cursor()
    finally:
        raw.cursor_factory = plain
