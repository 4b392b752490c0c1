"""Open311 GeoReport v2 at /open311/v2/: discovery, services, requests, tokens (JSON and XML).

Extensions: GET requests accepts bbox=west,south,east,north (WGS84) and lat, long, radius
(metres, default 1000, at most 20000); invalid values are a 400, never ignored. Requests are public
reports; reporter fields of a POST are stored in `Reporter` and never returned.

Error descriptions are in the request's language (cookie, else Accept-Language, else German), as
the REST API's are; the parameter names in them are the spec's and stay as they are.
"""

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework import serializers

from geoportal.geo import WEB_SRID, point_from_lonlat, transformed

from .. import conf, selectors, services
from ..api.serializers import parse_bbox
from ..models import Category, Report, ReportPhoto, Status
from .render import FORMATS, error, respond
from .serializers import RequestCreateSerializer

SPEC = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_WINDOW = timedelta(days=90)  # the spec's default for requests without dates
MAX_REQUESTS = 1000
# Extension: lat, long and radius (metres) select requests around a point, as FixMyStreet does.
DEFAULT_RADIUS_M = 1000
MAX_RADIUS_M = 20_000
CLOSED = {Status.CLOSED, Status.REJECTED}


def _fmt_or_error(fmt: str):
    return (
        None
        if fmt in FORMATS
        else error(
            "json",
            404,
            _("Unbekanntes Format %(fmt)s; bitte json oder xml verwenden.") % {"fmt": repr(fmt)},
        )
    )


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or str(category),
        "metadata": False,
        # realtime: the id comes back at once; batch: a token, the id after confirmation.
        "type": "batch" if category.requires_confirmation else "realtime",
        "keywords": category.keywords,
        "group": category.parent.name if category.parent_id else "",
    }


def _status_notes(report: Report) -> str:
    # A duplicate says so first ("Als Duplikat von Meldung N geschlossen."), then the office's note.
    if report.status == Status.CLOSED and report.original_number:
        return " ".join(filter(None, [f"{report.status_label}.", report.status_notes]))
    return report.status_notes or report.get_status_display()


def _request(request, report: Report, photo_urls: dict[int, str]) -> dict:
    point = getattr(report, "geom_wgs84", None) or transformed(report.geom, WEB_SRID)
    return {
        "service_request_id": report.number,
        "status": "closed" if report.status in CLOSED else "open",
        "status_notes": _status_notes(report),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.office.name,
        "service_notice": "",
        "requested_datetime": _iso(report.created_at),
        "updated_datetime": _iso(report.updated_at),
        "expected_datetime": None,
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": round(point.y, 6),
        "long": round(point.x, 6),
        "media_url": photo_urls.get(report.pk, ""),
    }


def _photo_urls(request, reports: list[Report]) -> dict[int, str]:
    first = {}
    for photo in ReportPhoto.objects.public().filter(report__in=reports).order_by("position", "id"):
        first.setdefault(photo.report_id, photo)
    return {
        report.pk: _absolute(request, f"/meldungen/{report.number}/fotos/{first[report.pk].pk}.jpg")
        for report in reports
        if report.pk in first
    }


def _contact() -> str:
    brand = settings.GEOPORTAL_BRAND
    who = brand["municipality"] or settings.GEOPORTAL_NAME
    parts = ["Mängelmelder", who, brand["contact"]["email"]]
    return ", ".join(part for part in parts if part)


