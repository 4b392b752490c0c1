"""Text geocoding against the city core: demo papers land on the expected geometry, negatives
stay off the map."""

import pytest
from django.contrib.gis.geos import Point

from councilmap.geocoding import paper_text_places, text_places
from councilmap.models import LocationSource, Paper, PaperLocation
from geoportal.models import Address, Area, AreaKind, Street

pytestmark = pytest.mark.django_db

EXPECTED = {  # demo title fragment -> (precision, place name) of its best place
    "Fahrradstraße Subbelrather Straße": ("street", "Subbelrather Straße"),
    "Verkehrsberuhigung in der Zülpicher": ("street", "Zülpicher Straße"),
    "Deutzer Freiheit": ("street", "Deutzer Freiheit"),
    "Spielplatz im Stadtteil Bickendorf": ("area", "Bickendorf"),
    "Radverkehrskonzept für den Stadtbezirk Porz": ("area", "Porz"),
    "Aufenthaltsqualität auf dem Ebertplatz": ("street", "Ebertplatz"),
    "Neugestaltung des Rudolfplatzes": ("street", "Rudolfplatz"),
    "Bebauungsplan Deutz-Hafen": ("point", "Deutzer Hafen"),
    "Neubau Feuerwache": ("point", "Feuerwache, Scheibenstraße 13"),
    "Quartiersgarage": ("street", "Kempener Straße"),  # from the file text, not the title
}
NEGATIVES = ("Haushaltsplan 2027", "Jahresabschluss 2025", "Wahl der Mitglieder",
             "Stellenplan 2027", "Entsiegelung von Schulhöfen")


def places(fragment: str) -> list[PaperLocation]:
    paper = Paper.objects.get(name__contains=fragment, body__municipality_code="05315000")
    return list(paper.locations.order_by("-confidence", "id"))


def street_geom(name: str):
    return Street.objects.filter(name=name).first().geom


@pytest.mark.parametrize(("fragment", "expected"), EXPECTED.items())
def test_demo_papers_are_placed_as_expected(council, fragment, expected):
    found = places(fragment)
    assert found, fragment
    assert (found[0].precision, found[0].name) == expected


def test_oparl_points_keep_their_source(council):
    [place] = places("Neubau Feuerwache")
    assert place.source == LocationSource.OPARL and place.confidence == 1.0
    assert Area.objects.get(kind=AreaKind.DISTRICT, name="Ehrenfeld").geom.covers(place.geom)


@pytest.mark.parametrize("fragment", NEGATIVES)
def test_papers_naming_no_place_stay_off_the_map(council, fragment):
    assert places(fragment) == []


def test_karlsruhe_titles_are_not_placed_in_koeln(council):
    karlsruhe = PaperLocation.objects.exclude(paper__body__municipality_code="05315000")
    assert not karlsruhe.filter(source=LocationSource.EXTRACTED).exists()


def test_street_section_is_the_part_between_the_cross_streets(council):
    [section] = places("Venloer Straße zwischen")
    assert section.precision == "street_section"
    venloer = Street.objects.filter(name="Venloer Straße")
    full = venloer.first().geom
    assert 300 < section.geom.length < full.length / 3
    assert full.buffer(1).covers(section.geom)
    ends = [Point(section.geom[0][0], srid=25832), Point(section.geom[-1][-1], srid=25832)]
    for cross in ("Ehrenfeldgürtel", "Innere Kanalstraße"):
        assert min(street_geom(cross).distance(end) for end in ends) < 60, cross


def test_same_named_streets_are_chosen_by_the_area_in_the_text(council):
    street = next(p for p in places("Berliner Straße in Mülheim") if p.precision == "street")
    mulheim = Area.objects.get(kind=AreaKind.DISTRICT, name="Mülheim").geom
    assert mulheim.buffer(100).covers(street.geom)
    assert street.confidence >= 0.9


def test_same_named_streets_without_context_are_not_placed(council):
    assert text_places("Sanierung der Berliner Straße") == []
    [chosen, _area] = text_places("Tempo 30 auf der Berliner Straße in Mülheim")
    assert chosen.confidence > 0.6


def test_house_number_gives_the_address_point():
    street = Street.objects.get(name="Gutenbergstraße")
    point = street.geom.interpolate(20) if hasattr(street.geom, "interpolate") else None
    point = Point(street.geom[0][0], srid=25832) if point is None else point
    Address.objects.create(street_name="Gutenbergstr.", street_key="gutenbergstr",
                           house_number=12, city="Köln", geom=point, source="test",
                           source_id="gutenberg-12")
    [place] = text_places("Neubau einer Kita Gutenbergstraße 12")
    assert place.precision == "address" and place.name == "Gutenbergstraße 12"
    assert place.geom.distance(point) < 0.01


def test_house_number_range_stands_at_its_first_number():
    street = Street.objects.get(name="Gutenbergstraße")
    point = Point(street.geom[0][0], srid=25832)
    Address.objects.create(street_name="Gutenbergstr.", street_key="gutenbergstr",
                           house_number=23, city="Köln", geom=point, source="test",
                           source_id="gutenberg-23")
    [place] = text_places("Autofreier Raum in der Gutenbergstraße 23-29 schaffen")
    assert place.precision == "address" and place.name == "Gutenbergstraße 23-29"
    assert place.geom.distance(point) < 0.01


def test_title_and_text_places_are_merged_once_per_name():
    found = paper_text_places(name="Neugestaltung des Rudolfplatzes",
                              text="Der Rudolfplatz wird umgestaltet. Auch die Zülpicher Straße.")
    assert sorted(p.name for p in found) == ["Rudolfplatz", "Zülpicher Straße"]
