"""Area subscriptions without an account. The email address lives only in `Subscription` and is
deleted with it; nothing public reads this app's tables."""

import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils.translation import gettext_lazy as _

from geoportal.events import Topic
from geoportal.models import Area

SRID = settings.GEOPORTAL_SRID


def _token() -> str:
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("sofort")
    DAILY = "daily", _("täglich (Zusammenfassung)")
    WEEKLY = "weekly", _("wöchentlich (Zusammenfassung)")


class AreaType(models.TextChoices):
    AREA = "area", _("Stadtbezirk oder Stadtteil")
    CIRCLE = "circle", _("Umkreis um eine Adresse oder einen Punkt")
    POLYGON = "polygon", _("selbst gezeichnete Fläche")


TOPIC_CHOICES = [
    (Topic.REPORTS, _("neue Meldungen im Mängelmelder und ihr Bearbeitungsstand")),
    (Topic.COUNCIL, _("Ratsvorlagen und Beschlüsse, die diesen Ort betreffen")),
    (Topic.LANDUSE, _("neue oder geänderte Flächennutzungs- und Bebauungspläne")),
]


def topic_choices() -> list[tuple[str, str]]:
    """The fixed topics and every thematic layer that opts in (`alerts_enabled`) right now."""
    from themes.selectors import layer_alert_topics

    return TOPIC_CHOICES + [
        (topic, _("Themenkarte „%(title)s“: neue und geänderte Objekte") % {"title": title})
        for topic, title in layer_alert_topics()
    ]


class Subscription(models.Model):
    email = models.EmailField(verbose_name=_("E-Mail"))
    language = models.CharField(max_length=10, default="de", verbose_name=_("Sprache"))
    area_type = models.CharField(
        max_length=10, choices=AreaType.choices, verbose_name=_("Gebietsart")
    )
    # District or quarter: matched through the city core's subdivided parts, not copied here.
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+",
                             verbose_name=_("Gebiet"))
    # Circle (buffered in metres) or drawn polygon; GiST-indexed for ST_Intersects.
    geom = models.PolygonField(srid=SRID, null=True, blank=True, verbose_name=_("Geometrie"))
    radius_m = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("Radius (m)"))
    label = models.CharField(
        max_length=300, blank=True, help_text=_("Nur für den Abonnenten sichtbar."),
        verbose_name=_("Bezeichnung"),
    )
    # "reports", "council", "landuse" or "layer:<name>" of a thematic layer that opts in.
    topics = ArrayField(models.CharField(max_length=50), verbose_name=_("Themen"))
    frequency = models.CharField(max_length=10, choices=Frequency.choices,
                                 default=Frequency.IMMEDIATE,
                                 verbose_name=_("Häufigkeit"))
    token = models.CharField(
        max_length=40, unique=True, default=_token, editable=False, verbose_name=_("Token")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Bestätigt am"))
    last_digest_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("Letzte Zusammenfassung am")
    )

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        indexes = [
            # Covering: matching reads district and quarter subscribers from the index alone
            # (index-only scan), without visiting hundreds of table rows per item.
            models.Index(fields=["area"], name="alerts_sub_area_cover",
                         include=["id", "topics", "frequency"],
                         condition=models.Q(confirmed_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"Abo #{self.pk} ({self.get_area_type_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Match(models.Model):
    """An item that happened in a digest subscriber's area, waiting for the next digest."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="matches",
                                     verbose_name=_("Abonnement"))
    topic = models.CharField(max_length=50, verbose_name=_("Thema"))
    kind = models.CharField(max_length=40, verbose_name=_("Art"))
    item_key = models.CharField(max_length=100, verbose_name=_("Objektschlüssel"))
    title = models.CharField(max_length=300, verbose_name=_("Titel"))
    path = models.CharField(max_length=300, verbose_name=_("Pfad"))
    summary = models.CharField(max_length=500, blank=True, verbose_name=_("Zusammenfassung"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Angelegt am"))
    digested_at = models.DateTimeField(null=True, blank=True, verbose_name=_("Zusammengefasst am"))

    class Meta:
        verbose_name = _("Digest-Eintrag")
        verbose_name_plural = _("Digest-Einträge")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["subscription", "created_at"], name="alerts_match_pending",
                         condition=models.Q(digested_at__isnull=True)),
        ]
