"""Changes written by a Celery task are "system" changes: the task's name and id go in the history context
(django-pghistory's, the one the request middleware fills with the user and the path)."""

import pghistory
from celery.signals import task_postrun, task_prerun
from django.db import connection

_open: dict[str, pghistory.context] = {}


def _enter(task_id=None, task=None, **kwargs):
    if connection.vendor != "postgresql":  # the SQLite demo records no history (middleware.py)
        return
    context = pghistory.context(task=getattr(task, "name", ""), task_id=task_id or "")
    context.__enter__()
    _open[task_id] = context


def _exit(task_id=None, **kwargs):
    context = _open.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


def connect() -> None:
    task_prerun.connect(_enter, weak=False, dispatch_uid="history_task_prerun")
    task_postrun.connect(_exit, weak=False, dispatch_uid="history_task_postrun")
