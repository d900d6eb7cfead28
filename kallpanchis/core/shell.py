"""A list page around its kept block: the menu, the title, the filters' export links, the footer. They are
the same for everyone with the same access at the same address on the same day in the same language, so
each process renders them once and writes the block (kept in the cache: caching.cached, fragments.block)
and this request's CSRF token into them. Rendering them took about 1.3 ms of every list page, a seventh of
a list after a write to its table."""

import re
from html import escape

from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.safestring import mark_safe

from .caching import Recent, access_of
from .fragments import CSRF_PLACEHOLDER, NEXT_PLACEHOLDER, csrf_placeholders_kept, rendering

# Addresses × accesses × languages each process keeps, the least recently used dropped (a page around its
# blocks is 10-20 KB: 5-10 MB at most).
MOST = 512
_shells = Recent(MOST)
_MARKER = re.compile(r"<!--kallpanchis-page-block-(\w+)-->")


def page(
    request,
    template: str,
    blocks: dict[str, str],
    context: dict | None = None,
    key: tuple = (),
    address: str | None = None,
):
    """`render(request, template, {**blocks, **context})`, with the page around `blocks` (kept HTML, each
    written where the template writes its name) rendered once per process. What the template shows must
    be told by the address (path and parameters, or `address` when the page shows less of it), the
    person's access, the day, the language and `key`: `context` holds nothing else. A page with a message
    to show once is rendered whole."""
    context = context or {}
    if len(messages.get_messages(request)):
        # kept blocks, rendered by our autoescaped templates
        safe = {name: mark_safe(html) for name, html in blocks.items()}  # noqa: S308  # nosec B308 B703
        return render(request, template, {**context, **safe})
    user = request.user
    signed_in = user.is_authenticated
    index = (
        template,
        rendering(),
        signed_in and access_of(user),
        request.get_full_path() if address is None else address,
        timezone.localdate(),
        key,
    )
    parts = _shells.get(index)
    if parts is None:
        parts = _parts(request, template, list(blocks), context)
        _shells.put(index, parts)
    token = None
    html = []
    for i, part in enumerate(parts):
        if i % 2:  # a block's name
            html.append(blocks[part])
            continue
        if CSRF_PLACEHOLDER in part:
            token = token or get_token(request)
            part = part.replace(CSRF_PLACEHOLDER, token)
        if NEXT_PLACEHOLDER in part:  # the footer's language form comes back to this address
            part = part.replace(NEXT_PLACEHOLDER, escape(request.get_full_path()))
        html.append(part)
    return HttpResponse("".join(html))


def forget() -> None:
    """Drop every page this process keeps (tests: each starts with none, like the cache)."""
    global _shells
    _shells = Recent(MOST)


def _parts(request, template: str, names: list[str], context: dict) -> list[str]:
    """The page as [text, block name, text, …, text]: rendered with a marker for each block, CSRF
    placeholders for the token (the template's own `{% csrf_token %}`, the menu's and the footer's) and the
    footer's placeholder for the address."""
    markers = {name: f"<!--kallpanchis-page-block-{name}-->" for name in names}
    with csrf_placeholders_kept():
        html = loader.render_to_string(
            template,
            {**context, **{n: mark_safe(m) for n, m in markers.items()}, "csrf_token": CSRF_PLACEHOLDER},  # noqa: S308  # nosec B308 B703: our own comments
            request=request,
        )
    parts = _MARKER.split(html)
    if sorted(parts[1::2]) != sorted(names):  # each block written once, where the template says
        raise ValueError(f"{template} does not write each of {names} once")
    return parts
