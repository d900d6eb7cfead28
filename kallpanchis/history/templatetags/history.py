from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def history_link(obj) -> str:
    """A "History" link to the object's history page (shown on pages of objects one may read)."""
    url = reverse(
        "history:object",
        kwargs={"app_label": obj._meta.app_label, "model_name": obj._meta.model_name, "pk": obj.pk},
    )
    return format_html('<a class="btn btn-sm btn-outline-secondary" href="{}">{}</a>', url, _("History"))