@require_GET
def discovery(request, fmt: str):
    if bad := _fmt_or_error(fmt):
        return bad
    data = {
        "changeset": "2026-11-01T00:00:00Z",
        "contact": conf.REPORTS_OPEN311_CONTACT or _contact(),
        "key_service": "API-Schlüssel bei der Stadtverwaltung beantragen (Admin: API keys).",
        "endpoints": [
            {
                "specification": SPEC,
                "url": _absolute(request, "/open311/v2/"),
                "changeset": "2026-11-01T00:00:00Z",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(data, fmt, "discovery")


@require_GET
def service_list(request, fmt: str):
    if bad := _fmt_or_error(fmt):
        return bad
    return respond([_service(c) for c in selectors.category_leaves()], fmt, "services")


@require_GET
def service_definition(request, code: str, fmt: str):
    if bad := _fmt_or_error(fmt):
        return bad
    category = selectors.category_get(code=code)
    if category is None or category.children.exists():
        return error(fmt, 404, _("service_code %(code)s nicht gefunden") % {"code": repr(code)})
    return respond({"service_code": category.code, "attributes": []}, fmt, "service_definition")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request, fmt: str):
    if bad := _fmt_or_error(fmt):
        return bad
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


def _parse_when(value: str, end: bool = False):
    try:
        when = parse_datetime(value)
        day = parse_date(value) if when is None else None
    except ValueError:  # well-formed but impossible, e.g. month 99
        return None
    if when is None and day:
        when = timezone.datetime.combine(day, timezone.datetime.min.time())
        if end:
            when += timedelta(days=1)
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def _search(request, fmt: str):
    params = request.GET
    reports = selectors.report_list_public()
    if ids := params.get("service_request_id"):
        # The spec: a list of ids overrides every other argument.
        numbers = tuple(n.strip() for n in ids.split(",") if n.strip())
        reports = selectors.report_list_public(filters=selectors.ReportFilter(numbers=numbers))
    else:
        if code := params.get("service_code"):
            codes = [c.strip() for c in code.split(",") if c.strip()]
            reports = reports.filter(category__code__in=codes)
        if status := params.get("status"):
            wanted = {s.strip() for s in status.split(",")}
            if not wanted <= {"open", "closed"}:
                return error(fmt, 400, _("status muss open, closed oder open,closed sein"))
            if wanted == {"open"}:
                reports = reports.exclude(status__in=CLOSED)
            elif wanted == {"closed"}:
                reports = reports.filter(status__in=CLOSED)
        start = end = None
        for name in ("start_date", "end_date"):
            if value := params.get(name):
                parsed = _parse_when(value, end=name == "end_date")
                if parsed is None:
                    return error(
                        fmt,
                        400,
                        _("%(name)s muss ein W3C-Zeitpunkt sein, z. B. 2026-11-01T00:00:00Z")
                        % {"name": name},
                    )
                start, end = (parsed, end) if name == "start_date" else (start, parsed)
        if start is None and end is None:
            start = timezone.now() - DEFAULT_WINDOW
        if start and end and start > end:
            return error(fmt, 400, _("start_date darf nicht nach end_date liegen"))
        if start:
            reports = reports.filter(created_at__gte=start)
        if end:
            reports = reports.filter(created_at__lte=end)
        if bbox := params.get("bbox"):
            try:
                box = parse_bbox(bbox)
            except serializers.ValidationError:
                return error(fmt, 400, _("bbox muss west,south,east,north in WGS84-Grad sein"))
            reports = selectors.report_list_public(filters=selectors.ReportFilter(bbox=box)).filter(
                pk__in=reports.values("pk")
            )
        try:
            near = _near(params)
        except ValueError as exc:
            return error(fmt, 400, str(exc))
        if near:
            reports = reports.near(*near)
    found = list(reports[:MAX_REQUESTS])
    urls = _photo_urls(request, found)
    return respond([_request(request, r, urls) for r in found], fmt, "service_requests")


def _near(params) -> tuple | None:
    """(point, metres) from lat, long and radius, or None; ValueError names the bad one."""
    lat, lon, radius = params.get("lat"), params.get("long"), params.get("radius")
    if lat is None and lon is None:
        if radius is not None:
            raise ValueError(_("radius braucht lat und long"))
        return None
    try:
        lat_f, lon_f = float(lat or ""), float(lon or "")
    except ValueError as exc:
        raise ValueError(_("lat und long müssen beide Dezimalgrad sein (WGS84)")) from exc
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise ValueError(_("lat und long müssen endliche Dezimalgrad sein (WGS84)"))
    point = point_from_lonlat(lon=lon_f, lat=lat_f)  # OutsideServiceArea is a ValueError
    metres = DEFAULT_RADIUS_M
    if radius is not None:
        try:
            metres = float(radius)
        except ValueError as exc:
            raise ValueError(_("radius muss eine Zahl von Metern sein")) from exc
        if not (math.isfinite(metres) and 0 < metres <= MAX_RADIUS_M):
            raise ValueError(
                _("radius muss größer als 0 und höchstens %(max)s Meter sein")
                % {"max": MAX_RADIUS_M}
            )
    return point, metres


def _message(exc: services.ReportSubmitError, data: dict) -> tuple[int, str]:
    """The status and the spec-style message for an intake error, in Open311's parameter names."""
    code = {"code": repr(data["service_code"])}
    address = {"address": repr(data["address_string"])}
    messages = {
        ("category", "required"): _("service_code ist nötig"),
        ("category", "unknown"): _("service_code %(code)s nicht gefunden") % code,
        ("category", "not_leaf"): _("service_code %(code)s nicht gefunden") % code,
        ("email", "required"): _(
            "email ist nötig: der Meldende bestätigt und verfolgt die Meldung per E-Mail"
        ),
        ("email", "invalid"): _("email ist keine gültige Adresse"),
        ("description", "required"): _("description ist nötig"),
        ("location", "required"): _("ein Ort ist nötig: lat und long oder address_string"),
        ("location", "address_unknown"): _("address_string %(address)s nicht gefunden") % address,
        ("location", "address_unsure"): _(
            "address_string %(address)s ist nicht eindeutig; senden Sie lat und long oder eine "
            "dieser Adressen: %(candidates)s"
        )
        % {**address, "candidates": "; ".join(hit.label for hit in exc.candidates)},
        ("location", "address_elsewhere"): _(
            "address_string %(address)s liegt nicht im Gebiet, lat und long aber schon; "
            "senden Sie nur eines oder beide für denselben Ort"
        ) % address,
        ("location", "address_area"): _(
            "address_string %(address)s ist ein Gebiet, kein Ort; senden Sie lat und long "
            "oder Straße und Hausnummer"
        ) % address,
        ("location", "address_unavailable"): _(
            "address_string kann noch nicht nachgeschlagen werden (kein Straßenverzeichnis); "
            "senden Sie lat und long"
        ),
        ("api_key", "forbidden"): _("api_key fehlt oder ist nicht gültig"),
    }
    status = {"forbidden": 403, "unknown": 404, "not_leaf": 404}.get(exc.code, 400)
    message = messages.get((exc.field, exc.code), exc.message)
    if exc.code == "address_unsure" and exc.reason:
        # The search's reason says what to fix ("„Hauptstraße“ liegt nicht im
        # Postleitzahlgebiet 50667."); the list of candidates alone did not.
        message = f"{message} ({exc.reason})"
    return status, message


def _create(request, fmt: str):
    """The Open311 adapter of `services.report_submit`."""
    # Authenticate before parsing, so a client without a key hears 403, not field errors.
    api_key = selectors.api_key_active(key=request.POST.get("api_key", ""))
    if api_key is None:
        return error(fmt, 403, _("api_key fehlt oder ist nicht gültig"))
    serializer = RequestCreateSerializer(data=request.POST)
    if not serializer.is_valid():
        first = next(iter(serializer.errors.values()))
        return error(fmt, 400, str(first[0]))
    data = serializer.validated_data
    name = " ".join(p for p in (data["first_name"], data["last_name"]) if p).strip()
    try:
        report = services.report_submit(
            category=data["service_code"],
            location=services.Location(
                lat=data["lat"], lon=data["long"], address=data["address_string"].strip()
            ),
            description=data["description"],
            contact=services.ContactData(email=data["email"], name=name, phone=data["phone"]),
            source="open311",
            api_key=api_key,
        )
    except services.ReportSubmitError as exc:
        return error(fmt, *_message(exc, data))
    if report.is_public:
        body = [{"service_request_id": report.number, "service_notice": "", "account_id": None}]
    else:
        notice = _(
            "Der Meldende erhält eine E-Mail; nach Bestätigung wird die Meldung veröffentlicht."
        )
        body = [{"token": report.token, "service_notice": notice, "account_id": None}]
    return respond(body, fmt, "service_requests", status=201)


@require_GET
def request_detail(request, request_id: str, fmt: str):
    if bad := _fmt_or_error(fmt):
        return bad
    report = selectors.report_get_public(number=request_id)
    if report is None:
        return error(
            fmt, 404, _("service_request_id %(id)s nicht gefunden") % {"id": repr(request_id)}
        )
    return respond(
        [_request(request, report, _photo_urls(request, [report]))], fmt, "service_requests"
    )


@require_GET
def token_detail(request, token: str, fmt: str):
    if bad := _fmt_or_error(fmt):
        return bad
    report = selectors.report_get_by_token(token=token)
    if report is None:
        return error(fmt, 404, _("token nicht gefunden"))
    request_id = report.number if report.published_at else None
    return respond([{"service_request_id": request_id, "token": token}], fmt, "service_requests")
