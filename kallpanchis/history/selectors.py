"""What the history page reads: the changes of one object and of the rows that belong to it (a meeting's
attendance, agenda and agreements), scoped to the person asking."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Change
from .triggers import is_tracked, tracked_models

# Text kept in every version and shown whole on the page (the minutes of a held meeting are a legal record).
VERSIONED_FIELDS = {"spaces.Meeting": ("minutes",)}
HIDDEN_COLUMNS = {"updated_at"}


def object_for_history(*, user, app_label: str, model_name: str, pk: int):
    """The object whose history `user` asks for, through its model's `visible_to` (the scope of its own
    page): a 404 for a model that is not tracked or has no scoped reading, and for an object out of scope."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    visible_to = getattr(model.objects, "visible_to", None)
    if not is_tracked(model) or visible_to is None:
        raise Http404
    obj = visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _children(model) -> list[tuple[type, str]]:
    """(tracked model, column) for each foreign key from a tracked model to `model`."""
    found = []
    for candidate in tracked_models():
        for f in candidate._meta.concrete_fields:
            if f.is_relation and f.many_to_one and f.related_model is model:
                found.append((candidate, f.column))
    return found


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class Entry:
    change: Change
    model_label: str
    actor: str
    origin: str
    fields: list[FieldChange] = field(default_factory=list)


def _display(model_field, value):
    if value is None or value == "":
        return "—"
    if model_field is not None and model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if model_field is not None and model_field.is_relation:
        return f"#{value}"
    return value


def actor_and_origin(change: Change, users: dict) -> tuple[str, str]:
    metadata = change.context.metadata if change.context_id and change.context else {}
    if metadata.get("user"):
        user = users.get(metadata["user"])
        return (str(user) if user else _("user #%(id)s") % {"id": metadata["user"]}), metadata.get("url", "")
    if metadata.get("task"):
        return _("system"), _("task %(name)s (%(id)s)") % {
            "name": metadata["task"],
            "id": metadata.get("task_id", ""),
        }
    return _("system"), metadata.get("url", "") or _("outside the application (database, migration)")


def history_for_object(*, obj, limit: int = 500) -> dict:
    """The latest `limit` changes of `obj` and of the rows pointing at it, newest first, each field as
    old → new with its label; and every version of its versioned text fields. A constant number of
    queries, whatever the number of changes."""
    model = type(obj)
    table = model._meta.db_table
    children = _children(model)
    # Rows that belong (or belonged) to the object: their creation or deletion recorded the link.
    belongs = Q()
    for child, column in children:
        probe = {column: obj.pk}
        belongs |= Q(table=child._meta.db_table) & (Q(new__contains=probe) | Q(old__contains=probe))
    keys = set()
    if children:
        keys = set(
            Change.objects.filter(belongs, operation__in=["insert", "delete"]).values_list(
                "table", "object_id"
            )
        )
    wanted = Q(table=table, object_id=str(obj.pk))
    by_table: dict[str, list[str]] = {}
    for t, object_id in keys:
        by_table.setdefault(t, []).append(object_id)
    for t, ids in by_table.items():
        wanted |= Q(table=t, object_id__in=ids)
    changes = list(Change.objects.filter(wanted).select_related("context").order_by("-id")[:limit])

    user_ids = {c.context.metadata.get("user") for c in changes if c.context_id and c.context}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[i for i in user_ids if i])}
    models_by_table = {m._meta.db_table: m for m in [model] + [c for c, _col in children]}

    entries = []
    for change in changes:
        m = models_by_table.get(change.table, model)
        by_column = {f.column: f for f in m._meta.concrete_fields}
        actor, origin = actor_and_origin(change, users)
        entry = Entry(change=change, model_label=str(m._meta.verbose_name), actor=actor, origin=origin)
        columns = sorted(
            set(change.old or {}) | set(change.new or {}),
            key=lambda c: list(by_column).index(c) if c in by_column else 999,
        )
        for column in columns:
            if column in HIDDEN_COLUMNS:
                continue
            f = by_column.get(column)
            entry.fields.append(
                FieldChange(
                    label=str(f.verbose_name) if f is not None else column,
                    old=_display(f, (change.old or {}).get(column)),
                    new=_display(f, (change.new or {}).get(column)),
                )
            )
        entries.append(entry)

    versions = []
    for name in VERSIONED_FIELDS.get(model._meta.label, ()):
        column = model._meta.get_field(name).column
        for entry in entries:
            change = entry.change
            if (
                change.table == table
                and column in (change.new or {})
                and (change.new[column] or change.operation == "update")
            ):
                versions.append(
                    {
                        "field": str(model._meta.get_field(name).verbose_name),
                        "text": change.new[column] or "",
                        "entry": entry,
                    }
                )
    return {"entries": entries, "versions": versions, "limit": limit, "truncated": len(changes) == limit}
