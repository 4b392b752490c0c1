"""Crew pages, the change API and the PWA files. Thin: validate, call one service or
selector, render. Anonymous users are sent to the login page (pages) or get 403 JSON (API);
reports outside the user's offices are 404 for pages and API alike."""

import json
import uuid
from functools import wraps

from django.contrib.auth import views as auth_views
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from geoportal.geo import OutsideServiceArea, point_from_lonlat
from reports.photos import PhotoError, photo_clean
from reports.selectors import category_leaves

from . import selectors, services
from .forms import BulkForm, ChangeForm
from .models import OPEN_STAGES, ChangeOutcome, Role, Stage


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('crews:login')}?next={request.get_full_path()}")
        if not selectors.staff_office_ids(user=request.user):
            raise PermissionDenied("Ihr Konto gehört zu keinem Amt.")
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    template_name = "crews/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("crews:queue")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Messages to this member follow the language they work in (crew notifications).
        services.staff_language_set(user=form.get_user(),
                                    language=translation.get_language() or "")
        return response


def _position(request) -> tuple[Point | None, str]:
    lat, lon = request.GET.get("lat", ""), request.GET.get("lon", "")
    if not lat or not lon:
        return None, ""
    try:
        return point_from_lonlat(lon=float(lon), lat=float(lat)), ""
    except (ValueError, OutsideServiceArea):
        return None, gettext("Die Position liegt nicht im Gebiet des Portals; sortiert nach Alter.")


@staff_required
def queue(request):
    point, error = _position(request)
    stages = tuple(s for s in request.GET.getlist("stage") if s in Stage.values)
    order = request.GET.get("order", "distance")
    filters = selectors.QueueFilter(
        stages=stages or tuple(OPEN_STAGES),
        category=request.GET.get("category", ""),
        order=order if order in ("distance", "age", "priority") else "distance",
        point=point,
        mine=request.GET.get("mine") == "1",
    )
    reports = selectors.report_queue(user=request.user, filters=filters)
    for report in reports:
        lonlat = report.geom.transform(4326, clone=True)
        report.lon, report.lat = f"{lonlat.x:.6f}", f"{lonlat.y:.6f}"
        report.stage_label = Stage(report.stage).label
    return render(
        request,
        "crews/queue.html",
        {
            "reports": reports,
            "filters": filters,
            "position_error": error,
            "forwarded": request.GET.get("weitergeleitet") == "1",
            "stages": Stage.choices,
            "categories": category_leaves(),
            "lead_offices": selectors.staff_offices(
                user=request.user, roles=(Role.LEAD, Role.ADMIN)
            ),
            "lat": request.GET.get("lat", ""),
            "lon": request.GET.get("lon", ""),
            "new_for_me": selectors.crew_notices_unseen(user=request.user),
        },
    )


# The HTTP answer to each stored outcome of a change (a replay gets the same).
OUTCOME_STATUS = {
    ChangeOutcome.DONE.value: 200,
    ChangeOutcome.CONFLICT.value: 409,
    ChangeOutcome.INVALID.value: 400,
}


def _report_or_404(request, report_id: int):
    report = selectors.report_get_for_staff(user=request.user, report_id=report_id)
    if report is None:
        raise Http404("Keine Meldung Ihrer Ämter.")
    return report


def _apply(request, report_id: int) -> tuple[int, dict]:
    """Validate one change and run it at most once (by its key); (HTTP status, JSON body)."""
    if request.content_type == "application/json":
        try:
            data, files = json.loads(request.body or b"{}"), None
        except ValueError:
            return 400, {"error": gettext("Ungültiges JSON.")}
        if not isinstance(data, dict):
            return 400, {"error": gettext("Ein JSON-Objekt erwartet.")}
    else:
        data, files = request.POST, request.FILES
    form = ChangeForm(data, files)
    if not form.is_valid():
        return 400, {"error": gettext("Ungültige Eingabe."), "fields": form.errors.get_json_data()}
    d = form.cleaned_data
    photo = None
    if d.get("photo"):
        try:
            d["photo"].seek(0)
            photo = photo_clean(data=d["photo"].read())
        except PhotoError as exc:
            return 400, {"error": str(exc), "field": "photo"}
    user = request.user

    def run() -> dict:
        if d["action"] == "forward":
            services.work_forward(
                user=user,
                report_id=report_id,
                office_id=d["office"].pk if d["office"] else 0,
                reason=d["reason"],
                version=d["version"],
            )
        elif d["action"] == "note":
            services.work_note_add(user=user, report_id=report_id, text=d["internal_note"])
        else:
            services.work_transition(
                user=user,
                report_id=report_id,
                stage=d["stage"],
                version=d["version"],
                public_note=d["public_note"],
                internal_note=d["internal_note"],
                duplicate_of=d["duplicate_of"],
                external_body=d["external_body"],
                photo=photo,
            )
        return _state(report_id=report_id, user=user)

    try:
        outcome, body = services.change_apply_once(
            key=str(d["key"]), user=user, report_id=report_id, run=run
        )
        return OUTCOME_STATUS[str(outcome)], body
    except services.CrewError as exc:
        return 400, {"error": str(exc), "field": exc.field}


