from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ReminderPreferencesForm(forms.Form):
    """One 'receive' and one 'daily digest' box per kind, built from the registry."""

    language = forms.ChoiceField(label=_("Language of my reminders"), choices=settings.LANGUAGES)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = list(kinds)
        for kind in self.kinds:
            self.fields[f"enabled_{kind.name}"] = forms.BooleanField(
                label=_("Receive: %(kind)s") % {"kind": kind.label}, required=False, help_text=kind.help_text
            )
            if kind.digestible:
                self.fields[f"digest_{kind.name}"] = forms.BooleanField(
                    label=_("Only in my daily digest"), required=False
                )

    def rows(self):
        for kind in self.kinds:
            yield (
                kind,
                self[f"enabled_{kind.name}"],
                (self[f"digest_{kind.name}"] if kind.digestible else None),
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            kind.name: (data[f"enabled_{kind.name}"], bool(data.get(f"digest_{kind.name}")))
            for kind in self.kinds
        }
