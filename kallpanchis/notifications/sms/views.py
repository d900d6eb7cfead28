"""The SMS pages: texts (coordinators), the replies inbox (technicians), the figures and budget per area
(municipality), and the gateways' callbacks (no sign-in: signed by the gateway)."""

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from kallpanchis.accounts.access import access_for

from .. import conf
from ..forms import SmsBudgetForm, SmsTemplateForm
from ..registry import all_kinds, get_kind
from . import hooks
from .gsm import MAX_SEGMENTS, measure
from .limits import month_start, usage
from .models import SmsBudget, SmsTemplate
from .selectors import area_list, areas_for, inbox_for, may_read_inbox
from .services import inbound_handled, sms_budget_save, sms_template_reset, sms_template_save
from .texts import LANGUAGES, SAMPLE, default_text, render_values, template_text

logger = logging.getLogger(__name__)
LANGUAGE_NAMES = {"es": "Español", "qu": "Runasimi"}


def _coordinator(request) -> None:
    if not access_for(request.user).is_coordinator:
        raise Http404


def _sms_kinds():
    return [kind for kind in all_kinds() if kind.sms_people is not None]


class SmsTemplateListView(LoginRequiredMixin, View):
    def get(self, request):
        _coordinator(request)
        stored = set(SmsTemplate.objects.values_list("kind", "language"))
        rows = []
        for kind in _sms_kinds():
            for language in LANGUAGES:
                text = template_text(kind.name, language)
                rows.append(
                    {
                        "kind": kind,
                        "language": language,
                        "language_name": LANGUAGE_NAMES[language],
                        "text": text,
                        "length": measure(render_values(text, SAMPLE)),
                        "edited": (kind.name, language) in stored,
                    }
                )
        return render(request, "notifications/sms/template_list.html", {"rows": rows})


