"""Atom and RSS feeds: valid against RFC 4287's RELAX NG schema (tests/alerts/atom.rnc) plus
what its Schematron rules and readers need (an author, unique stable ids, absolute links), RSS
2.0's required elements, the filters, no personal data, linked from the pages."""

from datetime import datetime
from functools import cache
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from councilmap.models import Paper
from councilmap.services import paper_location_create_manual
from geoportal.geo import point_from_lonlat
from geoportal.models import AreaKind
from geoportal.selectors import area_covering
from reports.services import report_status_change

from .conftest import DOM, EHRENFELD

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SECRETS = ("Zacharias Geheimname", "zacharias.geheim@example.org", "+49 170 9998887")


def _rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@cache
def atom_schema() -> etree.RelaxNG:
    """RFC 4287's compact schema, converted by rnc2rng (lxml's way to read the compact syntax).
    rnc2rng declares the RFC's `namespace local = ""` as xmlns:local="", which XML forbids
    (a prefix cannot be bound to no namespace); the grammar itself uses <nsName ns=""/>."""
    import rnc2rng

    text = (Path(__file__).parent / "atom.rnc").read_text()
    rng = rnc2rng.dumps(rnc2rng.loads(text)).replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def check_atom(content: bytes) -> etree._Element:
    """Valid against the RFC's schema, and the rules its Schematron part adds."""
    feed = etree.fromstring(content)  # well-formed
    schema = atom_schema()
    assert schema.validate(feed), schema.error_log
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    _rfc3339(feed.findtext(f"{ATOM}updated"))
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        ids.append(entry.findtext(f"{ATOM}id"))
        assert ids[-1].startswith("tag:")
        _rfc3339(entry.findtext(f"{ATOM}updated"))
        (link,) = entry.findall(f"{ATOM}link[@rel='alternate']")
        assert link.get("href").startswith("http://")
    assert len(ids) == len(set(ids))
    return feed


def check_rss(content: bytes) -> etree._Element:
    """RSS 2.0: a channel with title, link and description; every item a title or a
    description, a guid, an RFC 822 pubDate; absolute links."""
    from email.utils import parsedate_to_datetime

    rss = etree.fromstring(content)  # well-formed
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    (channel,) = rss.findall("channel")
    for name in ("title", "link", "description"):
        assert channel.findtext(name), name
    guids = []
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")
        assert item.findtext("link").startswith("http://")
        guids.append(item.findtext("guid"))
        assert guids[-1]
        if item.find("pubDate") is not None:
            parsedate_to_datetime(item.findtext("pubDate"))
    assert len(guids) == len(set(guids))
    return rss


def test_the_schema_rejects_what_readers_would_choke_on(client, make_report):
    """Positive control: the schema is really applied (a feed without an id, an entry with a
    German date fail it)."""
    make_report()
    content = client.get(reverse("alerts:reports-atom")).content
    check_atom(content)
    feed = etree.fromstring(content)
    feed.remove(feed.find(f"{ATOM}id"))
    assert not atom_schema().validate(feed)
    feed = etree.fromstring(content)
    feed.find(f"{ATOM}entry/{ATOM}updated").text = "1. Dezember 2026"
    assert not atom_schema().validate(feed)


def test_reports_feed_is_valid_stable_and_free_of_personal_data(client, make_report):
    report = make_report(name=SECRETS[0], email=SECRETS[1], phone=SECRETS[2])
    make_report(lon=EHRENFELD[0], lat=EHRENFELD[1])
    response = client.get(reverse("alerts:reports-atom"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = check_atom(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    text = response.content.decode()
    assert not any(secret in text for secret in SECRETS)
    ids_before = {e.findtext(f"{ATOM}id") for e in entries}
    report_status_change(report=report, status="in_progress", note="Kolonne bestellt")
    again = check_atom(client.get(reverse("alerts:reports-atom")).content)
    assert {e.findtext(f"{ATOM}id") for e in again.findall(f"{ATOM}entry")} == ids_before
    # The changed report moves to the top with its new `updated` and status.
    assert report.number in again.find(f"{ATOM}entry").findtext(f"{ATOM}title")
    rss = client.get(reverse("alerts:reports-rss"))
    assert rss.status_code == 200 and len(check_rss(rss.content).findall("channel/item")) == 2
    assert not any(secret in rss.content.decode() for secret in SECRETS)


def test_a_duplicate_says_so_in_the_feeds_not_just_done(client, make_report):
    original, duplicate = make_report(), make_report()
    report_status_change(report=duplicate, status="closed", duplicate_of=original)
    said = f"Als Duplikat von Meldung {original.number} geschlossen"
    atom = check_atom(client.get(reverse("alerts:reports-atom")).content)
    (entry,) = [e for e in atom.findall(f"{ATOM}entry")
                if duplicate.number in e.findtext(f"{ATOM}title")]
    assert said in entry.findtext(f"{ATOM}title")
    assert said in client.get(reverse("alerts:reports-rss")).content.decode()


def test_reports_feed_filters_by_district_quarter_bbox_and_category(client, make_report):
    make_report()
    make_report(lon=EHRENFELD[0], lat=EHRENFELD[1], code="laterne-defekt")
    innenstadt = area_covering(point=point_from_lonlat(lon=DOM[0], lat=DOM[1]),
                               kind=AreaKind.DISTRICT)
    quarter = area_covering(point=point_from_lonlat(lon=DOM[0], lat=DOM[1]),
                            kind=AreaKind.QUARTER)

    def count(**params):
        content = client.get(reverse("alerts:reports-atom"), params).content
        return len(check_atom(content).findall(f"{ATOM}entry"))

    assert count() == 2
    assert count(district=innenstadt.code) == 1
    assert count(quarter=quarter.code) == 1
    assert count(bbox=f"{DOM[0] - 0.01},{DOM[1] - 0.01},{DOM[0] + 0.01},{DOM[1] + 0.01}") == 1
    assert count(category="laterne-defekt") == 1
    assert client.get(reverse("alerts:reports-atom"), {"bbox": "1,2,x"}).status_code == 404


def test_council_feed_lists_placed_papers(client, lonlat):
    paper = Paper.objects.create(oparl_id="https://ris.example/paper/9", name="Radweg Domplatte",
                                 reference="AN/0009/2026")
    paper_location_create_manual(paper=paper, geom=lonlat(*DOM), name="Domplatte")
    feed = check_atom(client.get(reverse("alerts:council-atom")).content)
    (entry,) = [e for e in feed.findall(f"{ATOM}entry")
                if e.findtext(f"{ATOM}id").endswith(f":paper:{paper.pk}")]
    assert "Radweg Domplatte" in entry.findtext(f"{ATOM}title")
    check_rss(client.get(reverse("alerts:council-rss")).content)
    assert client.get(reverse("alerts:council-atom"), {"committee": "x"}).status_code == 404


@pytest.mark.parametrize("url", ["/", "/meldungen/", "/rat/"])
def test_pages_link_their_feeds_and_the_subscription_form(client, url):
    html = client.get(url).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in html
    if url != "/meldungen/":
        assert reverse("alerts:new") in html


def test_report_page_offers_alerts_for_its_place(client, make_report):
    report = make_report()
    html = client.get(reverse("reports:detail", kwargs={"number": report.number})).content.decode()
    assert f"{reverse('alerts:new')}?lat=" in html
    assert f"?district={report.district.code}" in html
