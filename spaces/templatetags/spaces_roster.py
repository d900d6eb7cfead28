"""The space's people as checkboxes, written in Python: a template loop over 300 people costs tens of
milliseconds of the meeting log's budget, format_html's lazy-aware escaping about ten; this costs one."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


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
        pk = int(e.person_id)
        return (
            f'<li class="form-check roster-item" data-search="{escape(e.search_key)}">'
            f'<input class="form-check-input" type="checkbox" name="present" value="{pk}" id="present-{pk}"'
            f'{checked}><label class="form-check-label" for="present-{pk}">{escape(e.name)}'
            f'<span class="d-block small text-body-secondary">{escape(shown)}</span></label></li>'
        )

    # every value escaped above (html.escape: quotes too); the rest is constants
    return mark_safe("\n".join(item(e) for e in roster))  # noqa: S308  # nosec B308 B703
