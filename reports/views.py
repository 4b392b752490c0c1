"""Citizen pages: file a report, confirm it, follow it, browse the public map and list."""

import csv

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from geoportal.forms import POINT_ADDRESS, address_pick_apply, address_point_stale_dropped
from trust.ratelimit import client_ip, rate_limit_count

from . import selectors, services
from .api.views import ReportsGeoJSONView
from .forms import ReportFilterForm, ReportForm
from .models import Status
from .photos import photo_thumbnail

# Intake fields named differently on the form.
FORM_FIELDS = {"location": "address"}


def _form_error(form: ReportForm, exc: services.ReportSubmitError) -> None:
    name = FORM_FIELDS.get(exc.field, exc.field)
    form.add_error(name if name in form.fields else None, exc.message)


def _remember(form: ReportForm, located: services.Located) -> None:
    """Write a found position back into the form, so the next step (and a user without
    JavaScript) keeps it instead of searching again."""
    if located.found_by == "coordinates":
        return
    form.data = form.data.copy()
    form.data.update({"lat": located.lat, "lon": located.lon})
    if located.found_by == "address":
        form.data["address"] = located.label
        form.data[POINT_ADDRESS] = located.label


def _picked(post):
    picked = address_pick_apply(post)
    if picked is not post:
        picked.setlist("duplicates_seen", [""])  # a new place: ask "already reported?" again
        return picked
    # A new place when the address was typed over: ask "already reported?" again too.
    return address_point_stale_dropped(post, also=("duplicates_seen",))


# "Ort prüfen" needs only these; the description and contact can be filled in afterwards.
CHECK_FIELDS = {"category", "address", "lat", "lon", POINT_ADDRESS, "duplicates_seen", "website"}


def report_new(request):
    """The form is the web adapter of `services.report_submit`: it parses the fields, shows
    "already reported?" before filing, and turns a `ReportSubmitError` into a field error."""
    data = _picked(request.POST) if request.method == "POST" else None
    form = ReportForm(data, request.FILES or None)
    alternatives: list = []
    context = {"form": form, "duplicates": None, "place": "", "alternatives": alternatives}
    if request.method != "POST":
        return render(request, "reports/new.html", context)
    wants_check = request.POST.get("action") == "check" or "address_pick" in request.POST
    valid = form.is_valid()
    if wants_check:
        for name in [n for n in form.errors if n not in CHECK_FIELDS]:
            del form.errors[name]
    if not form.errors:
        cleaned = form.cleaned_data
        location = services.Location(
            lat=cleaned.get("lat"), lon=cleaned.get("lon"), address=cleaned.get("address", "")
        )
        try:
            # Each photo is decoded once: cleaning reads its GPS too. "Ort prüfen" needs the
            # photos only when they are the only hint of the place (a typed address is none
            # while the city's street register is not loaded).
            needs_photos = not wants_check or (
                (location.lat is None or location.lon is None)
                and (location.address == "" or not selectors.street_register_loaded())
            )
            uploads = [f.read() for f in cleaned.get("photos", [])] if needs_photos else []
            photos = services.report_photos_clean(uploads=uploads)
            located = services.report_locate(location=location, photos=photos)
        except services.ReportSubmitError as exc:
            _form_error(form, exc)
            alternatives.extend(exc.candidates)
        else:
            alternatives.extend(located.alternatives)
            _remember(form, located)
            category = selectors.category_get(code=cleaned["category"])
            if category is not None:
                duplicates = selectors.report_duplicates_nearby(
                    point=located.point, category=category
                )
                context.update(duplicates=duplicates, place=located.label)
                if wants_check or (duplicates and not cleaned["duplicates_seen"]):
                    # Show "already reported?" before anything is filed (the no-JS path).
                    form.data = form.data.copy()
                    form.data["duplicates_seen"] = "True"
                    return render(request, "reports/new.html", context)
                if valid:
                    try:
                        report = services.report_submit(
                            category=cleaned["category"],
                            location=services.Location(
                                lat=located.lat, lon=located.lon, address=located.label
                            ),
                            description=cleaned["description"],
                            contact=services.ContactData(
                                email=cleaned["email"], name=cleaned["name"], phone=cleaned["phone"]
                            ),
                            uploads=photos,
                            source="web",
                        )
                    except services.ReportSubmitError as exc:
                        _form_error(form, exc)
                    else:
                        return redirect("reports:thanks", token=report.token)
    return render(request, "reports/new.html", context, status=400 if form.errors else 200)


