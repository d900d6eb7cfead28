"""Everything that writes in producers/ goes through these functions."""

from .associations import (
    association_check_manager,
    association_create,
    association_update,
    member_add,
    member_remove,
    member_update,
)
from .plans import (
    ActivityData,
    PlanConflict,
    PlanContent,
    deadline_set,
    plan_approve,
    plan_missing,
    plan_return,
    plan_save_draft,
    plan_start,
    plan_submit,
    plan_version_new,
)
from .production import (
    ImportRefused,
    RowError,
    production_file_read,
    production_import,
    production_record_save,
    production_rows_check,
    production_unusual,
)

__all__ = [
    "ActivityData",
    "ImportRefused",
    "PlanConflict",
    "PlanContent",
    "RowError",
    "association_check_manager",
    "association_create",
    "association_update",
    "deadline_set",
    "member_add",
    "member_remove",
    "member_update",
    "plan_approve",
    "plan_missing",
    "plan_return",
    "plan_save_draft",
    "plan_start",
    "plan_submit",
    "plan_version_new",
    "production_file_read",
    "production_import",
    "production_record_save",
    "production_rows_check",
    "production_unusual",
]
