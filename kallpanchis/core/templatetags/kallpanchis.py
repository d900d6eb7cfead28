from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

register = template.Library()


@register.filter
def soles(value) -> str:
    """Money in Peruvian soles, formatted by the active locale: S/ 1,250.50."""
    if value in (None, ""):
        return "—"
    return f"S/ {intcomma(number_format(Decimal(value), 2, use_l10n=True))}"


@register.inclusion_tag("partials/export_links.html", takes_context=True)
def export_links(context, url_name: str, *args):
    """ "Download CSV / XLSX" for a list page: the export URL named `url_name` (its last argument is the
    format) with the page's own filters, so the file holds the rows the page shows, every page of them."""
    from django.urls import reverse

    query = context["request"].GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "csv_url": reverse(url_name, args=[*args, "csv"]) + suffix,
        "xlsx_url": reverse(url_name, args=[*args, "xlsx"]) + suffix,
    }


@register.simple_tag
def options(choices, selected) -> str:
    """The <option>s of (value, label) pairs, `selected` marked: written here, not by a template loop or a
    widget, because a coordinator's filters list every space and organisation (a template costs ~0.05 ms an
    option, a widget ~0.2 ms; format_html's lazy-aware escape most of the rest)."""
    from html import escape

    from django.utils.safestring import mark_safe

    selected = "" if selected in (None, "None") else str(selected)
    parts = [f'<option value=""{" selected" if not selected else ""}>---------</option>']
    for value, label in choices:
        value = str(value)
        mark = " selected" if value == selected else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703: every value and label escaped above


_footers: dict[tuple, str] = {}  # (language, URLconf, script prefix) -> the footer with placeholders


@register.simple_tag(takes_context=True)
def page_footer(context) -> str:
    """The footer and its language form, rendered once per process and language; this request's CSRF token
    and address are written into it."""
    from html import escape

    from django.template.loader import render_to_string
    from django.urls import get_script_prefix, get_urlconf
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    from kallpanchis.core.fragments import (
        CSRF_PLACEHOLDER,
        NEXT_PLACEHOLDER,
        placeholders_kept,
        with_csrf_token,
    )

    request = context.get("request")
    if request is None:
        return ""
    key = (get_language(), get_urlconf(), get_script_prefix())
    if key not in _footers:
        _footers[key] = render_to_string(
            "partials/page_footer.html",
            {"csrf_token": CSRF_PLACEHOLDER, "next_placeholder": NEXT_PLACEHOLDER},
        )
    if placeholders_kept():  # a page kept around its blocks (core/shell.py) writes both in for each request
        return mark_safe(_footers[key])  # noqa: S308  # nosec B308 B703: our autoescaped template
    # the address escaped, the token written in
    return with_csrf_token(_footers[key].replace(NEXT_PLACEHOLDER, escape(request.get_full_path())), request)
