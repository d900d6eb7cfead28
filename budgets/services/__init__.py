"""Everything that writes in budgets/: cycles and calendar, agents and committees, proposals and
prioritisation, execution follow-up. Each service is keyword-only and states the rule it enforces."""

from .cycles import *  # noqa: F403
from .execution import *  # noqa: F403
from .people import *  # noqa: F403
from .prioritisation import *  # noqa: F403
