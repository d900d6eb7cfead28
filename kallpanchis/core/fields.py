"""A short list of choice values (an association's productive lines, an indicator's disaggregations) stored as
a JSON array: jsonb on PostgreSQL, JSON text on SQLite, so the demo also runs without a PostgreSQL server
(ArrayField exists only on PostgreSQL).

`field__has="milk"` selects the rows whose list holds that value: jsonb containment (@>) on PostgreSQL, the
same test the ArrayField made and one a GIN index can serve; json_each on SQLite, which has no containment.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Lookup


class ChoiceListField(models.JSONField):
    def __init__(self, *args, item_choices=(), **kwargs):
        # Not `choices`: Django would check the whole list against them.
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {str(code) for code, _label in self.item_choices}
        for item in value if isinstance(value, list) else [value]:
            if item not in allowed:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )

    def formfield(self, **kwargs):
        # Ticked boxes, not a JSON text area (the admin).
        defaults = {
            "form_class": forms.MultipleChoiceField,
            "choices": self.item_choices,
            "widget": forms.CheckboxSelectMultiple,
        }
        return models.Field.formfield(self, **{**defaults, **kwargs})


@ChoiceListField.register_lookup
class Has(Lookup):
    lookup_name = "has"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # `lhs` is the column as Django compiled it; the value is a bound parameter.
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"  # noqa: S608  # nosec B608
        return sql, [*lhs_params, str(self.rhs)]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps([str(self.rhs)])]