class SmsTemplateEditView(LoginRequiredMixin, View):
    """GET shows the text and its length; POST 'check' measures a new text, 'save' stores it (refused
    beyond two SMS), 'reset' goes back to the file's default."""

    template_name = "notifications/sms/template_form.html"

    def _kind(self, kind, language):
        if language not in LANGUAGES:
            raise Http404
        try:
            definition = get_kind(kind)
        except LookupError:
            raise Http404 from None
        if definition.sms_people is None:
            raise Http404
        return definition

    def _page(self, request, definition, language, form, length, status=200):
        return render(
            request,
            self.template_name,
            {
                "kind": definition,
                "language": language,
                "language_name": LANGUAGE_NAMES[language],
                "form": form,
                "length": length,
                "sample": render_values(form["text"].value() or "", SAMPLE) if length else "",
                "max_segments": MAX_SEGMENTS,
                "default": default_text(definition.name, language),
            },
            status=status,
        )

    def get(self, request, kind, language):
        _coordinator(request)
        definition = self._kind(kind, language)
        text = template_text(kind, language)
        form = SmsTemplateForm(initial={"text": text})
        return self._page(request, definition, language, form, measure(render_values(text, SAMPLE)))

    def post(self, request, kind, language):
        _coordinator(request)
        definition = self._kind(kind, language)
        if "reset" in request.POST:
            sms_template_reset(by=request.user, kind=kind, language=language)
            messages.success(request, _("The text is back to its default."))
            return redirect("notifications:sms_template_edit", kind=kind, language=language)
        form = SmsTemplateForm(request.POST)
        if not form.is_valid():
            length = None
            try:
                length = measure(render_values(request.POST.get("text", ""), SAMPLE))
            except (KeyError, ValueError, IndexError):
                pass
            return self._page(request, definition, language, form, length, status=400)
        if "save" in request.POST:
            try:
                sms_template_save(
                    by=request.user, kind=kind, language=language, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                form.add_error("text", error)
                return self._page(request, definition, language, form, form.length, status=400)
            messages.success(request, _("The SMS text is saved."))
            return redirect("notifications:sms_template_list")
        return self._page(request, definition, language, form, form.length)


class SmsInboxView(LoginRequiredMixin, View):
    def get(self, request):
        if not may_read_inbox(request.user):
            raise Http404
        handled = request.GET.get("handled") == "1"
        rows = list(inbox_for(user=request.user, handled=handled)[:200])
        return render(request, "notifications/sms/inbox.html", {"rows": rows, "handled": handled})


class SmsInboxHandledView(LoginRequiredMixin, View):
    def post(self, request, pk):
        row = get_object_or_404(inbox_for(user=request.user), pk=pk)
        inbound_handled(by=request.user, inbound=row)
        messages.success(request, _("Marked as read."))
        return redirect("notifications:sms_inbox")


class SmsAreaListView(LoginRequiredMixin, View):
    def get(self, request):
        areas = areas_for(request.user)
        if areas is not None and not areas:
            raise Http404
        since = month_start(timezone.now())
        rows = [{**row, **usage(row["area"], since)} for row in area_list(request.user)]
        return render(request, "notifications/sms/area_list.html", {"rows": rows, "since": since})


class SmsAreaDetailView(LoginRequiredMixin, View):
    template_name = "notifications/sms/area_detail.html"

    def _area(self, request, area):
        allowed = areas_for(request.user)
        if allowed is not None and area not in allowed:
            raise Http404
        if not area.startswith("organisation:"):
            raise Http404
        return SmsBudget.objects.filter(area=area).first()

    def _page(self, request, area, budget, form, status=200):
        now = timezone.now()
        this_month = month_start(now)
        last_month = month_start(this_month - timedelta(days=1))
        from .models import SmsMessage

        label = budget.label if budget else ""
        if not label:
            from kallpanchis.organisations.models import Organisation

            organisation = Organisation.objects.filter(pk=area.split(":", 1)[1]).first()
            label = str(organisation) if organisation else area
        context = {
            "area": area,
            "label": label,
            "budget": budget,
            "form": form,
            "may_edit": access_for(request.user).is_coordinator,
            "this_month": usage(area, this_month),
            "last_month": {
                **usage(area, last_month),
            },
            "since": this_month,
            "last_since": last_month,
            "recent": SmsMessage.objects.filter(area=area).select_related("person")[:50],
            "price": conf.sms_price(),
        }
        # last month's figures must stop at this month's start
        rows = SmsMessage.objects.filter(area=area, created_at__gte=last_month, created_at__lt=this_month)
        context["last_month"]["sent"] = rows.count()
        return render(request, self.template_name, context, status=status)

    def get(self, request, area):
        budget = self._area(request, area)
        initial = {
            "month_messages": budget.month_messages if budget else 0,
            "month_soles": budget.month_soles if budget else 0,
        }
        return self._page(request, area, budget, SmsBudgetForm(initial=initial))

    def post(self, request, area):
        budget = self._area(request, area)
        if not access_for(request.user).is_coordinator:
            raise Http404
        form = SmsBudgetForm(request.POST)
        if not form.is_valid():
            return self._page(request, area, budget, form, status=400)
        sms_budget_save(by=request.user, area=area, **form.cleaned_data)
        messages.success(request, _("The SMS budget is saved."))
        return redirect("notifications:sms_area_detail", area=area)


@method_decorator(csrf_exempt, name="dispatch")
class AndroidHookView(View):
    """Webhooks of the SMS Gateway for Android (delivery receipts and received SMS)."""

    def post(self, request):
        try:
            result = hooks.android_callback(
                body=request.body,
                signature=request.headers.get("X-Signature", ""),
                timestamp=request.headers.get("X-Timestamp", ""),
            )
        except hooks.Refused as error:
            logger.warning("Android SMS callback refused: %s", error)
            if str(error).startswith("malformed"):
                return HttpResponseBadRequest("malformed")
            return HttpResponseForbidden("refused")
        return HttpResponse(result, content_type="text/plain")


@method_decorator(csrf_exempt, name="dispatch")
class TwilioHookView(View):
    """Twilio-compatible StatusCallback (with our key in the URL) and incoming messages."""

    def post(self, request, key=None):
        url = conf.site_url() + request.get_full_path()
        params = {name: request.POST.get(name, "") for name in request.POST}
        try:
            result = hooks.twilio_callback(
                url=url, params=params, signature=request.headers.get("X-Twilio-Signature", ""), key=key
            )
        except hooks.Refused as error:
            logger.warning("Twilio SMS callback refused: %s", error)
            if str(error).startswith("malformed"):
                return HttpResponseBadRequest("malformed")
            return HttpResponseForbidden("refused")
        if key is None:
            return HttpResponse("<Response/>", content_type="text/xml")
        return HttpResponse(result, content_type="text/plain")
