from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, and changes would break the hash chain."""

    list_display = ["seq", "occurred_at", "actor_label", "action", "office", "case"]
    list_filter = ["action", "office"]
    search_fields = ["action", "actor_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
