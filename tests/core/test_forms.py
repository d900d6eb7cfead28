"""errors_to_form: how every view shows a service's refusal on its form."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from kallpanchis.core.forms import errors_to_form


class NameForm(forms.Form):
    name = forms.CharField()


def bound_form():
    form = NameForm({"name": "Rosa"})
    assert form.is_valid()
    return form


def test_a_field_the_form_shows_gets_its_error_next_to_it():
    form = bound_form()
    errors_to_form(form, ValidationError({"name": ["Already registered."]}))
    assert form.errors == {"name": ["Already registered."]}


def test_a_field_the_form_does_not_show_goes_above_the_form():
    form = bound_form()
    errors_to_form(form, ValidationError({"dni": ["Eight digits."], "name": ["Too short."]}))
    assert form.errors == {"__all__": ["Eight digits."], "name": ["Too short."]}


def test_a_refusal_of_the_whole_record_goes_above_the_form_with_its_code():
    form = bound_form()
    errors_to_form(form, ValidationError("The plan is already submitted.", code="submitted"))
    assert form.non_field_errors() == ["The plan is already submitted."]
    assert form.has_error("__all__", code="submitted")


def test_a_refusal_of_the_person_goes_above_the_form():
    form = bound_form()
    errors_to_form(form, PermissionDenied("Only the association's leaders edit it."))
    assert form.non_field_errors() == ["Only the association's leaders edit it."]
