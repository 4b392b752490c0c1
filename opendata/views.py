"""The open-data portal: catalogue, dataset pages, downloads, DCAT-AP.de JSON-LD. Thin views:
the datasets come from `datasets`, files from `exports`, descriptions from `dcat`."""

import json

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date, parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from geoportal.ogc.params import ProblemError, problem

from . import dcat
from .datasets import FORMATS, dataset_get, dataset_list
from .exports import export_path
from .metadata import LICENCE_PAGES, LICENCE_SHORT

DOWNLOAD_MAX_AGE = 300


def _url_for(request):
    def url(name: str, kind: str) -> str:
        if kind == "catalog":
            path = reverse("opendata:catalog-jsonld")
        elif kind == "page":
            path = reverse("opendata:dataset", args=[name])
        else:
            path = reverse("opendata:download", args=[name, kind])
        return request.build_absolute_uri(path)

    return url


def _jsonld(document: dict) -> str:
    # Inside <script>: "</" must not end the element early.
    return json.dumps(document, ensure_ascii=False, indent=1).replace("</", "<\\/")


def _row(dataset) -> dict:
    return {
        "dataset": dataset,
        "licence_name": dcat.licence_name(dataset.info.licence),
        "licence_short": LICENCE_SHORT.get(dataset.info.licence, dataset.info.licence),
        "licence_page": LICENCE_PAGES.get(dataset.info.licence, dataset.info.licence),
        "formats": FORMATS.values(),
    }


@require_safe
def catalog(request):
    datasets = dataset_list()
    return render(
        request,
        "opendata/catalog.html",
        {
            "rows": [_row(d) for d in datasets],
            "jsonld": _jsonld(dcat.catalog_jsonld(datasets, _url_for(request))),
        },
    )


@require_safe
def dataset_page(request, name: str):
    dataset = dataset_get(name=name)
    if dataset is None:
        raise Http404(_("Es gibt keinen Datensatz „%(name)s“.") % {"name": name})
    node = {"@context": dcat.CONTEXT, **dcat.dataset_jsonld(dataset, _url_for(request))}
    return render(
        request,
        "opendata/dataset.html",
        {**_row(dataset), "properties": dataset.layer.properties, "jsonld": _jsonld(node)},
    )


@require_safe
def catalog_jsonld(request):
    document = dcat.catalog_jsonld(dataset_list(), _url_for(request))
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )


@require_safe
def download(request, name: str, ext: str):
    """The cached file of the dataset's current version (written on the first request after a
    change). FileResponse streams it from disk in blocks."""
    fmt = FORMATS.get(ext)
    dataset = dataset_get(name=name)
    if dataset is None:
        return problem(
            ProblemError(
                _("Es gibt keinen Datensatz „%(name)s“.") % {"name": name},
                status=404,
                title="Not Found",
            )
        )
    if fmt is None:
        known = ", ".join(FORMATS)
        return problem(
            ProblemError(
                _("Unbekanntes Format „%(format)s“; verfügbar: %(known)s.")
                % {"format": ext, "known": known}
            )
        )
    etag = f'"{dataset.version}-{ext}"'
    # GZipMiddleware weakens the ETag to W/"..."; a client echoes that, so compare weakly.
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    if any(tag.removeprefix("W/") == etag for tag in sent):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            export_path(dataset, ext).open("rb"),
            as_attachment=True,
            filename=f"{dataset.name}.{ext}",
            content_type=fmt.media_type,
        )
    response["Last-Modified"] = http_date(dataset.modified.timestamp())
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={DOWNLOAD_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response
