from django.apps import apps
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .access import access_for

# The top menu: "Inicio" and at most these five entries, in this order, each a dropdown of what the apps
# put there (a section with one entry is a plain link). Few words, so that no label is broken at any width.
SECTIONS = (
    ("spaces", pgettext_lazy("menu", "Spaces")),
    ("associations", pgettext_lazy("menu", "Associations")),
    ("budget", pgettext_lazy("menu", "Budget")),
    ("follow_up", pgettext_lazy("menu", "Follow-up")),
    ("account", _("My account")),
)
DEFAULT_SECTION = "follow_up"


def _entries(config, access):
    """An app's entries as (section, label, url name). `navigation(access)` returns (section, label, url
    name), or (label, url name) placed in the app's `navigation_section` (default: follow-up)."""
    for entry in config.navigation(access):
        if len(entry) == 3:
            yield entry
        else:
            yield (getattr(config, "navigation_section", DEFAULT_SECTION), *entry)


_urls: dict[tuple, str] = {}  # (URLconf, script prefix, url name) -> path: the menu's names take no arguments


def _url(name: str) -> str:
    """reverse(name), once per process for each URLconf and prefix: some thirty per page otherwise."""
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
    if key not in _urls:
        _urls[key] = reverse(name)
    return _urls[key]


def navigation(request):
    """Each app says what a person may do there (AppConfig.navigation(access)); the menu groups the union
    into SECTIONS, so a new app adds its entries without touching this file."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    access = access_for(user)
    by_section: dict[str, list[dict]] = {code: [] for code, _label in SECTIONS}
    for config in apps.get_app_configs():
        if not hasattr(config, "navigation"):
            continue
        for section, label, url_name in _entries(config, access):
            by_section.setdefault(section, []).append({"label": label, "url": _url(url_name)})
    path = request.path
    sections = []
    for code, label in SECTIONS:
        items = by_section[code]
        if code == "account":
            items = [
                {"label": _("E-mail and password"), "url": _url("account_email")},
                {"label": _("Two-factor authentication"), "url": _url("mfa_index")},
                *items,
            ]
        if not items:
            continue
        # The entry whose address is the longest start of this page's is the current one.
        matching = [item for item in items if item["url"] != "/" and path.startswith(item["url"])]
        current = max(matching, key=lambda item: len(item["url"]), default=None)
        for item in items:
            item["active"] = item is current
        sections.append(
            {
                "code": code,
                "label": label,
                "items": items,
                "url": items[0]["url"],
                "active": any(item["active"] for item in items),
            }
        )
    return {"nav_sections": sections, "access": access}
