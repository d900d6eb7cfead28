from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import BudgetCycle, HistoryEntry


def cycle_check_runs(*, cycle: BudgetCycle, by) -> None:
    """Only the municipality's budget team, technicians and administrators run a cycle."""
    if by is None:  # management commands (seed_demo)
        return
    if not BudgetCycle.objects.editable_by(by).filter(pk=cycle.pk).exists():
        raise PermissionDenied(_("Only the municipality's budget team runs this cycle."))


def history_record(*, cycle, subject: str, obj, label: str, field: str, before, after, by) -> None:
    """Keep who changed which figure, when, from what to what. Unchanged values are not recorded."""
    before_text = "" if before is None else str(before)
    after_text = "" if after is None else str(after)
    if before_text == after_text:
        return
    HistoryEntry.objects.create(
        cycle=cycle,
        subject=subject,
        object_id=getattr(obj, "pk", None),
        label=str(label)[:300],
        field=str(field)[:100],
        before=before_text[:300],
        after=after_text[:300],
        by=by,
    )
