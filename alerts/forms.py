"""The subscription form. Every field works without JavaScript; the map only fills lat/lon or
the drawn polygon."""

from django import forms
from django.utils.translation import gettext_lazy as _

from geoportal.kinds import AreaKind
from geoportal.selectors import area_list

from . import conf
from .models import TOPIC_CHOICES, AreaType, Frequency, topic_choices

RADII = [250, 500, 1000, 2000]


def area_choices() -> list:
    areas = list(area_list().filter(kind__in=[AreaKind.DISTRICT, AreaKind.QUARTER])
                 .order_by("name"))
    return [("", _("Bitte wählen …"))] + [
        (_("Stadtbezirke"), [(a.code, a.name) for a in areas if a.kind == AreaKind.DISTRICT]),
        (_("Stadtteile"), [(a.code, a.name) for a in areas if a.kind == AreaKind.QUARTER]),
    ]


class TopicsForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Worüber möchten Sie informiert werden?"), choices=TOPIC_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("Wie oft?"), choices=Frequency.choices, initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Thematic layers opt in and out at run time: read them per form, not at import.
        self.fields["topics"].choices = topic_choices()


class SubscriptionForm(TopicsForm):
    area_type = forms.ChoiceField(
        label=_("Gebiet"), choices=AreaType.choices, initial=AreaType.CIRCLE,
        widget=forms.RadioSelect,
    )
    area = forms.ChoiceField(label=_("Stadtbezirk oder Stadtteil"), required=False)
    address = forms.CharField(
        label=_("Adresse"), required=False, max_length=200,
        help_text=_("z. B. „Hohe Straße 52“, oder einen Punkt auf der Karte setzen."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    radius_m = forms.TypedChoiceField(
        label=_("Umkreis"), coerce=int, initial=500, required=False,
        choices=[(r, f"{r} m" if r < 1000 else f"{r // 1000} km") for r in RADII],
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180,
                           max_value=180)
    # The address lat/lon were found for (a candidate chosen without JavaScript): typed over,
    # they no longer hold (geoportal.forms.address_point_stale_dropped).
    point_address = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    polygon = forms.CharField(
        label=_("Gezeichnete Fläche (GeoJSON)"), required=False, max_length=20000,
        widget=forms.HiddenInput,
    )
    email = forms.EmailField(
        label=_("E-Mail"),
        help_text=_("Nur für diese Benachrichtigung; wird mit ihr gelöscht und nie "
                    "veröffentlicht."),
    )
    # A honeypot: hidden from people (CSS, no tab stop), filled in by form-spamming bots.
    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"), required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = ["area_type", "area", "address", "radius_m", "lat", "lon", "point_address",
                   "polygon", "topics", "frequency", "email", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()
        self.fields["polygon"].help_text = _(
            "Höchstens %(v)s Ecken und %(a)s km²."
        ) % {"v": conf.ALERTS_POLYGON_MAX_VERTICES, "a": conf.ALERTS_POLYGON_MAX_KM2}
