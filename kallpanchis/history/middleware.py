"""django-pghistory's request context (the user and the path of a POST), on PostgreSQL only: the history is
written by PostgreSQL triggers, and pghistory's way of passing the context (a statement put before each
query) does not run on the SQLite demo, which records no history."""

import pghistory.middleware
from django.db import connection


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
