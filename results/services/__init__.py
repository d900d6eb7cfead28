"""Everything that writes in results/: the framework coordinators define (results, indicators, periods,
targets, reporters) and the reported values with their review. Keyword-only; each states its rule."""

from .framework import *  # noqa: F403
from .reminders import *  # noqa: F403
from .reports import *  # noqa: F403
