"""Dataset layers ("Themenkarten"): any city dataset imported as a zone or a place layer.

A layer's features keep their public properties in JSONB; only the fields the layer lists in
`fields` are ever published (geoportal.ogc reads them through a per-layer view, see
themes/registry.py). Geometry in the storage CRS (EPSG:25832)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .querysets import PlaceQuerySet, ZoneQuerySet


class LayerKind(models.TextChoices):
    ZONE = "zone", _("Zonen (Flächen)")
    POI = "poi", _("Orte (Punkte)")


class DatasetLayer(models.Model):
    name = models.CharField(
        _("Name"), max_length=40, unique=True,
        validators=[RegexValidator(
            r"\A[a-z][a-z0-9_]{0,39}\Z",
            _("Kleinbuchstaben, Ziffern und _; beginnt mit einem Buchstaben."),
        )],
        help_text=_("In URLs, WFS-Typnamen und Kachel-Layern, z. B. umweltzone."),
    )
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=4, choices=LayerKind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    # [{"name": public name, "source": source field, "type": "string|integer|number|boolean"}]
    fields = models.JSONField(_("Öffentliche Felder"), default=list, blank=True)
    label_field = models.CharField(_("Beschriftungsfeld"), max_length=100, blank=True)
    color = models.CharField(
        _("Farbe"), max_length=7, default="#1b7837",
        validators=[RegexValidator(r"\A#[0-9a-fA-F]{6}\Z", _("Farbe als #rrggbb."))],
    )
    legend = models.CharField(_("Legendentext"), max_length=300, blank=True)
    licence = models.CharField(_("Lizenz (URI)"), max_length=200)
    attribution = models.CharField(_("Namensnennung"), max_length=300, blank=True)
    publisher = models.CharField(_("Herausgeber"), max_length=200, blank=True)
    source_name = models.CharField(_("Quelldatei"), max_length=300, blank=True)
    source_crs = models.CharField(_("Quell-KBS"), max_length=200, blank=True)
    # Opt-in topic of area alerts ("layer:<name>"): a re-import announces its new and changed
    # features to subscribers whose area they touch (themes/events.py).
    alerts_enabled = models.BooleanField(
        _("Benachrichtigungen"), default=False,
        help_text=_("Neue und geänderte Objekte dieser Karte können abonniert werden "
                    "(„Benachrichtigen, wenn sich hier etwas tut“)."),
    )
    feature_count = models.PositiveIntegerField(_("Objekte"), default=0)
    imported_at = models.DateTimeField(_("Importiert"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("Geändert am"))

    class Meta:
        verbose_name = _("Themenkarte")
        verbose_name_plural = _("Themenkarten")
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title

    @property
    def public_names(self) -> list[str]:
        return [f["name"] for f in self.fields]


class Zone(models.Model):
    layer = models.ForeignKey(
        DatasetLayer, on_delete=models.CASCADE, related_name="zones", verbose_name=_("Layer")
    )
    source_id = models.CharField(max_length=100, verbose_name=_("Kennung in der Quelle"))
    label = models.CharField(max_length=300, blank=True, verbose_name=_("Bezeichnung"))
    properties = models.JSONField(default=dict, verbose_name=_("Eigenschaften"))
    geom = models.MultiPolygonField(srid=settings.GEOPORTAL_SRID, verbose_name=_("Geometrie"))

    objects = ZoneQuerySet.as_manager()

    def __str__(self) -> str:
        return self.label or self.source_id

    class Meta:
        verbose_name = _("Zone")
        verbose_name_plural = _("Zonen")


class ZonePart(models.Model):
    """A zone cut by ST_Subdivide into pieces of at most 128 vertices: "which zone am I in"
    then tests a few small, well-indexed boxes instead of a city-sized polygon (as mapit does)."""

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="parts", verbose_name=_("Zone")
    )
    geom = models.PolygonField(srid=settings.GEOPORTAL_SRID, verbose_name=_("Geometrie"))

    class Meta:
        verbose_name = _("Zonenteil")
        verbose_name_plural = _("Zonenteile")


class Place(models.Model):
    layer = models.ForeignKey(
        DatasetLayer, on_delete=models.CASCADE, related_name="places", verbose_name=_("Layer")
    )
    source_id = models.CharField(max_length=100, verbose_name=_("Kennung in der Quelle"))
    label = models.CharField(max_length=300, blank=True, verbose_name=_("Bezeichnung"))
    properties = models.JSONField(default=dict, verbose_name=_("Eigenschaften"))
    geom = models.PointField(srid=settings.GEOPORTAL_SRID, verbose_name=_("Geometrie"))

    objects = PlaceQuerySet.as_manager()

    def __str__(self) -> str:
        return self.label or self.source_id

    class Meta:
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")
