"""The admin's geometry editor in Chromium, under the site's CSP: OpenLayers from our own static
files, the portal's own base map, no request to another origin, and a point moved on the map is
stored (EPSG:25832).

Django's widgets loaded OpenLayers from cdn.jsdelivr.net and OpenStreetMap's tiles; the CSP
refused both ("ol is not defined"), so no admin form showed a map."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.contrib.gis.forms import GeometryField
from django.contrib.gis.geos import Point
from django.test import RequestFactory
from playwright.sync_api import expect

from councilmap.models import (
    Body,
    LocationSource,
    Paper,
    PaperLocation,
    PlacementReview,
    PlacePrecision,
)
from councilmap.services import paper_locations_rebuild
from geoportal.models import Area, AreaKind
from geoportal.widgets import PortalMapWidget
from reports.models import Report
from tests.reports.conftest import category, koeln, lonlat, make_report  # noqa: F401

ARTIFACTS = Path(settings.BASE_DIR) / "var/test-artifacts/admin-map"
PASSWORD = "password"  # pytest-django's admin_user

# The widget's instance (geoportal/admin-map.js keeps it on the wrapper) and its map.
WIDGET = "document.getElementById(id).geoportalWidget"
SHOWN = f"""id => {{
    const w = {WIDGET};
    if (!w || !w.map.isRendered()) return false;
    const features = w.featureOverlay.getSource().getFeatures();
    if (features.length !== 1) return false;
    const pixel = w.map.getPixelFromCoordinate(features[0].getGeometry().getFirstCoordinate());
    // Hit detection reads the drawn canvas: the geometry is on the map, not only in the data.
    return w.map.getFeaturesAtPixel(pixel, {{hitTolerance: 3,
        layerFilter: layer => layer === w.featureOverlay}}).length === 1;
}}"""
PIXEL = f"""id => {{
    const w = {WIDGET};
    const geometry = w.featureOverlay.getSource().getFeatures()[0].getGeometry();
    return w.map.getPixelFromCoordinate(geometry.getFirstCoordinate());
}}"""
STARTED = f"id => {{ const w = {WIDGET}; return Boolean(w) && w.map.isRendered(); }}"
COORDINATE = f"([id, pixel]) => {WIDGET}.map.getCoordinateFromPixel(pixel)"
# The review's read-only map of candidates: every one drawn; returns where the last one lies.
CANDIDATES = """count => {
    const m = document.getElementById("review_candidates_map").geoportalMap;
    if (!m || !m.map.isRendered()) return false;
    const features = m.overlay.getSource().getFeatures();
    if (features.length !== count) return false;
    const last = features[features.length - 1];
    const pixel = m.map.getPixelFromCoordinate(last.getGeometry().getLineString(0)
                                                   .getCoordinateAt(0.5));
    const hit = m.map.getFeaturesAtPixel(pixel, {hitTolerance: 3,
        layerFilter: layer => layer === m.overlay});
    return hit.length ? {label: last.get("label"), pixel: pixel} : false;
}"""


def test_every_geometry_field_of_the_admin_gets_the_portal_widget(admin_user):
    """Django's own widgets fetch OpenLayers and tiles from other origins: none may be left."""
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    checked = []
    for model_admin in site._registry.values():
        forms = [model_admin.get_form(request)]
        forms += [i.get_formset(request).form for i in model_admin.get_inline_instances(request)]
        for form in forms:
            for name, field in form.base_fields.items():
                if isinstance(field, GeometryField):
                    checked.append(f"{form._meta.model.__name__}.{name}")
                    assert isinstance(field.widget, PortalMapWidget), checked[-1]
    assert {"Area.geom", "Report.geom", "PaperLocation.geom", "Street.geom"} <= set(checked)


def _watch(page, live_server):
    foreign, errors, tiles = [], [], []

    def request(r):
        if not r.url.startswith((live_server.url, "data:", "blob:")):
            foreign.append(r.url)
        elif "/basemap/" in r.url:
            tiles.append(r.url)

    page.on("request", request)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return foreign, errors, tiles


