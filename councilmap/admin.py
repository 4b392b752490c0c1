"""Staff corrections: a paper's places on a map widget. Rows staff add or edit become `manual`,
which re-imports never delete."""

from django import forms as django_forms
from django.contrib.admin import EmptyFieldListFilter
from django.contrib.gis import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from geoportal.widgets import GeoModelAdmin, GeoStackedInline, PortalMapWidget, feature_map

from .models import (
    AgendaItem,
    Body,
    Consultation,
    LocationSource,
    Meeting,
    Organization,
    Paper,
    PaperLocation,
    PlacementReview,
    SyncRun,
)
from .selectors import placement_review_candidate_features
from .services import placement_review_decide

# OParl ids and RIS links are full URLs; never guess a scheme for them (Django 6 default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class PaperLocationInline(GeoStackedInline):
    model = PaperLocation
    extra = 1
    fields = ["source", "precision", "name", "matched_text", "confidence", "geom"]
    readonly_fields = ["source", "matched_text", "confidence"]
    formfield_overrides = URL_FIELDS


class PlacementReviewInline(admin.TabularInline):
    """Names in the paper that stand for several streets: decided in Placement reviews."""

    model = PlacementReview
    extra = 0
    can_delete = False
    fields = ["name", "candidate_labels", "chosen", "resolved_at"]
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("Kandidaten"))
    def candidate_labels(self, obj: PlacementReview) -> str:
        return "; ".join(c["label"] for c in obj.candidates)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Paper)
class PaperAdmin(GeoModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "reference", "paper_type", "date", "deleted"]
    list_filter = ["paper_type", "deleted"]
    search_fields = ["name", "reference"]
    readonly_fields = ["oparl_id", "web", "created", "modified"]
    inlines = [PaperLocationInline, PlacementReviewInline]

    def save_formset(self, request, form, formset, change):
        for location in formset.save(commit=False):
            # Any place staff save by hand is theirs from now on: imports keep it.
            location.source = LocationSource.MANUAL
            location.confidence = 1.0
            location.save()
        for location in formset.deleted_objects:
            location.delete()
        formset.save_m2m()


@admin.register(PaperLocation)
class PaperLocationAdmin(GeoModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["paper", "name", "source", "precision", "confidence"]
    list_filter = ["source", "precision"]
    raw_id_fields = ["paper", "street", "area"]

    def save_model(self, request, obj, form, change):
        obj.source = LocationSource.MANUAL
        obj.confidence = 1.0
        super().save_model(request, obj, form, change)


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["source", "body", "started_at", "finished_at", "ok"]
    readonly_fields = [f.name for f in SyncRun._meta.fields]


class OParlAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    search_fields = ["name", "oparl_id"]


for model in (Body, Organization, Meeting, AgendaItem, Consultation):
    admin.site.register(model, OParlAdmin)


class PlacementReviewForm(django_forms.ModelForm):
    choice = django_forms.ChoiceField(
        required=False,
        label=_("Vorlage verorten bei"),
        help_text=_("Der Kandidat wird der manuelle Ort der Vorlage; neue Importe behalten ihn."),
    )

    class Meta:
        model = PlacementReview
        fields = ["choice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = [c["label"] for c in self.instance.candidates]
        self.fields["choice"].choices = [("", "—")] + [(label, label) for label in labels]


@admin.register(PlacementReview)
class PlacementReviewAdmin(admin.ModelAdmin):
    """Papers whose street name stands for several places: staff pick the right one."""

    form = PlacementReviewForm
    list_display = ["name", "paper", "candidate_labels", "chosen", "resolved_at"]
    list_filter = [("resolved_at", EmptyFieldListFilter)]
    search_fields = ["name", "paper__name"]
    readonly_fields = ["paper", "name", "matched_text", "candidate_labels", "candidate_map",
                       "chosen", "resolved_at"]

    @property
    def media(self):
        return super().media + PortalMapWidget().media  # OpenLayers for the candidates' map

    @admin.display(description=_("Kandidaten"))
    def candidate_labels(self, obj: PlacementReview) -> str:
        return "; ".join(c["label"] for c in obj.candidates)

    @admin.display(description=_("Kandidaten auf der Karte"))
    def candidate_map(self, obj: PlacementReview):
        # A click on a candidate's streets picks it in "Vorlage verorten bei".
        return feature_map(features=placement_review_candidate_features(review=obj),
                           element_id="review_candidates_map", choice_field="id_choice")

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        label = form.cleaned_data.get("choice")
        if label:
            placement_review_decide(review=obj, label=label)
