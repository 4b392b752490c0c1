"""The gazetteer on Köln's real street register: names without quarter suffix, the suffix's
quarter kept, labels that tell equal names apart, segments with house-number ranges, nodes."""

import pytest
from django.core.management import CommandError, call_command

from geoportal.models import Street, StreetNode, StreetSegment
from geoportal.text import parse_house_number, split_quarter_suffix

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Schillerstr. We", ("Schillerstr.", "We", "")),
        ("Hauptstr. (Rodenkirchen)", ("Hauptstr.", "", "Rodenkirchen")),
        ("Venloer Str.", ("Venloer Str.", "", "")),
        ("Am Hof", ("Am Hof", "", "")),
    ],
)
def test_quarter_suffix_is_split_off_in_both_forms(raw, expected):
    assert split_quarter_suffix(raw) == expected


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("0009a", (9, "a")), ("0200", (200, "")), ("17 B", (17, "b")), ("0000", None), ("", None)],
)
def test_house_numbers_of_the_register(text, parsed):
    assert parse_house_number(text) == parsed


def test_no_street_name_carries_a_quarter_suffix():
    assert not Street.objects.filter(name__regex=r" [A-ZÄÖÜ][a-zäöüß]$").exists()
    assert not Street.objects.filter(name__contains="(").exists()


def test_suffix_resolves_to_its_quarter_not_thrown_away():
    weiden = Street.objects.select_related("quarter").get(source_name="Schillerstr. We")
    assert weiden.name == "Schillerstraße"
    assert weiden.suffix == "We"
    assert weiden.quarter.name == "Weiden"
    assert weiden.label == "Schillerstraße, Köln-Weiden"


def test_a_name_in_several_quarters_is_one_street_per_quarter_each_labelled():
    labels = set(Street.objects.filter(name="Hauptstraße").values_list("label", flat=True))
    assert labels == {
        "Hauptstraße, Köln-Rodenkirchen",
        "Hauptstraße, Köln-Widdersdorf",
        "Hauptstraße, Köln-Zündorf",
    }
    # The street without a suffix is placed by its geometry.
    bayenthal = Street.objects.get(source_name="Schillerstr.")
    assert bayenthal.label == "Schillerstraße, Köln-Bayenthal"


def test_a_unique_name_is_labelled_with_the_city_only():
    assert Street.objects.get(name="Venloer Straße").label == "Venloer Straße, Köln"


def test_segments_keep_house_number_ranges_per_side():
    segment = StreetSegment.objects.get(code="01269030")  # Häuschensweg, "0009a" .. "0037"
    assert (segment.left_from, segment.left_to, segment.left_min, segment.left_max) == (
        "9a", "37", 9, 37,
    )
    assert (segment.right_from, segment.right_to) == ("18a", "48")
    assert segment.street.name == "Häuschensweg"


def test_every_segment_with_a_key_belongs_to_a_street():
    assert StreetSegment.objects.count() == 15845  # one of 15,846 has no name: skipped
    assert StreetSegment.objects.filter(street__isnull=True).count() <= 1
    venloer = Street.objects.get(name="Venloer Straße")
    assert venloer.segments.count() > 40


def test_nodes_are_loaded_with_their_kind():
    assert StreetNode.objects.count() == 11141  # one key appears twice in the source
    assert StreetNode.objects.filter(kind="Kreuzung").count() == 1988


def test_segments_need_their_streets_first(fixtures_dir):
    before = StreetSegment.objects.count()
    with pytest.raises(CommandError, match="no streets with source 'nope'"):
        call_command(
            "import_street_segments", str(fixtures_dir / "koeln/koeln_strassenabschnitte.shp"),
            streets_source="nope", verbosity=0,
        )
    assert StreetSegment.objects.count() == before


def test_segment_import_refuses_a_missing_range_field(fixtures_dir):
    with pytest.raises(CommandError, match="no field 'HNR'.*HSNR_V_L"):
        call_command(
            "import_street_segments", str(fixtures_dir / "koeln/koeln_strassenabschnitte.shp"),
            streets_source="koeln-strassen", left_from_field="HNR", verbosity=0,
        )


def test_reimport_updates_in_place(fixtures_dir):
    before = StreetNode.objects.count()
    call_command(
        "import_street_nodes", str(fixtures_dir / "koeln/koeln_strassenknoten.shp"),
        source="koeln-knoten", verbosity=0,
    )
    assert StreetNode.objects.count() == before
