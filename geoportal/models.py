"""The city core: administrative areas and the gazetteer (streets and address points)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.utils.translation import gettext_lazy as _

from .kinds import AREA_LEVELS, AreaKind
from .querysets import (
    AddressQuerySet,
    AreaQuerySet,
    PostcodeAreaQuerySet,
    StreetNodeQuerySet,
    StreetQuerySet,
    StreetSegmentQuerySet,
)
from .text import normalize_street

SRID = settings.GEOPORTAL_SRID


class Area(models.Model):
    kind = models.CharField(max_length=20, choices=AreaKind.choices, verbose_name=_("Art"))
    code = models.CharField(
        max_length=40, help_text=_("Amtlicher Schlüssel (AGS bei Gemeinden), eindeutig je Art."),
        verbose_name=_("Schlüssel")
    )
    name = models.CharField(max_length=200, verbose_name=_("Name"))
    name_key = models.CharField(
        max_length=200, editable=False, help_text=_("Normalisierter Name."),
        verbose_name=_("Suchschlüssel"),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
        verbose_name=_("Übergeordnet")
    )
    geom = models.MultiPolygonField(srid=SRID, verbose_name=_("Geometrie"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("Quelle"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Geändert am"))

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Gebiet")
        verbose_name_plural = _("Gebiete")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="area_kind_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def save(self, *args, **kwargs):
        self.name_key = normalize_street(self.name)
        super().save(*args, **kwargs)

    @property
    def level(self) -> int:
        return AREA_LEVELS[self.kind]


class AreaPart(models.Model):
    """Pieces of an area cut by ST_Subdivide, so a point lookup reads small, well-indexed polygons.

    Kept in step with `Area` by a database trigger (migration 0002), whatever writes the area.
    """

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="parts", verbose_name=_("Gebiet")
    )
    geom = models.PolygonField(srid=SRID, verbose_name=_("Geometrie"))

    class Meta:
        verbose_name = _("Gebietsteil")
        verbose_name_plural = _("Gebietsteile")
        managed = True


class PostcodeArea(models.Model):
    """A postcode area ("50667 Köln"): what a postcode in a search narrows to, and the postcode
    an answer names.

    Not an `Area` kind on purpose: postcodes cut across districts and quarters, and everything
    that reads `Area` (report routing, statistics, the council map's district filter, the map's
    area layers, WFS/OGC, alerts) means the administrative hierarchy. A table of its own keeps
    them out of all of those without a filter in each.
    """

    code = models.CharField(max_length=10, unique=True, verbose_name=_("Postleitzahl"))
    place = models.CharField(
        max_length=100, blank=True, help_text=_("Der Ort der Post, wie er in Anschriften steht."),
        verbose_name=_("Ort"),
    )
    geom = models.MultiPolygonField(srid=SRID, verbose_name=_("Geometrie"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("Quelle"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Geändert am"))

    objects = PostcodeAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("Postleitzahlgebiet")
        verbose_name_plural = _("Postleitzahlgebiete")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.place}".strip()


class Street(models.Model):
    """One street: all segments under one city street key, in one place.

    Names are stored without the city's quarter suffix ("Schillerstr. We" is the street
    "Schillerstraße" in the quarter Weiden). Streets of one `name_key` in one municipality are
    "the same name in another quarter": never one place, each row stands on its own, and each
    carries a `label` that tells it apart ("Schillerstraße, Köln-Weiden").
    """

    name = models.CharField(
        max_length=200, help_text=_("Anzeigename ohne Ortsteilkürzel, Abkürzungen ausgeschrieben."),
        verbose_name=_("Name")
    )
    name_key = models.CharField(
        max_length=200, help_text=_("Normalisierter Name für die Suche."),
        verbose_name=_("Suchschlüssel"),
    )
    label = models.CharField(
        max_length=300, blank=True,
        help_text=_("Name und Ort; nennt den Stadtteil, wo der Name mehrfach vorkommt."),
        verbose_name=_("Bezeichnung"),
    )
    code = models.CharField(
        max_length=40, blank=True, help_text=_("Der Straßenschlüssel der Stadt."),
        verbose_name=_("Schlüssel"),
    )
    source_name = models.CharField(
        max_length=200, blank=True, help_text=_("Der Name, wie geliefert."),
        verbose_name=_("Name in der Quelle"),
    )
    suffix = models.CharField(
        max_length=10, blank=True,
        help_text=_(
            "Das Stadtteilkürzel der Quelle, z. B. „We“ für "
            "Weiden."
        ),
        verbose_name=_("Ortsteilkürzel")
    )
    locality = models.CharField(
        max_length=100, blank=True,
        help_text=_("Der Ort, den das Kürzel nennt (ein Stadtteil oder ein Dorf darin)."),
        verbose_name=_("Ortsteil"),
    )
    municipality = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="streets",
        verbose_name=_("Gemeinde")
    )
    quarter = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="quarter_streets",
        help_text=_(
            "Der Stadtteil des Kürzels, sonst der Stadtteil, in dem die Mitte der Straße "
            "liegt."
        ),
        verbose_name=_("Stadtteil"),
    )
    geom = models.MultiLineStringField(srid=SRID, verbose_name=_("Geometrie"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("Quelle"))

    objects = StreetQuerySet.as_manager()

    class Meta:
        verbose_name = _("Straße")
        verbose_name_plural = _("Straßen")
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["name_key"], opclasses=["gin_trgm_ops"], name="street_name_key_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="street_source_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label or self.name


class StreetSegment(models.Model):
    """A piece of a street between two nodes, with its house-number range on each side.

    Left and right are seen along the line's digitised direction; the "from" number lies at the
    line's start. A side without houses has no range (null).
    """

    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.CASCADE, related_name="segments",
        verbose_name=_("Straße")
    )
    code = models.CharField(
        max_length=40, help_text=_("Der Abschnittsschlüssel der Stadt."),
        verbose_name=_("Schlüssel"),
    )
    source_name = models.CharField(max_length=200, blank=True, verbose_name=_("Name in der Quelle"))
    left_from = models.CharField(
        max_length=10, blank=True, help_text=_("z. B. „9a“"), verbose_name=_("Links von")
    )
    left_to = models.CharField(max_length=10, blank=True, verbose_name=_("Links bis"))
    right_from = models.CharField(max_length=10, blank=True, verbose_name=_("Rechts von"))
    right_to = models.CharField(max_length=10, blank=True, verbose_name=_("Rechts bis"))
    # The numeric parts, for range queries; null where a side has no numbers.
    left_min = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("Links kleinste Nummer")
    )
    left_max = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("Links größte Nummer")
    )
    right_min = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("Rechts kleinste Nummer")
    )
    right_max = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("Rechts größte Nummer")
    )
    geom = models.LineStringField(srid=SRID, verbose_name=_("Geometrie"))
    source = models.CharField(max_length=300, verbose_name=_("Quelle"))

    objects = StreetSegmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Straßenabschnitt")
        verbose_name_plural = _("Straßenabschnitte")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="segment_source_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.code})"


class StreetNode(models.Model):
    """A point where streets meet (crossing, junction) or end, from the city's node layer."""

    code = models.CharField(max_length=40, verbose_name=_("Schlüssel"))
    kind = models.CharField(
        max_length=40, blank=True, help_text=_("z. B. Kreuzung, Einmündung"), verbose_name=_("Art")
    )
    geom = models.PointField(srid=SRID, verbose_name=_("Geometrie"))
    source = models.CharField(max_length=300, verbose_name=_("Quelle"))

    objects = StreetNodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Knotenpunkt")
        verbose_name_plural = _("Knotenpunkte")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="node_source_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"


