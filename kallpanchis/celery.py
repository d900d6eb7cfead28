"""The Celery app. Tasks inherit Celery's DjangoTask, whose `delay_on_commit` enqueues only once the
surrounding transaction has committed, so a worker never looks for a row that is not there yet."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kallpanchis.settings.dev")

app = Celery("kallpanchis", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