def _login(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")


def _open(page, url, wrapper, shot):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_function(SHOWN, arg=wrapper)
    assert page.locator(f"#{wrapper} .ol-viewport canvas").count() >= 1
    page.wait_for_load_state("networkidle")  # the base map's tiles, for the screenshot
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(f"#{wrapper}").screenshot(path=str(ARTIFACTS / f"{shot}.png"))


def _drag_point(page, wrapper, dx=60, dy=-40):
    """Drags the point by (dx, dy) pixels; returns where it went (EPSG:3857)."""
    page.locator(f"#{wrapper}").scroll_into_view_if_needed()
    x, y = page.evaluate(PIXEL, wrapper)
    box = page.locator(f"#{wrapper} .ol-viewport").bounding_box()
    start = (box["x"] + x, box["y"] + y)
    page.mouse.move(*start)
    page.mouse.move(start[0] + 1, start[1] + 1)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + dx, start[1] + dy, steps=10)
    page.mouse.up()
    target = page.evaluate(COORDINATE, [wrapper, [x + dx, y + dy]])
    return Point(*target, srid=3857).transform(25832, clone=True)


def _save(page):
    page.click("input[name=_save]")
    page.wait_for_load_state()
    problems = page.evaluate("""() => [...document.querySelectorAll('.errorlist')].map(
        e => (e.closest('[class*=field-]') || e.parentElement).className + ': ' + e.innerText)""")
    assert not problems, problems
    page.wait_for_selector(".messagelist .success")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_see_and_move_geometries_on_the_portals_own_map(
    page, live_server, admin_user, make_report  # noqa: F811
):
    report = make_report()
    body = Body.objects.create(oparl_id="https://example.org/body/1", name="Stadt Köln")
    paper = Paper.objects.create(oparl_id="https://example.org/paper/widget", body=body,
                                 name="Anfrage zur Hauptstraße")
    paper_locations_rebuild(paper=paper, oparl_places=None)
    place = PaperLocation.objects.create(paper=paper, name="Bürgerhaus Stollwerck",
                                         precision=PlacePrecision.POINT,
                                         geom=Point(356700, 5642300, srid=25832))
    district = Area.objects.filter(kind=AreaKind.DISTRICT).order_by("name").first()
    foreign, errors, tiles = _watch(page, live_server)
    _login(page, live_server)

    # An area: a multipolygon drawn over the city's own base map.
    area = f"{live_server.url}/admin/geoportal/area/{district.pk}/change/"
    _open(page, area, "id_geom_div_map", "area")
    assert tiles, "the base map comes from the portal's own /basemap/ tiles"

    # A report's point, moved and saved: the form field stores it in the model's SRID.
    url = f"{live_server.url}/admin/reports/report/{report.pk}/change/"
    _open(page, url, "id_geom_div_map", "report")
    moved = _drag_point(page, "id_geom_div_map")
    _save(page)
    report = Report.objects.get(pk=report.pk)
    assert report.geom.srid == 25832
    assert report.geom.distance(moved) < 5, (report.geom.ewkt, moved.ewkt)

    # The council place editor: a paper's place in the inline, moved, becomes staff's own.
    wrapper = "id_locations-0-geom_div_map"
    url = f"{live_server.url}/admin/councilmap/paper/{paper.pk}/change/"
    _open(page, url, wrapper, "paper-place")
    moved = _drag_point(page, wrapper, dx=-50, dy=30)
    _save(page)
    place.refresh_from_db()
    assert place.source == LocationSource.MANUAL
    assert place.geom.transform(25832, clone=True).distance(moved) < 5

    # A new place: a click on the empty form's map draws it; a row added later has a map too.
    assert page.goto(url).status == 200
    page.click(".inline-group .add-row a")
    page.wait_for_function(STARTED, arg="id_locations-2-geom_div_map")  # "formset:added"
    wrapper = "id_locations-1-geom_div_map"
    page.wait_for_function(STARTED, arg=wrapper)
    page.locator(f"#{wrapper}").scroll_into_view_if_needed()
    box = page.locator(f"#{wrapper} .ol-viewport").bounding_box()
    pixel = [box["width"] / 2 + 30, box["height"] / 2 - 20]
    page.mouse.click(box["x"] + pixel[0], box["y"] + pixel[1])
    drawn = page.evaluate(COORDINATE, [wrapper, pixel])
    page.fill("#id_locations-1-name", "Neuer Ort")
    page.select_option("#id_locations-1-precision", "point")
    _save(page)
    added = paper.locations.get(name="Neuer Ort")
    assert added.source == LocationSource.MANUAL
    assert added.geom.distance(Point(*drawn, srid=3857).transform(25832, clone=True)) < 5

    # The placement review: the candidates on the map; a click on one chooses it.
    review = PlacementReview.objects.get(paper=paper)
    url = f"{live_server.url}/admin/councilmap/placementreview/{review.pk}/change/"
    assert page.goto(url).status == 200
    page.locator("#review_candidates_map").scroll_into_view_if_needed()
    last = page.wait_for_function(CANDIDATES, arg=len(review.candidates)).json_value()
    page.wait_for_load_state("networkidle")
    page.locator("#review_candidates_map").screenshot(path=str(ARTIFACTS / "review.png"))
    box = page.locator("#review_candidates_map").bounding_box()
    page.mouse.click(box["x"] + last["pixel"][0], box["y"] + last["pixel"][1])
    # OpenLayers waits for a possible double click before it calls a click a click.
    expect(page.locator("#id_choice")).to_have_value(last["label"])
    _save(page)
    assert paper.locations.get(name=last["label"]).source == LocationSource.MANUAL

    assert foreign == [], foreign[:5]
    assert errors == [], errors[:5]


