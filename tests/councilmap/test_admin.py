"""Staff corrections in the admin: whatever staff save is `manual` and survives re-import."""

import pytest
from django.contrib.gis.geos import Point

from councilmap.models import LocationSource, Paper, PaperLocation

from .conftest import import_folder

pytestmark = pytest.mark.django_db


def test_place_added_in_admin_is_manual_and_survives_reimport(admin_client, fixtures_dir):
    path = fixtures_dir / "oparl" / "koeln-demo"
    import_folder(path)
    paper = Paper.objects.get(name__contains="Bürgerhaus Stollwerck")
    assert admin_client.get(f"/admin/councilmap/paper/{paper.pk}/change/").status_code == 200
    response = admin_client.post(
        "/admin/councilmap/paperlocation/add/",
        {
            "paper": paper.pk, "source": "extracted", "precision": "point",
            "name": "Bürgerhaus Stollwerck", "matched_text": "", "confidence": "0.3",
            "oparl_id": "", "geom": "SRID=25832;POINT(356700 5642300)",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place = PaperLocation.objects.get(paper=paper)
    assert place.source == LocationSource.MANUAL and place.confidence == 1.0
    assert place.geom.transform(25832, clone=True).distance(Point(356700, 5642300)) < 0.5
    import_folder(path, full=True, regeocode=True)
    assert PaperLocation.objects.filter(pk=place.pk, source=LocationSource.MANUAL).exists()


def _change_form_data(html: str) -> dict:
    """The change form's fields as the browser would send them unchanged."""
    from lxml import html as lxml_html

    form = lxml_html.fromstring(html).get_element_by_id("paper_form")
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, value)
    return data


def test_a_paper_imported_without_a_body_can_be_saved(admin_client):
    """OParl papers may come without `body` (the column is nullable); staff must still be able
    to correct one, not be stopped by "This field is required"."""
    paper = Paper.objects.create(oparl_id="https://ris.test/paper/no-body", name="Radweg",
                                 reference="1/2026")
    url = f"/admin/councilmap/paper/{paper.pk}/change/"
    data = _change_form_data(admin_client.get(url).content.decode())
    assert data["body"] == ""
    data["reference"] = "2/2026"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    paper.refresh_from_db()
    assert paper.reference == "2/2026" and paper.body is None
