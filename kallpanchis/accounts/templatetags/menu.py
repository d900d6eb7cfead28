from django import template
from django.utils.safestring import mark_safe

from ..navigation import menu_html

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """The top menu of this page (kallpanchis/accounts/navigation.py)."""
    request = context.get("request")
    if request is None:  # a template rendered outside a request (an e-mail, a test)
        return ""
    return mark_safe(menu_html(request))  # noqa: S308  # nosec B308 B703: our autoescaped template
