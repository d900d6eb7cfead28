"""Thin views: parse the request, call a selector or a service, answer. Outside the scope is a 404."""

from .agreements import agreement_detail, agreement_evidence, agreement_export, agreement_list  # noqa: F401
from .calendars import (  # noqa: F401
    calendar_feed,
    calendar_regenerate,
    calendar_revoke,
    calendar_settings,
    public_space,
    public_space_calendar,
)
from .meeting_log import meeting_log, meeting_people_check  # noqa: F401
from .meetings import (  # noqa: F401
    attendance_remove,
    meeting_acta,
    meeting_agenda,
    meeting_attendance_sheet,
    meeting_cancel,
    meeting_detail,
    meeting_export,
    meeting_list,
    meeting_postpone,
    meeting_schedule,
    meeting_signed_record,
)
from .spaces import (  # noqa: F401
    space_create,
    space_detail,
    space_edit,
    space_export,
    space_list,
    space_member_add,
    space_member_remove,
    thematic_group_list,
)
