"""The test settings, plus one task module for the worker started by test_task_write_is_system."""

from kallpanchis.settings.test import *  # noqa: F403

CELERY_IMPORTS = ["tests.history.worker_tasks"]
