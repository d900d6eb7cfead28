"""The installable app's pieces: the web manifest, the service worker and the offline meeting-log shell.

None of these responses carries a person's data, so the service worker may keep them on a shared phone.
The shell reads meetings and drafts from the phone's IndexedDB and talks to the endpoints whose addresses it
is given; the domain app that owns meetings (spaces) serves them.
"""

import hashlib
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Everything the shell needs to open with no connection. Only static files and the shell: never a page
# with a signed-in person's data.
SHELL_ASSETS = [
    "vendor/bootstrap/bootstrap.min.css",
    "css/app.css",
    "offline/store.js",
    "offline/shell.js",
    "offline/icon-192.png",
]
SCOPE = "/offline/"


def _endpoint(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def shell_urls() -> list[str]:
    return [reverse("offline:shell"), *(static(path) for path in SHELL_ASSETS)]


@require_GET
def shell(request):
    """The meeting-log page that works with no connection. Anyone may load it: it holds no data; the
    meetings and drafts come from the phone, and sending needs a signed-in technician."""
    context = {
        "meetings_url": _endpoint("spaces_offline:meetings"),
        # The sync address for meeting 0; the script swaps in the real id.
        "log_url": _endpoint("spaces_offline:log", 0),
        "login_url": reverse("account_login") + "?next=" + reverse("offline:shell"),
    }
    response = render(request, "offline/shell.html", context)
    # The service worker keeps its own copy; the browser's HTTP cache keeps none.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def service_worker(request):
    urls = shell_urls()
    version = hashlib.sha256(json.dumps(urls).encode()).hexdigest()[:12]
    body = render_to_string(
        "offline/sw.js",
        {"cache_name": f"kallpanchis-offline-{version}", "urls_json": json.dumps(urls), "shell_url": urls[0]},
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Phones must pick up a new worker (new asset names) without waiting for an HTTP cache to expire.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": "Kallpanchis",
        "short_name": "Kallpanchis",
        "description": _("Local economic development, planned together."),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#7a2e12",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
        "shortcuts": [{"name": _("Meeting logs offline"), "url": reverse("offline:shell")}],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json; charset=utf-8"
    )
