"""Everything that writes in the municipalities app. Each service checks who may do it and says the
rule in its docstring."""

from .agreements import agreement_create, agreement_update
from .associations import (
    association_action_add,
    association_action_remove,
    association_create,
    association_update,
)
from .events import event_create, event_participation_remove, event_participation_set, event_update
from .network import (
    technician_create,
    technician_update,
    training_attendance_add,
    training_attendance_remove,
    training_create,
    training_update,
)
from .profile import municipality_profile_update
from .territory import DATA_DIR, LoadCounts, municipality_ensure, territory_load

__all__ = [
    "DATA_DIR",
    "LoadCounts",
    "agreement_create",
    "agreement_update",
    "association_action_add",
    "association_action_remove",
    "association_create",
    "association_update",
    "event_create",
    "event_participation_remove",
    "event_participation_set",
    "event_update",
    "municipality_ensure",
    "municipality_profile_update",
    "technician_create",
    "technician_update",
    "territory_load",
    "training_attendance_add",
    "training_attendance_remove",
    "training_create",
    "training_update",
]