def report_thanks(request, token: str):
    report = selectors.report_get_for_receipt(token=token)
    if report is None:
        raise Http404("Diese Meldung gibt es nicht.")
    return render(request, "reports/thanks.html", {"report": report})


def report_confirm(request, token: str):
    """GET shows a button, POST publishes: mail scanners that open every link must not confirm."""
    reporter = selectors.reporter_by_confirm_token(token=token)
    if reporter is None:
        raise Http404("Dieser Bestätigungslink ist ungültig.")
    if request.method == "POST":
        report = services.report_confirm(token=token)
        return render(request, "reports/confirmed.html", {"report": report})
    if reporter.confirmed_at is not None:
        return render(request, "reports/confirmed.html", {"report": reporter.report})
    return render(request, "reports/confirm.html", {"report": reporter.report})


def report_list(request):
    form = ReportFilterForm(request.GET or None)
    reports = selectors.report_list_with_photo(filters=form.to_filter())
    page = Paginator(reports, 25).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "reports/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "total": page.paginator.count,
            # The map's popups name the status in the page's language (the GeoJSON has codes).
            "statuses": {code: str(label) for code, label in Status.choices},
        },
    )


def report_detail(request, number: str):
    report = selectors.report_get_public(number=number)
    if report is None:
        raise Http404("Diese Meldung gibt es nicht oder sie ist noch nicht bestätigt.")
    lonlat = report.geom_wgs84
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "history": selectors.report_history_public(report=report),
            "duplicate_numbers": selectors.report_duplicate_numbers_public(report=report),
            "photos": list(report.photos.public()),
            "lat": round(lonlat.y, 6),
            "lon": round(lonlat.x, 6),
            "supported": request.GET.get("unterstuetzt"),
        },
    )


@require_POST
def report_support(request, number: str):
    report = selectors.report_get_public(number=number)
    if report is None:
        raise Http404("Diese Meldung gibt es nicht.")
    # One "me too" per browser session and per address and day: a fresh session (a bot without
    # cookies) from the same address does not count again (trust.ratelimit, keyed hash only).
    supported = request.session.get("reports_supported", [])
    if report.number in supported:
        return redirect(f"/meldungen/{report.number}/?unterstuetzt=1")
    identity = f"{client_ip(request)} {report.number}"
    if not rate_limit_count(scope="support", identities={"ip": identity}).allowed:
        return redirect(f"/meldungen/{report.number}/?unterstuetzt=schon")
    services.report_support(report=report)
    request.session["reports_supported"] = [*supported, report.number][-200:]
    return redirect(f"/meldungen/{report.number}/?unterstuetzt=1")


def report_photo(request, number: str, photo_id: int):
    photo = selectors.report_photo_public(number=number, photo_id=photo_id)
    if photo is None or not default_storage.exists(photo.image.name):
        raise Http404("Foto fehlt.")
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    # Short: a photo staff remove (moderation) must leave shared caches soon.
    response["Cache-Control"] = "public, max-age=600"
    return response


def report_photo_thumb(request, number: str, photo_id: int):
    photo = selectors.report_photo_public(number=number, photo_id=photo_id)
    if photo is None or not default_storage.exists(photo.image.name):
        raise Http404("Foto fehlt.")
    with default_storage.open(photo.image.name, "rb") as stored:
        body = photo_thumbnail(stored=stored)
    response = HttpResponse(body, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=600"  # as the photo: moderation must reach it
    return response


class _Echo:
    def write(self, value):
        return value


def report_export_csv(request):
    """Public reports as CSV: the same public fields as the list, nothing personal."""
    form = ReportFilterForm(request.GET or None)
    reports = selectors.report_list_public(filters=form.to_filter())
    writer = csv.writer(_Echo())
    header = [
        "number",
        "category",
        "status",
        "created_at",
        "address",
        "district",
        "office",
        "lat",
        "lon",
    ]

    def rows():
        yield writer.writerow(header)
        for r in reports.iterator(chunk_size=500):
            p = r.geom_wgs84
            yield writer.writerow(
                [
                    r.number,
                    str(r.category),
                    r.status,
                    r.created_at.isoformat(),
                    r.address,
                    r.district.name if r.district else "",
                    r.office.name,
                    f"{p.y:.6f}",
                    f"{p.x:.6f}",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meldungen.csv"'
    return response


def reports_geojson(request):
    """The public map layer for the list page; the API's GeoJSON view with the page's filters."""
    return ReportsGeoJSONView.as_view()(request)
