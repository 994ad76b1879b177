from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jangkau.core.admin import OfficeScopedAdminMixin, ReadOnlyAdminMixin

from .models import AuditEvent, PersonalDataView


@admin.register(AuditEvent)
class AuditEventAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is append-only, and changes would break the hash chain."""

    list_display = ["seq", "occurred_at", "actor_label", "action", "office", "case"]
    list_filter = ["action", "office"]
    search_fields = ["action", "actor_label"]


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The personal-data access log: every staff view of a case's personal data, newest first."""

    list_display = ["occurred_at", "actor_label", "case", "purpose", "source_ip"]
    list_filter = ["occurred_at"]
    search_fields = ["actor_label", "case__registration_number"]
    date_hierarchy = "occurred_at"
    ordering = ["-seq"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case")

    @admin.display(description=_("keperluan"))
    def purpose(self, event):
        return event.changes.get("purpose", "")
