"""Admin: dataset layers. "Upload" runs the same importer core as `manage.py import_layer`;
the change form edits how a layer is presented (title, colour, legend, licence), never rows.
Single features (a new kita, a moved zone border) are edited under "Objekte"; the services
keep a zone's parts and the layer's count right and announce the edit to alert subscribers."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.gis import admin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from geoportal.importers.core import ImportFailed
from geoportal.widgets import GeoModelAdmin

from . import conf
from .licences import CHOICES
from .models import DatasetLayer, LayerKind, Place, Zone
from .services import (
    dataset_layer_delete,
    dataset_layer_import,
    dataset_layer_update,
    layer_feature_delete,
    layer_feature_save,
)

UPLOAD_SUFFIXES = (".geojson", ".json", ".zip", ".gpkg", ".csv")


class LayerUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Datei"),
        help_text=gettext_lazy(
            "GeoJSON, gezipptes Shapefile (mit .prj), GeoPackage oder CSV mit Koordinaten"
        ),
    )
    name = forms.RegexField(
        regex=r"\A[a-z][a-z0-9_]{0,39}\Z", max_length=40, label=gettext_lazy("Name"),
        help_text=gettext_lazy(
            "Name in URLs und im WFS, z. B. umweltzone. Ein vorhandener Name ersetzt seine "
            "Objekte und behält seine Einstellungen."
        ),
    )
    title = forms.CharField(max_length=200, required=False, label=gettext_lazy("Titel"),
                            help_text=gettext_lazy("für eine neue Karte nötig"))
    kind = forms.ChoiceField(choices=LayerKind.choices, label=gettext_lazy("Art"))
    fields = forms.CharField(
        required=False, label=gettext_lazy("Öffentliche Felder"),
        help_text=gettext_lazy(
            "durch Kommas getrennt; öffentlich=Quelle benennt um (name=tags/name). Leer: jedes "
            "Feld (neue Karte) oder die bisherigen Felder der Karte."
        ),
    )
    label_field = forms.CharField(
        required=False, label=gettext_lazy("Beschriftungsfeld"),
        help_text=gettext_lazy("Feld, das ein Objekt benennt"))
    licence = forms.ChoiceField(choices=[("", "—"), *CHOICES], required=False,
                                label=gettext_lazy("Lizenz"))
    attribution = forms.CharField(max_length=300, required=False,
                                  label=gettext_lazy("Namensnennung"))
    publisher = forms.CharField(max_length=200, required=False, label=gettext_lazy("Herausgeber"))
    legend = forms.CharField(max_length=300, required=False, label=gettext_lazy("Legendentext"))
    color = forms.RegexField(regex=r"\A#[0-9a-fA-F]{6}\Z", required=False, help_text="#rrggbb",
                             label=gettext_lazy("Farbe"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  label=gettext_lazy("Beschreibung"))
    source_crs = forms.CharField(
        required=False, label=gettext_lazy("Quell-KBS"),
        help_text=gettext_lazy("für Dateien, die keines angeben (oder ein falsches)"))
    layer = forms.CharField(required=False, label=gettext_lazy("Layer"),
                            help_text=gettext_lazy("eine Ebene eines GeoPackage mit mehreren"))
    dry_run = forms.BooleanField(required=False, label=gettext_lazy("Probelauf"),
                                 help_text=gettext_lazy("nur prüfen, nichts schreiben"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(
                f"{upload.name}: use one of {', '.join(UPLOAD_SUFFIXES)} "
                "(zip a Shapefile together with its .shx, .dbf and .prj)"
            )
        if upload.size > conf.THEMES_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"{upload.name} is too large")
        return upload


def run_upload(form: LayerUploadForm):
    upload = form.cleaned_data["file"]
    data = form.cleaned_data
    with tempfile.TemporaryDirectory(prefix="themes-upload-") as folder:
        # The original file name, so messages name the file the user knows.
        target = Path(folder) / Path(upload.name).name
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        fields = data["fields"].strip()
        return dataset_layer_import(
            path=target, name=data["name"], kind=data["kind"], title=data["title"] or None,
            fields=[f for f in fields.split(",") if f.strip()] if fields else None,
            label_field=data["label_field"] or None, source_crs=data["source_crs"] or None,
            source_layer=data["layer"] or None,
            settings={key: data[key] for key in (
                "licence", "attribution", "publisher", "legend", "color", "description")},
            dry_run=data["dry_run"],
        )


@admin.register(DatasetLayer)
class DatasetLayerAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "kind", "feature_count", "licence", "imported_at"]
    list_filter = ["kind"]
    search_fields = ["name", "title"]
    fields = ["title", "description", "color", "legend", "licence", "attribution", "publisher",
              "name", "kind", "fields", "label_field", "source_name", "source_crs",
              "alerts_enabled", "feature_count", "imported_at"]
    readonly_fields = ["name", "kind", "fields", "label_field", "source_name", "source_crs",
                       "alerts_enabled", "feature_count", "imported_at"]
    change_list_template = "admin/themes/datasetlayer/change_list.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "licence":
            return forms.ChoiceField(choices=CHOICES, label=gettext_lazy("Lizenz"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False  # layers come from an upload (upload_view), never from an empty form

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view),
                      name="themes_datasetlayer_upload")
        return [upload, *super().get_urls()]

    def save_model(self, request, obj, form, change):
        dataset_layer_update(layer=obj, **{f: form.cleaned_data[f] for f in form.changed_data})

    def delete_model(self, request, obj):
        dataset_layer_delete(layer=obj)

    def delete_queryset(self, request, queryset):
        for layer in queryset:
            dataset_layer_delete(layer=layer)

    def upload_view(self, request):
        if not request.user.has_perm("themes.add_datasetlayer"):
            return redirect("admin:index")
        initial = {"name": request.GET.get("name", ""), "kind": request.GET.get("kind", "")}
        form = LayerUploadForm(request.POST or None, request.FILES or None, initial=initial)
        result = None
        if request.method == "POST" and form.is_valid():
            try:
                result = run_upload(form)
            except ImportFailed as exc:
                form.add_error("file", str(exc))
            else:
                if not result.dry_run:
                    layer = DatasetLayer.objects.get(name=form.cleaned_data["name"])
                    messages.success(request, _("%(layer)s importiert: %(n)s Objekte.") % {
                        "layer": layer, "n": result.created})
                    return redirect(reverse("admin:themes_datasetlayer_change", args=[layer.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "result": result,
                   "title": _("Themenkarte hochladen"), "opts": self.model._meta}
        return TemplateResponse(request, "admin/themes/datasetlayer/upload.html", context)


class FeatureAdmin(GeoModelAdmin):
    list_display = ["label", "source_id", "layer"]
    list_filter = ["layer"]
    search_fields = ["label", "source_id"]
    fields = ["layer", "source_id", "label", "properties", "geom"]

    def get_readonly_fields(self, request, obj=None):
        return ["layer"] if obj else []  # a feature does not move to another layer

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "properties":
            field.required = False  # {}: a layer without public fields
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "layer":
            kind = LayerKind.ZONE if self.model is Zone else LayerKind.POI
            kwargs["queryset"] = DatasetLayer.objects.filter(kind=kind)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        layer_feature_save(feature=obj, changed=form.changed_data)

    def delete_model(self, request, obj):
        layer_feature_delete(feature=obj)

    def delete_queryset(self, request, queryset):
        for feature in queryset.select_related("layer"):
            layer_feature_delete(feature=feature)


admin.site.register(Place, FeatureAdmin)
admin.site.register(Zone, FeatureAdmin)
