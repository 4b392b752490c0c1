from django.contrib import admin

from .models import CategoryTarget, OfficeMembership, StaffLanguage


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "role"]
    list_filter = ["role", "office"]
    autocomplete_fields = ["user"]


@admin.register(CategoryTarget)
class CategoryTargetAdmin(admin.ModelAdmin):
    list_display = ["category", "target_hours"]


@admin.register(StaffLanguage)
class StaffLanguageAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    autocomplete_fields = ["user"]
