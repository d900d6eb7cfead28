"""Every row of every app that points at a person, found by walking Person's relations.

Merge, erasure and the access export all need "everything linked to this person" without knowing the
domain apps: a foreign key, a one-to-one or a many-to-many to Person added later by any app is found here
as soon as its model exists. (A GenericForeignKey is not a relation Django can walk; do not use one for
people.)
"""

from dataclasses import dataclass

from django.db import models

from .models import Person


@dataclass(frozen=True)
class Link:
    """One way a model points at Person: `model.field` (a FK or one-to-one), or a row of an automatic
    many-to-many table (`model` is then the through model and `field` its column towards Person)."""

    model: type[models.Model]
    field: str
    unique: bool = False  # a one-to-one: the kept person may hold only one
    through_of: type[models.Model] | None = None  # for a many-to-many: the model that declares it
    m2m_name: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows(self, person) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.field: person})

    @property
    def owner(self) -> type[models.Model]:
        """The model whose rows hold data about the person (the declaring model for a many-to-many)."""
        return self.through_of or self.model


def person_links() -> list[Link]:
    """Every relation towards Person, in a stable order."""
    found = []
    for rel in Person._meta.related_objects:
        if rel.many_to_many:
            field = rel.field  # the ManyToManyField, declared on rel.related_model
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # an explicit through model points at Person with its own foreign key, walked below
            found.append(
                Link(
                    model=through,
                    field=field.m2m_reverse_field_name(),
                    through_of=rel.related_model,
                    m2m_name=field.name,
                )
            )
        else:
            found.append(Link(model=rel.related_model, field=rel.field.name, unique=rel.one_to_one))
    for field in Person._meta.many_to_many:  # a many-to-many declared on Person itself
        through = field.remote_field.through
        if through._meta.auto_created:
            found.append(
                Link(model=through, field=field.m2m_field_name(), through_of=Person, m2m_name=field.name)
            )
    return sorted(found, key=lambda link: (link.label, link.field))


def personal_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields a model declares as personal data (`PERSONAL_DATA_FIELDS`), blanked by an erasure."""
    return tuple(getattr(model, "PERSONAL_DATA_FIELDS", ()))


def blank_value(field: models.Field):
    """What an erased personal field becomes: empty text, NULL, or the field's default."""
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    if field.has_default():
        return field.get_default()
    raise TypeError(f"{field.model._meta.label}.{field.name} cannot be blanked: make it null=True or text")
