"""PDF documents (attendance sheets, actas, plans, reports) with WeasyPrint, from ordinary templates.

WeasyPrint may fetch only our own static files: any other URL in a template is refused, so a value typed
by a user can never make the server fetch something.
"""

import mimetypes

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify


def _static_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        prefix = "file:///static/"

        def fetch(self, url, headers=None):
            path = finders.find(url[len(self.prefix) :]) if url.startswith(self.prefix) else None
            if not path:
                raise ValueError(f"Refused to fetch {url!r}: PDFs may use static files only")
            mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
            with open(
                path, "rb"
            ) as fh:  # the type matters: WeasyPrint ignores a stylesheet not sent as text/css
                return URLFetcherResponse(url, body=fh.read(), headers={"Content-Type": mime})

    return StaticOnlyFetcher()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template (which may link /static/... files) to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url="file:///", url_fetcher=_static_only_fetcher()).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slugify(filename) or "document"}.pdf"'
    return response
