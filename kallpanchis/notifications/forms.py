from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ReminderPreferencesForm(forms.Form):
    """One 'receive' and one 'daily digest' box per kind, built from the registry."""

    language = forms.ChoiceField(label=_("Language of my reminders"), choices=settings.LANGUAGES)
    channels = forms.ChoiceField(
        label=_("Receive my reminders by"),
        choices=[("email", _("E-mail")), ("sms", _("SMS")), ("both", _("E-mail and SMS"))],
        initial="email",
        required=False,  # a form without it (an older page) keeps the choice made before
        help_text=_(
            "SMS needs your phone and your SMS consent in the people register; without them, e-mail."
        ),
    )

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


class SmsTemplateForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the SMS"), widget=forms.Textarea(attrs={"rows": 4}), max_length=1000
    )

    def clean_text(self):
        from .sms.texts import template_check

        text = " ".join(self.cleaned_data["text"].split())
        self.length = template_check(text)
        return text


class SmsBudgetForm(forms.Form):
    month_messages = forms.IntegerField(label=_("Messages per month (0: no limit)"), min_value=0)
    month_soles = forms.DecimalField(
        label=_("Soles per month (0: no limit)"), min_value=0, max_digits=10, decimal_places=2
    )
