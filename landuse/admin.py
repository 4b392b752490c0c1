"""Admin: plan versions and their areas, Bebauungspläne, and uploads that run the same importer
cores as `manage.py import_landuse` and `manage.py import_bplan`."""

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

from geoportal.kinds import AreaKind
from geoportal.widgets import GeoModelAdmin

from .bplan_services import BPlanImportError, bplan_delete, bplan_import
from .importers.read import SUFFIXES
from .models import BPlan, LandUseArea, Plan
from .services import PlanImportError, plan_delete, plan_import

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
UPLOAD_SUFFIXES = tuple(s for s in SUFFIXES if s != ".shp")  # a .shp alone lacks .dbf/.prj


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Datei"), help_text=gettext_lazy(
        "XPlanGML (.gml, .xml oder .zip), gezipptes Shapefile mit .prj, GeoPackage (.gpkg) "
        "oder GeoJSON"))
    name = forms.CharField(required=False, label=gettext_lazy("Name"),
                           help_text=gettext_lazy("Vorgabe: aus der Datei"))
    municipality = forms.CharField(
        required=False, label=gettext_lazy("Gemeindeschlüssel (AGS)"),
        help_text=gettext_lazy("z. B. 05315000; Vorgabe: der AGS im XPlanGML"))
    legal_status = forms.CharField(required=False, label=gettext_lazy("Rechtsstand"),
                                   help_text=gettext_lazy("z. B. rechtswirksam"))
    drawn_up = forms.DateField(required=False, label=gettext_lazy("Aufstellungsbeschluss"))
    effective = forms.DateField(required=False, label=gettext_lazy("Wirksamkeit"))
    source_crs = forms.CharField(
        required=False, label=gettext_lazy("Quell-KBS"),
        help_text=gettext_lazy("nur für Dateien, die keines angeben"))
    dry_run = forms.BooleanField(
        required=False, label=gettext_lazy("Probelauf"),
        help_text=gettext_lazy("nur prüfen, nichts schreiben"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(
                f"{upload.name}: use one of {', '.join(UPLOAD_SUFFIXES)} "
                "(zip a Shapefile together with its .shx, .dbf and .prj)")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"{upload.name} is larger than 200 MB")
        return upload


def run_upload(form: PlanUploadForm):
    """Store the upload under a neutral name with its suffix, then call the importer core."""
    upload = form.cleaned_data["file"]
    data = form.cleaned_data
    with tempfile.TemporaryDirectory(prefix="landuse-upload-") as folder:
        target = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return plan_import(
            path=target, name=data["name"] or None,
            municipality_code=data["municipality"] or None,
            legal_status=data["legal_status"] or None, drawn_up=data["drawn_up"],
            effective=data["effective"], source_crs=data["source_crs"] or None,
            source_name=Path(upload.name).name, dry_run=data["dry_run"],
        )


BPLAN_SUFFIXES = (".zip", ".gml", ".xml")


class BPlanUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Datei"), help_text=gettext_lazy(
        "XPlanGML 4.1-6.0 BP_Plan: .gml/.xml oder ein .zip mit dem Plan und seinem gescannten "
        "Plan, World-File und PDF"))
    source_crs = forms.CharField(
        required=False, label=gettext_lazy("Quell-KBS"),
        help_text=gettext_lazy("nur für Geometrien ohne srsName, z. B. EPSG:25832"))
    dry_run = forms.BooleanField(required=False, label=gettext_lazy("Probelauf"),
                                 help_text=gettext_lazy("nur prüfen, nichts schreiben"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in BPLAN_SUFFIXES:
            raise forms.ValidationError(
                f"{upload.name}: use XPlanGML as {', '.join(BPLAN_SUFFIXES)}")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"{upload.name} is larger than 200 MB")
        return upload


def run_bplan_upload(form: BPlanUploadForm):
    """Store the upload under its own (sanitised) name, so the reader's messages name the file
    staff chose, then call the importer core the command uses."""
    upload = form.cleaned_data["file"]
    name = _safe_name(upload.name)
    with tempfile.TemporaryDirectory(prefix="bplan-upload-") as folder:
        target = Path(folder) / name
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            return bplan_import(path=target, source_crs=form.cleaned_data["source_crs"] or None,
                                source_name=Path(upload.name).name,
                                dry_run=form.cleaned_data["dry_run"])
        except BPlanImportError as exc:
            # The temporary folder means nothing to staff: name the file as uploaded.
            raise BPlanImportError(str(exc).replace(f"{folder}/", "")) from exc


def _safe_name(name: str) -> str:
    base = Path(name).name
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(base).stem)[:80]
    return f"{stem or 'bplan'}{Path(base).suffix.lower()}"


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "is_current", "municipality", "legal_status", "effective",
                    "source_format", "imported_at"]
    list_filter = ["is_current", "source_format"]
    search_fields = ["name"]
    readonly_fields = ["version", "is_current", "source_file", "source_format", "source_crs",
                       "imported_at", "report"]
    change_list_template = "admin/landuse/plan/change_list.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                kind=AreaKind.MUNICIPALITY).defer("geom")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view),
                      name="landuse_plan_upload")
        return [upload, *super().get_urls()]

    def delete_model(self, request, obj):
        plan_delete(plan=obj)

    def delete_queryset(self, request, queryset):
        for plan in queryset:
            plan_delete(plan=plan)

    def upload_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = PlanUploadForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            try:
                result = run_upload(form)
            except PlanImportError as exc:
                form.add_error("file", str(exc))
            else:
                if result.plan is not None:
                    messages.success(request, _("%(plan)s importiert: %(n)s Flächen.") % {
                        "plan": result.plan, "n": sum(result.by_class.values())})
                    return redirect(reverse("admin:landuse_plan_change", args=[result.plan.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "result": result,
                   "title": _("Flächennutzungsplan hochladen"), "opts": self.model._meta}
        return TemplateResponse(request, "admin/landuse/plan/upload.html", context)


@admin.register(LandUseArea)
class LandUseAreaAdmin(GeoModelAdmin):
    list_display = ["source_id", "class_code", "feature_class", "plan", "repaired"]
    list_filter = ["plan", "class_code", "repaired"]
    search_fields = ["source_id"]
    list_select_related = ["plan"]


@admin.register(BPlan)
class BPlanAdmin(GeoModelAdmin):
    """Bebauungspläne come from `manage.py import_bplan` or the upload here (same core); the
    add form is the upload, since a plan is only ever made from its XPlanGML."""

    list_display = ["name", "number", "municipality", "plan_type", "legal_status", "effective",
                    "xplan_version", "imported_at"]
    search_fields = ["name", "number", "municipality"]
    readonly_fields = ["name", "number", "municipality", "municipality_key", "plan_type",
                       "legal_status", "legal_status_code", "drawn_up", "adopted", "effective",
                       "dates", "description", "xplan_version", "source_file", "source_crs",
                       "original", "imported_at"]
    change_list_template = "admin/landuse/bplan/change_list.html"

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view),
                      name="landuse_bplan_upload")
        return [upload, *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:landuse_bplan_upload")

    def upload_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = BPlanUploadForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            try:
                result = run_bplan_upload(form)
            except BPlanImportError as exc:
                form.add_error("file", str(exc))
            else:
                if not result.dry_run:
                    messages.success(request, str(result).splitlines()[0])
                    return redirect(reverse("admin:landuse_bplan_change", args=[result.plan.pk]))
        context = {**self.admin_site.each_context(request), "form": form, "result": result,
                   "title": _("Bebauungsplan hochladen"), "opts": self.model._meta}
        return TemplateResponse(request, "admin/landuse/bplan/upload.html", context)

    def delete_model(self, request, obj):
        bplan_delete(plan=obj)

    def delete_queryset(self, request, queryset):
        for plan in queryset:
            bplan_delete(plan=plan)
