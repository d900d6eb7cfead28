"""{% sms_summary target %}: who was reached by SMS about a target (a meeting) and who answered. Shown to
those who may see the people register's names (coordinators, the municipality's staff)."""

from django import template
from django.template.loader import render_to_string

from kallpanchis.people.models import Person

register = template.Library()


@register.simple_tag(takes_context=True)
def sms_summary(context, target) -> str:
    from ..sms.selectors import stopped_people, target_summary

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not Person.objects.visible_to(user).exists():
        return ""
    summary = target_summary(target)
    return render_to_string(
        "notifications/sms/target_summary.html",
        {"summary": summary, "stopped": stopped_people(target)},
        request=request,
    )
