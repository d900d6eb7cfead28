"""Everything that writes in spaces/. Views, the admin and seed_demo call these, so the rules hold everywhere.

Meeting time changes go only through meeting_schedule, meeting_postpone and meeting_cancel: the reminders
(kallpanchis/notifications) hook there.
"""

from .agreements import agreement_may_follow_up, agreement_status_change  # noqa: F401
from .attendance import (  # noqa: F401
    NotLinkable,
    PeopleToCheck,
    linkable_ids,
    meeting_has_started,
    registration_consent,
)
from .calendars import calendar_token_regenerate, calendar_token_revoke  # noqa: F401
from .common import AgendaItemData, AgreementData, AttendanceRow, NewAttendee  # noqa: F401
from .meetings import (  # noqa: F401
    attendance_remove,
    meeting_agenda_set,
    meeting_cancel,
    meeting_log,
    meeting_postpone,
    meeting_schedule,
)
from .spaces import space_create, space_member_add, space_member_remove, space_update, thematic_group_create  # noqa: F401