class Address(models.Model):
    street = models.ForeignKey(
        Street, null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses",
        verbose_name=_("Straße")
    )
    street_name = models.CharField(max_length=200, verbose_name=_("Straßenname"))
    street_key = models.CharField(max_length=200, db_index=True, verbose_name=_("Straßenschlüssel"))
    house_number = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("Hausnummer"))
    house_number_suffix = models.CharField(
        max_length=20, blank=True, verbose_name=_("Hausnummernzusatz")
    )
    postcode = models.CharField(max_length=10, blank=True, verbose_name=_("Postleitzahl"))
    city = models.CharField(max_length=100, blank=True, verbose_name=_("Ort"))
    geom = models.PointField(srid=SRID, verbose_name=_("Geometrie"))
    source = models.CharField(max_length=300, verbose_name=_("Quelle"))
    source_id = models.CharField(max_length=100, verbose_name=_("Kennung in der Quelle"))

    objects = AddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("Adresse")
        verbose_name_plural = _("Adressen")
        ordering = ["street_name", "house_number", "house_number_suffix"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="address_source_id_unique")
        ]
        indexes = [
            GinIndex(
                fields=["street_key"], opclasses=["gin_trgm_ops"], name="address_street_key_trgm"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def house(self) -> str:
        if self.house_number is None:
            return ""
        return f"{self.house_number}{self.house_number_suffix}"

    @property
    def label(self) -> str:
        line = " ".join(p for p in (self.street_name, self.house) if p)
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return f"{line}, {place}" if place else line


class WorkerHeartbeat(models.Model):
    """Each background worker writes its heartbeat here; the status page reads the age."""

    name = models.CharField(max_length=50, unique=True, verbose_name=_("Dienst"))
    last_seen = models.DateTimeField(verbose_name=_("Zuletzt gesehen"))

    def __str__(self) -> str:
        return self.name

    class Meta:
        verbose_name = _("Lebenszeichen eines Hintergrunddienstes")
        verbose_name_plural = _("Lebenszeichen der Hintergrunddienste")


class IncidentState(models.TextChoices):
    INVESTIGATING = "investigating", _("Wird untersucht")
    IDENTIFIED = "identified", _("Ursache gefunden")
    MONITORING = "monitoring", _("Behoben, wird beobachtet")
    RESOLVED = "resolved", _("Behoben")


class Incident(models.Model):
    """A disruption posted by staff, shown on the public status page."""

    title = models.CharField(max_length=200, verbose_name=_("Titel"))
    message = models.TextField(
        help_text=_("In einfacher Sprache: was betroffen ist, was man tun kann."),
        verbose_name=_("Mitteilung"),
    )
    state = models.CharField(
        max_length=20, choices=IncidentState.choices, default=IncidentState.INVESTIGATING,
        verbose_name=_("Zustand")
    )
    started_at = models.DateTimeField(verbose_name=_("Begonnen am"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Erledigt am"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Geändert am"))

    class Meta:
        verbose_name = _("Störung")
        verbose_name_plural = _("Störungen")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.title
