from django.contrib import admin

from .models import LoginAttempt


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """Every login attempt (admin, crews, …): who, from where, and whether a wait was running."""

    list_display = ("created_at", "username", "ip", "outcome", "wait_seconds", "path")
    list_filter = ("outcome", "path")
    search_fields = ("username", "ip")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
