"""{% sms_summary target %}: who was reached by SMS about a target (a meeting) and who answered. Shown to
those who manage the target's page (its `can_manage`) and those who may read the people register."""

from django import template
from django.template.loader import render_to_string

from kallpanchis.people.models import Person

register = template.Library()


@register.simple_tag(takes_context=True)
def sms_summary(context, target) -> str:
    from ..sms.selectors import stopped_people, target_summary

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    # Those who run the meeting (the page says so: can_manage), or who may read the people register.
    if not context.get("can_manage") and not Person.objects.visible_to(user).exists():
        return ""
    summary = target_summary(target)
    return render_to_string(
        "notifications/sms/target_summary.html",
        {"summary": summary, "stopped": stopped_people(target)},
        request=request,
    )
