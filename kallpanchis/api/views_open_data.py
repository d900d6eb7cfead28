"""Open data pages and files: anyone, no sign-in. The files are built from publication.py's rows."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render

from kallpanchis.core.exports import csv_response

from . import open_data


def index(request):
    datasets = [(d, d.last_updated()) for d in open_data.DATASETS.values()]
    dates = [when for _d, when in datasets if when]
    return render(
        request,
        "api/open_data.html",
        {
            "datasets": datasets,
            "last_updated": max(dates) if dates else None,
            "licence": open_data.LICENCE,
            "licence_url": open_data.LICENCE_URL,
            "attribution": open_data.ATTRIBUTION,
        },
    )


def dictionary(request):
    return render(
        request,
        "api/open_data_dictionary.html",
        {
            "datasets": open_data.DATASETS.values(),
            "licence": open_data.LICENCE,
            "licence_url": open_data.LICENCE_URL,
        },
    )


def dataset(request, slug: str, fmt: str):
    found = open_data.DATASETS.get(slug)
    if found is None or fmt not in ("csv", "json"):
        raise Http404
    header = [f.name for f in found.fields]
    if fmt == "csv":
        response = csv_response(header=header, rows=found.rows(), filename=f"kallpanchis-{slug}.csv")
    else:
        updated = found.last_updated()
        body = {
            "dataset": slug,
            "title": str(found.title),
            "description": str(found.description),
            "licence": open_data.LICENCE,
            "licence_url": open_data.LICENCE_URL,
            "attribution": open_data.ATTRIBUTION,
            "last_updated": updated.isoformat() if updated else None,
            "fields": [
                {"name": f.name, "type": f.kind, "description": str(f.description)} for f in found.fields
            ],
            "rows": [dict(zip(header, row, strict=True)) for row in found.rows()],
        }
        response = HttpResponse(
            json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = f'inline; filename="kallpanchis-{slug}.json"'
    response["Link"] = f'<{open_data.LICENCE_URL}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any website may read it
    return response
