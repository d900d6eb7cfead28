from django.core.exceptions import PermissionDenied
from django.db import models


def refuse_unless(allowed: bool) -> None:
    """Services check the rule themselves too, so the admin, a command or a test cannot go around it."""
    if not allowed:
        raise PermissionDenied


def save_checked(instance: models.Model, fields: dict, m2m: dict | None = None) -> models.Model:
    """Set fields, validate the whole row (constraints and validators), save, then set relations."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    if instance.pk and fields:
        instance.save(update_fields=[*fields, *(["updated_at"] if hasattr(instance, "updated_at") else [])])
    else:
        instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance
