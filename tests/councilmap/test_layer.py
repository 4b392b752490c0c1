"""Council places as an OGC layer: deleted papers and matched text stay out."""

import pytest

from councilmap.models import PaperLocation

pytestmark = pytest.mark.django_db


def test_places_of_live_papers_only_and_no_matched_text(client, council):
    live = PaperLocation.objects.filter(paper__deleted=False)
    body = client.get("/ogcapi/collections/council_places/items", {"f": "json", "limit": 500})
    body = body.json()
    assert body["numberMatched"] == live.count()
    assert body["features"]
    for feature in body["features"]:
        assert "matched_text" not in feature["properties"]
        assert set(feature["properties"]) == {"paper_id", "name", "source", "precision",
                                              "confidence"}
