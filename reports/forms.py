"""Citizen-facing forms. Every field works without JavaScript; the map only fills lat/lon."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from geoportal.kinds import AreaKind
from geoportal.selectors import area_list

from . import selectors
from .models import Status
from .services import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/heic,image/heif,.heic,.heif"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # How many and what kind of photos is the intake's check (services.report_submit).
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


def category_choices() -> list:
    return [("", _("Bitte wählen …"))] + [
        (top.name, [(leaf.code, leaf.name) for leaf in top.leaves])
        for top in selectors.category_tree()
    ]


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategorie"))
    address = forms.CharField(
        label=_("Ort: Adresse oder Straße"),
        required=False,
        max_length=200,
        help_text=_(
            "z. B. „Hauptstraße 5“. Oder Punkt auf der Karte setzen, "
            "Standort verwenden, oder ein Foto mit GPS-Position hochladen."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    description = forms.CharField(
        label=_("Beschreibung"),
        max_length=2000,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = MultiplePhotoField(
        label=format_lazy(_("Fotos (bis zu {n}; JPEG, PNG oder HEIC)"), n=MAX_PHOTOS),
        required=False,
    )
    name = forms.CharField(label=_("Name (freiwillig)"), required=False, max_length=200)
    email = forms.EmailField(
        label=_("E-Mail"),
        help_text=_("Für die Bestätigung und Nachrichten zum Stand. Wird nie veröffentlicht."),
    )
    phone = forms.CharField(
        label=_("Mobilnummer für SMS (freiwillig)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    # The address lat/lon were found for (no-JS steps): typed over, they no longer hold.
    point_address = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    duplicates_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # A honeypot: hidden from people (CSS, no tab stop), filled in by form-spamming bots.
    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Die Meldung wurde nicht angenommen."))
        return ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = phone.replace(" ", "").replace("-", "").replace("/", "")
        if phone and not (digits.lstrip("+").isdigit() and 6 <= len(digits) <= 20):
            raise forms.ValidationError(_("Bitte eine Telefonnummer nur aus Ziffern angeben."))
        return phone


class ReportFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategorie"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    district = forms.ChoiceField(label=_("Stadtbezirk"), required=False)
    date_from = forms.DateField(
        label=_("von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = [("", _("Alle"))]
        for top in selectors.category_tree():
            categories.append((top.code, top.name))
            categories += [(leaf.code, f"– {leaf.name}") for leaf in top.leaves]
        self.fields["category"].choices = categories
        self.fields["status"].choices = [
            ("", _("Alle")),
            ("open_all", _("Offen oder in Bearbeitung")),
        ] + [(s, label) for s, label in Status.choices if s != Status.UNCONFIRMED]
        self.fields["district"].choices = [("", _("Alle"))] + [
            (a.code, a.name) for a in area_list(kind=AreaKind.DISTRICT).order_by("name")
        ]

    def to_filter(self) -> selectors.ReportFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.ReportFilter(
            category=data.get("category") or "",
            status=data.get("status") or "",
            district=data.get("district") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
