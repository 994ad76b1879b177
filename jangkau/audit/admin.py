from django.contrib import admin

from jangkau.core.admin import OfficeScopedAdminMixin, ReadOnlyAdminMixin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is append-only, and changes would break the hash chain."""

    list_display = ["seq", "occurred_at", "actor_label", "action", "office", "case"]
    list_filter = ["action", "office"]
    search_fields = ["action", "actor_label"]
