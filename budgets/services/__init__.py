"""Everything that writes in budgets/: cycles and calendar, agents and committees, accreditation lists and
challenges, proposals and prioritisation, projects (territorial scope, Invierte.pe, replacement),
execution follow-up, Procompite business plans. Each service is keyword-only and states the rule it
enforces."""

from .accreditation import *  # noqa: F403
from .cycles import *  # noqa: F403
from .execution import *  # noqa: F403
from .people import *  # noqa: F403
from .prioritisation import *  # noqa: F403
from .procompite import *  # noqa: F403
from .projects import *  # noqa: F403
