"""Staff views: offices, categories, routing rules, reports with their delivery state, outbox."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from geoportal.widgets import GeoModelAdmin

from . import outbox, services
from .models import (
    ApiKey,
    Category,
    DeliveryAttempt,
    ModerationEvent,
    Office,
    OutboxMessage,
    OutboxStatus,
    Report,
    Reporter,
    ReportEvent,
    ReportPhoto,
    RoutingRule,
    Status,
)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "authority"]
    search_fields = ["name", "email"]
    list_filter = ["authority__kind"]
    raw_id_fields = ["authority"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "code", "requires_confirmation", "active", "position"]
    list_filter = ["active", "requires_confirmation", "parent"]
    list_editable = ["requires_confirmation", "active", "position"]
    search_fields = ["name", "code"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "area", "office"]
    list_filter = ["area__kind", "office"]
    raw_id_fields = ["area"]
    search_fields = ["area__name", "office__name", "category__name"]


class ReporterInline(admin.StackedInline):
    model = Reporter
    can_delete = False
    readonly_fields = ["confirm_token", "confirmed_at"]


class PhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0
    readonly_fields = ["image", "width", "height", "hidden_at"]  # removal: moderation only


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    readonly_fields = ["created_at", "kind", "status", "office", "note", "actor"]
    can_delete = False


class MessageInline(admin.TabularInline):
    model = OutboxMessage
    extra = 0
    fields = [
        "purpose",
        "channel",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class ReportActionForm(ActionForm):
    office = forms.ModelChoiceField(
        queryset=Office.objects.all(), required=False, label=gettext_lazy("Amt (für Weiterleiten)")
    )
    note = forms.CharField(
        required=False, label=gettext_lazy("Hinweis (öffentlich)"), max_length=500
    )


@admin.register(Report)
class ReportAdmin(GeoModelAdmin):
    action_form = ReportActionForm
    list_display = ["number", "category", "status", "office", "district", "created_at", "delivery"]
    list_filter = ["status", "category__parent", "office", "district", "source", "api_key"]
    search_fields = ["number", "address", "description"]
    readonly_fields = [
        "number",
        "source",
        "api_key",
        "token",
        "created_at",
        "updated_at",
        "published_at",
        "county",
        "municipality",
        "district",
        "quarter",
        "address",
        "address_distance_m",
        # Public text and visibility change only through moderation (audit trail, email).
        "description",
        "description_original",
        "moderation",
        "hidden_at",
        "moderation_link",
    ]
    raw_id_fields = []
    inlines = [ReporterInline, PhotoInline, EventInline, MessageInline]
    actions = ["mark_in_progress", "mark_closed", "reroute"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("category", "office", "district")
            .defer("district__geom")
            .annotate(
                n_pending=Count("messages", filter=Q(messages__status=OutboxStatus.PENDING)),
                n_failed=Count("messages", filter=Q(messages__status=OutboxStatus.FAILED)),
                n_sent=Count("messages", filter=Q(messages__status=OutboxStatus.SENT)),
            )
        )

    @admin.display(description=gettext_lazy("Moderation"))
    def moderation_link(self, obj) -> str:
        if not obj.number:  # the add form: nothing to moderate yet (was a 500)
            return "–"
        url = reverse("reports:moderate", args=[obj.number])
        return format_html('<a href="{}">{}</a>', url, _("Text, Sichtbarkeit und Fotos moderieren"))

    @admin.display(description=gettext_lazy("Zustellung"))
    def delivery(self, obj) -> str:
        if obj.n_failed:
            return "✗ " + _("%(n)s aufgegeben") % {"n": obj.n_failed}
        if obj.n_pending:
            return "… " + _("%(n)s wartet") % {"n": obj.n_pending}
        return "✓ " + _("%(n)s zugestellt") % {"n": obj.n_sent}

    def save_model(self, request, obj, form, change):
        # Status and office changes go through the services, so history and mail follow.
        if change and {"status", "status_notes"} & set(form.changed_data):
            new_status, note = obj.status, obj.status_notes
            obj.refresh_from_db()
            services.report_status_change(
                report=obj, status=new_status, note=note, actor=request.user
            )
        if change and "office" in form.changed_data:
            office = form.cleaned_data["office"]
            obj.refresh_from_db()
            services.report_reroute(report=obj, office=office, actor=request.user)
        rest = set(form.changed_data) - {"status", "status_notes", "office"}
        if not change or rest:
            super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("An das gewählte Amt weiterleiten"))
    def reroute(self, request, queryset):
        office = Office.objects.filter(pk=request.POST.get("office") or None).first()
        if office is None:
            messages.error(request, _("Bitte unten ein Amt wählen."))
            return
        note = request.POST.get("note", "")
        for report in queryset:
            services.report_reroute(report=report, office=office, note=note, actor=request.user)
        n = queryset.count()
        messages.info(
            request,
            ngettext(
                "%(n)s Meldung an %(office)s weitergeleitet.",
                "%(n)s Meldungen an %(office)s weitergeleitet.",
                n,
            )
            % {"n": n, "office": office},
        )

    @admin.action(description=gettext_lazy("Status: In Bearbeitung"))
    def mark_in_progress(self, request, queryset):
        for report in queryset:
            services.report_status_change(
                report=report,
                status=Status.IN_PROGRESS,
                note=request.POST.get("note", ""),
                actor=request.user,
            )

    @admin.action(description=gettext_lazy("Status: Erledigt"))
    def mark_closed(self, request, queryset):
        for report in queryset:
            services.report_status_change(
                report=report,
                status=Status.CLOSED,
                note=request.POST.get("note", ""),
                actor=request.user,
            )


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    readonly_fields = ["at", "ok", "error", "duration_ms"]
    can_delete = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "purpose",
        "channel",
        "report",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "purpose"]
    readonly_fields = [
        "report",
        "channel",
        "purpose",
        "recipient",
        "subject",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "last_error",
    ]
    inlines = [AttemptInline]
    actions = ["retry_now"]

    @admin.action(description=gettext_lazy("Jetzt erneut versuchen"))
    def retry_now(self, request, queryset):
        n = outbox.outbox_retry(message_ids=list(queryset.values_list("id", flat=True)))
        messages.info(
            request,
            ngettext(
                "%(n)s Nachricht wird beim nächsten Lauf zugestellt.",
                "%(n)s Nachrichten werden beim nächsten Lauf zugestellt.",
                n,
            )
            % {"n": n},
        )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "created_at"]
    readonly_fields = ["key", "created_at"]


@admin.register(ModerationEvent)
class ModerationEventAdmin(admin.ModelAdmin):
    """The audit trail of moderation; written only by `services.report_moderate`."""

    list_display = ["created_at", "report", "action", "reason", "actor"]
    list_filter = ["action"]
    search_fields = ["report__number", "reason"]
    readonly_fields = [f.name for f in ModerationEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
