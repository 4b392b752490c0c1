"""The council geocoder's index: names and ids of streets and areas, and a version to
cache it by."""

from django.contrib.gis.geos import GEOSGeometry
from django.contrib.gis.measure import D
from django.db.models import Count, Max

from ..models import Address, Area, AreaKind, Street


def gazetteer_version() -> tuple:
    """Changes whenever streets or areas are added or removed: a cache key for name indexes
    built over them (the council geocoder's)."""
    streets = Street.objects.aggregate(n=Count("pk"), last=Max("pk"))
    areas = Area.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (streets["n"], streets["last"], areas["n"], areas["last"])


def home_municipality_name() -> str:
    """The name of the municipality the portal serves ("Köln", "Heidelberg"): the one most
    streets are filed under, else the only municipality area; "" where neither tells."""
    top = (
        Street.objects.filter(municipality__isnull=False)
        .values("municipality__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "municipality__name")
        .first()
    )
    if top is not None:
        return top["municipality__name"]
    names = list(Area.objects.filter(kind=AreaKind.MUNICIPALITY).values_list("name", flat=True)[:2])
    return names[0] if len(names) == 1 else ""


def street_names() -> list[tuple[int, str]]:
    """(id, name) of every street row; one name may stand for several quarters' streets."""
    return list(Street.objects.values_list("pk", "name"))


def area_names(*, kinds: list[str]) -> list[tuple[int, str, str, str]]:
    """(id, kind, name, normalised name) of the areas of those kinds."""
    return list(Area.objects.filter(kind__in=kinds).values_list("pk", "kind", "name", "name_key"))


def area_parent_ids(*, area_ids: list[int]) -> dict[int, int]:
    """The area that holds each of the given ones (a quarter's Stadtbezirk), by id."""
    return dict(
        Area.objects.filter(pk__in=area_ids, parent__isnull=False)
        .values_list("pk", "parent_id")
    )


def street_quarter_ids(*, street_ids: list[int]) -> set[int | None]:
    """The quarters the register files these streets under (None for a street without one)."""
    return set(Street.objects.filter(pk__in=street_ids).values_list("quarter_id", flat=True))


def area_name_and_geom(*, area_id: int) -> tuple[str, GEOSGeometry]:
    area = Area.objects.only("geom", "name").get(pk=area_id)
    return area.name, area.geom


def street_label(*, street_id: int) -> str | None:
    """The gazetteer's label that tells equal names apart ("…, Köln-Ehrenfeld"), if set."""
    return Street.objects.filter(pk=street_id).values_list("label", flat=True).first()


def street_get(*, street_id: int) -> Street:
    return Street.objects.get(pk=street_id)


def address_points_near(
    *, street_key: str, number: int, geom: GEOSGeometry, metres: float
) -> list[tuple[GEOSGeometry, str]]:
    """(point, suffix) of the register's addresses with that street key and number within
    `metres` of `geom`, by suffix; the index on the points answers the distance."""
    rows = (
        Address.objects.filter(street_key=street_key, house_number=number)
        .filter(geom__dwithin=(geom, D(m=metres)))
        .order_by("house_number_suffix", "id")
        .only("geom", "house_number_suffix")
    )
    return [(a.geom, a.house_number_suffix) for a in rows]