# A read-only map of one geometry: drawn, and hit where the geometry is.
READ_ONLY = """id => {
    const m = document.getElementById(id)?.geoportalMap;
    if (!m || !m.map.isRendered()) return false;
    const features = m.overlay.getSource().getFeatures();
    if (features.length !== 1) return false;
    const geometry = features[0].getGeometry();
    const at = geometry.getType().endsWith("Polygon")
        ? geometry.getPolygon(0).getLinearRing(0).getFirstCoordinate()
        : geometry.getFirstCoordinate();
    const pixel = m.map.getPixelFromCoordinate(at);
    return m.map.getFeaturesAtPixel(pixel, {hitTolerance: 3,
        layerFilter: layer => layer === m.overlay}).length === 1 && geometry.getType();
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_view_only_user_sees_geometries_on_a_read_only_map(page, live_server, django_user_model):
    """Django shows a geometry the user may not change as raw WKT (for a district kilobytes of
    numbers); a view-only user gets the portal's map instead, for an inline's place too."""
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password=PASSWORD, is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__in=[
        "view_area", "view_paper", "view_paperlocation"]))
    paper = Paper.objects.create(oparl_id="https://example.org/paper/view-only", name="Ort")
    PaperLocation.objects.create(paper=paper, name="Bürgerhaus Stollwerck",
                                 precision=PlacePrecision.POINT,
                                 geom=Point(356700, 5642300, srid=25832))
    district = Area.objects.filter(kind=AreaKind.DISTRICT).order_by("name").first()
    foreign, errors, tiles = _watch(page, live_server)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "viewer")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")

    shots = (
        (f"/admin/geoportal/area/{district.pk}/change/", f"area_{district.pk}_geom_map",
         "MultiPolygon", "area-view-only"),
        (f"/admin/councilmap/paper/{paper.pk}/change/",
         f"paperlocation_{paper.locations.get().pk}_geom_map", "Point", "paper-place-view-only"),
    )
    for url, element, geometry_type, shot in shots:
        assert page.goto(live_server.url + url).status == 200, url
        assert page.locator("input[name=_save]").count() == 0  # positive control: view-only
        page.locator(f"#{element}").scroll_into_view_if_needed()
        assert page.wait_for_function(READ_ONLY, arg=element).json_value() == geometry_type
        text = page.locator("#content-main").inner_text()
        assert "POLYGON" not in text and "POINT" not in text, url
        page.wait_for_load_state("networkidle")
        page.locator(f"#{element}").screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    assert tiles, "the base map comes from the portal's own /basemap/ tiles"
    assert foreign == [], foreign[:5]
    assert errors == [], errors[:5]