def _state(*, report_id: int, user) -> dict:
    report = selectors.report_get_for_staff(user=user, report_id=report_id)
    if report is None:  # forwarded to an office the user is not a member of
        return {"id": report_id, "visible": False}
    return {
        "id": report.pk,
        "number": report.number,
        "stage": report.stage,
        "stage_label": str(Stage(report.stage).label),
        "status": report.status,
        "version": report.version,
        "office": report.office.name,
        "visible": True,
    }


def _forwarded_away():
    # The change handed the report to an office this user is not in: its page is no longer theirs.
    return redirect(f"{reverse('crews:queue')}?weitergeleitet=1")


@staff_required
def detail(request, report_id: int):
    # A page script's own reload after a forward lands here; the report left this user's list.
    if (
        request.method == "GET"
        and request.GET.get("gespeichert")
        and selectors.report_get_for_staff(user=request.user, report_id=report_id) is None
    ):
        return _forwarded_away()
    report = _report_or_404(request, report_id)
    message, error, status = "", "", 200
    if request.method == "POST":
        try:
            code, body = _apply(request, report_id)
        except services.ReportNotFound as exc:
            raise Http404(str(exc)) from exc
        if code == 200:
            if not body.get("visible", True):
                return _forwarded_away()
            return redirect(f"{reverse('crews:detail', args=[report_id])}?gespeichert=1")
        error, status = body.get("error", "Fehler."), code
        if body.get("fields"):
            error += " " + "; ".join(
                f"{name}: {e[0]['message']}" for name, e in body["fields"].items()
            )
        report = _report_or_404(request, report_id)
    elif request.GET.get("gespeichert"):
        message = "Gespeichert."
    if request.method == "GET":
        services.crew_notices_seen(user=request.user, report_id=report_id)
    lonlat = report.geom.transform(4326, clone=True)
    context = {
        "report": report,
        "stage_label": str(Stage(report.stage).label),
        "next_stages": [
            (s, Stage(s).label) for s in Stage.values if s in services.TRANSITIONS[report.stage]
        ],
        "photos": list(report.photos.all()),
        "history": selectors.report_history_for_staff(report=report),
        "notes": selectors.report_internal_notes(report=report),
        "nearby": selectors.report_nearby_for_staff(user=request.user, report=report),
        "offices": selectors.all_offices_except(office_id=report.office_id),
        "key": uuid.uuid4(),
        "key_forward": uuid.uuid4(),
        "message": message,
        "error": error,
        "lat": f"{lonlat.y:.6f}",
        "lon": f"{lonlat.x:.6f}",
    }
    return render(request, "crews/detail.html", context, status=status)


@require_POST
def api_change(request, report_id: int):
    """POST a change (multipart or JSON): key, version, action, stage, notes, photo."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": gettext("Anmeldung erforderlich.")}, status=403)
    try:
        code, body = _apply(request, report_id)
    except services.ReportNotFound as exc:
        return JsonResponse({"error": str(exc)}, status=404)
    return JsonResponse(body, status=code)


def api_state(request, report_id: int):
    if not request.user.is_authenticated:
        return JsonResponse({"error": gettext("Anmeldung erforderlich.")}, status=403)
    if selectors.report_get_for_staff(user=request.user, report_id=report_id) is None:
        return JsonResponse({"error": gettext("Keine Meldung Ihrer Ämter.")}, status=404)
    return JsonResponse(_state(report_id=report_id, user=request.user))


@staff_required
def dashboard(request, office_id: int):
    office = (
        selectors.staff_offices(user=request.user, roles=(Role.LEAD, Role.ADMIN))
        .filter(pk=office_id)
        .first()
    )
    if office is None:
        raise Http404("Kein Amt, das Sie leiten.")
    reports = list(
        selectors.reports_for_staff(user=request.user)
        .filter(office=office, stage__in=OPEN_STAGES)
        .select_related("category", "work__assignee")
        .order_by("created_at")[:300]
    )
    members = selectors.office_members(office=office)
    form = BulkForm(request.POST or None, reports=reports, members=members)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                if d["action"] == "assign":
                    services.work_assign(
                        user=request.user, report_ids=d["reports"], assignee_id=d["assignee"]
                    )
                else:
                    services.work_bulk_transition(
                        user=request.user,
                        report_ids=d["reports"],
                        stage=d["stage"],
                        public_note=d["public_note"],
                    )
                return redirect("crews:dashboard", office_id=office.pk)
            except services.CrewError as exc:
                error = str(exc)
            except services.ReportNotFound as exc:
                raise Http404(str(exc)) from exc
        else:
            error = gettext("Bitte Meldungen und eine gültige Aktion wählen.")
    return render(
        request,
        "crews/dashboard.html",
        {
            "office": office,
            "stats": selectors.office_dashboard(office=office),
            "reports": reports,
            "members": members,
            "stages": Stage.choices,
            "error": error,
        },
        status=400 if error else 200,
    )


def service_worker(request):
    response = HttpResponse(
        render_to_string(
            "crews/sw.js",
            # The one text the worker shows itself: a page neither online nor in its cache.
            {"offline_text": gettext("Offline und nicht im Zwischenspeicher.")},
            request=request,
        ),
        content_type="application/javascript",
    )
    # The worker must never be cached itself, or a fix would not reach the tablets.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/einsatz/"
    return response


def manifest(request):
    return JsonResponse(
        {
            "name": "Mängelmelder Einsatz",
            "short_name": "Einsatz",
            "start_url": reverse("crews:queue"),
            "scope": "/einsatz/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#003366",
            "icons": [],
        },
        content_type="application/manifest+json",
    )
