"""The space's people as checkboxes, written in Python: a template loop over 300 people costs tens of
milliseconds of the meeting log's budget; this costs one."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

ITEM = (
    '<li class="form-check roster-item" data-search="{}">'
    '<input class="form-check-input" type="checkbox" name="present" value="{}" id="present-{}"{}>'
    '<label class="form-check-label" for="present-{}">{}'
    '<span class="d-block small text-body-secondary">{}</span>'
    "</label></li>"
)


@register.simple_tag
def roster_items(roster, present):
    """One <li> per RosterEntry: ticked when in `present`, ticked and fixed when already on the list."""
    already, representative = _("already logged"), _("representative")

    def item(e):
        checked = " checked disabled" if e.on_list else (" checked" if e.person_id in present else "")
        detail = [already] if e.on_list else []
        detail.append(e.organisation_name or e.community)
        if e.is_representative:
            detail.append(representative)
        # Never empty: the second line keeps every row a thumb's height on a phone.
        shown = " · ".join(part for part in detail if part) or "—"
        return (e.search_key, e.person_id, e.person_id, mark_safe(checked), e.person_id, e.name, shown)  # noqa: S308  # nosec B308 B703: constants

    return format_html_join("\n", ITEM, (item(e) for e in roster))
