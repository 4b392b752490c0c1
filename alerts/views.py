"""Citizen pages of alerts: subscribe, confirm, change, unsubscribe (one click, RFC 8058)."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from geoportal.forms import address_pick_apply, address_point_stale_dropped
from geoportal.geo import OutsideServiceArea, point_from_lonlat
from geoportal.kinds import AreaKind
from geoportal.selectors import Precision, area_covering, area_list, geocode_address

from . import selectors, services
from .forms import SubscriptionForm, TopicsForm
from .models import AreaType


def _initial(request) -> dict:
    """Pre-fill from where the user came: a point (map, report, FNP) or an area (council map)."""
    initial = {}
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        pass
    else:
        initial.update(lat=lat, lon=lon, area_type=AreaType.CIRCLE)
    if request.GET.get("area"):
        initial.update(area=request.GET["area"], area_type=AreaType.AREA)
    if request.GET.get("address"):
        initial["address"] = request.GET["address"][:200]
    topic = request.GET.get("topic")
    initial["topics"] = [topic] if topic else ["reports", "council", "landuse"]
    return initial


def _where(form: SubscriptionForm, candidates: list) -> services.AreaChoice | None:
    data = form.cleaned_data
    kind = data["area_type"]
    if kind == AreaType.AREA:
        area = area_list().filter(
            code=data.get("area") or "", kind__in=[AreaKind.DISTRICT, AreaKind.QUARTER]
        ).first()
        if area is None:
            form.add_error("area", _("Bitte einen Stadtbezirk oder Stadtteil wählen."))
            return None
        return services.AreaChoice(area=area)
    if kind == AreaType.POLYGON:
        if not data.get("polygon"):
            form.add_error("polygon", _("Bitte eine Fläche auf der Karte zeichnen."))
            return None
        polygon = services.polygon_from_geojson(text=data["polygon"],
                                                srid=settings.GEOPORTAL_SRID)
        return services.AreaChoice(polygon=polygon)
    radius = data.get("radius_m") or 500
    try:
        if data.get("lat") is not None and data.get("lon") is not None:
            point = point_from_lonlat(lon=data["lon"], lat=data["lat"])
            label = data.get("address") or ""
        elif data.get("address"):
            answer = geocode_address(query=data["address"])
            if answer.hit is None:
                form.add_error("address", answer.problem)
                # An area picked there became the middle of a circle as well.
                candidates.extend(c for c in answer.candidates if c.precision != Precision.AREA)
                return None
            if answer.hit.precision == Precision.AREA:
                # "Köln" became "500 m um Köln (Gemeinde)" around the city's middle: a citizen
                # who asked for the city got a few streets of the Altstadt (outside tryout, #13).
                form.add_error("address", _(
                    "%(area)s ist ein Gebiet, kein Mittelpunkt für einen Umkreis. Für einen "
                    "Stadtbezirk oder Stadtteil wählen Sie oben „Stadtbezirk oder Stadtteil“; "
                    "für einen Umkreis geben Sie Straße und Hausnummer ein."
                ) % {"area": answer.hit.label})
                return None
            point = point_from_lonlat(lon=answer.hit.lon, lat=answer.hit.lat)
            label = answer.hit.label
        else:
            form.add_error("address", _("Bitte eine Adresse angeben oder einen Punkt auf der "
                                        "Karte setzen."))
            return None
    except OutsideServiceArea as exc:
        form.add_error("address", str(exc))
        return None
    if not label:
        quarter = area_covering(point=point, kind=AreaKind.QUARTER)
        label = quarter.name if quarter else ""
    label = _("%(r)s m um %(place)s") % {"r": radius, "place": label} if label else ""
    return services.AreaChoice(center=point, radius_m=radius, label=label)


def subscription_new(request):
    data = (
        address_point_stale_dropped(address_pick_apply(request.POST))
        if request.method == "POST" else None
    )
    form = SubscriptionForm(data, initial=_initial(request))
    candidates: list = []
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            return redirect("alerts:sent")  # a bot: say nothing, store nothing
        try:
            where = _where(form, candidates)
            if where is not None:
                services.subscription_create(
                    email=form.cleaned_data["email"], where=where,
                    topics=form.cleaned_data["topics"],
                    frequency=form.cleaned_data["frequency"], language=get_language() or "de",
                )
                return redirect("alerts:sent")
        except services.SubscriptionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
    status = 400 if request.method == "POST" else 200
    return render(request, "alerts/new.html", {"form": form, "candidates": candidates},
                  status=status)


def subscription_sent(request):
    return render(request, "alerts/sent.html")


def subscription_confirm(request, token: str):
    subscription = selectors.subscription_by_token(token=token)
    if subscription is None:
        raise Http404
    # Confirming needs a POST: mail scanners that open links must not confirm for the user.
    if request.method == "POST":
        services.subscription_confirm(token=token)
        return redirect("alerts:manage", token=token)
    return render(request, "alerts/confirm.html", {"subscription": subscription})


def subscription_manage(request, token: str):
    subscription = selectors.subscription_by_token(token=token)
    if subscription is None:
        raise Http404
    form = TopicsForm(request.POST or None, initial={
        "topics": subscription.topics, "frequency": subscription.frequency,
    })
    saved = False
    if request.method == "POST" and form.is_valid():
        services.subscription_update(subscription=subscription,
                                     topics=form.cleaned_data["topics"],
                                     frequency=form.cleaned_data["frequency"])
        saved = True
    return render(request, "alerts/manage.html",
                  {"subscription": subscription, "form": form, "saved": saved})


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" without a token
def subscription_unsubscribe(request, token: str):
    if request.method == "POST":
        deleted = services.subscription_delete(token=token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=200 if deleted else 404)
        return render(request, "alerts/unsubscribed.html", status=200 if deleted else 404)
    if selectors.subscription_by_token(token=token) is None:
        return render(request, "alerts/unsubscribed.html", status=404)
    return render(request, "alerts/unsubscribe.html", {"token": token})
