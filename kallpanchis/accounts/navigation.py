from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kallpanchis.core.caching import Recent
from kallpanchis.core.fragments import CSRF_PLACEHOLDER, with_csrf_token

from .access import access_for, access_key

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


def _sections(access) -> list[dict]:
    """The menu of this access in the active language, every entry inactive."""
    by_section: dict[str, list[dict]] = {code: [] for code, _label in SECTIONS}
    for config in apps.get_app_configs():
        if not hasattr(config, "navigation"):
            continue
        for section, label, url_name in _entries(config, access):
            by_section.setdefault(section, []).append({"label": str(label), "url": _url(url_name)})
    sections = []
    for code, label in SECTIONS:
        items = by_section[code]
        if code == "account":
            items = [
                {"label": str(_("E-mail and password")), "url": _url("account_email")},
                {"label": str(_("Two-factor authentication")), "url": _url("mfa_index")},
                *items,
            ]
        if items:
            sections.append({"code": code, "label": str(label), "items": items, "url": items[0]["url"]})
    return sections


def _current(sections: list[dict], path: str) -> tuple[str | None, ...]:
    """Each section's current entry: the one whose address is the longest start of this page's."""
    current = []
    for section in sections:
        urls = [item["url"] for item in section["items"]]
        matching = [url for url in urls if url != "/" and path.startswith(url)]
        current.append(max(matching, key=len, default=None))
    return tuple(current)


# Each access's sections and each rendered menu, in each process's memory
_menus = Recent(256)


def menu_html(request) -> str:
    """The page's top menu. The same for everyone with the same access, language and current entry, so each
    process renders it once (about 1 ms of every page otherwise) and writes this request's CSRF token
    (the sign-out form's) into it."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    access = access_for(user) if signed_in else None
    index = (access_key(user) if signed_in else None, get_language(), get_urlconf(), get_script_prefix())
    sections = _menus.get(index)
    if sections is None:
        sections = _sections(access) if signed_in else []
        _menus.put(index, sections)
    current = _current(sections, request.path)
    key = (*index, request.path == "/", current)
    html = _menus.get(key)
    if html is None:
        shown = [
            {
                **section,
                "items": [{**item, "active": item["url"] == url} for item in section["items"]],
                "active": url is not None,
            }
            for section, url in zip(sections, current, strict=True)
        ]
        html = render_to_string(
            "accounts/partials/main_menu.html",
            {
                "signed_in": signed_in,
                "home_active": request.path == "/",
                "nav_sections": shown,
                "csrf_token": CSRF_PLACEHOLDER,
            },
        )
        _menus.put(key, html)
    return with_csrf_token(html, request) if signed_in else html


def navigation(request):
    """What a person may see is in `access` for every template; the menu itself is the `{% main_menu %}` tag
    (templates/base.html): each app says what a person may do there (AppConfig.navigation(access)) and the
    menu groups the union into SECTIONS, so a new app adds its entries without touching this file."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"access": access_for(user)}
