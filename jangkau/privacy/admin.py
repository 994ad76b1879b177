from django.contrib import admin

from jangkau.core.admin import OfficeScopedAdminMixin, ReadOnlyAdminMixin

from .models import DataSubjectRequest


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only oversight of deadlines and answers. Requests are recorded and answered in the back office
    (``/staf/data-pribadi/``) by Tim PPID and the head, through the audited services; the person's name and
    the free texts are left out here, since administrators run the system, not its data."""

    list_display = ["number", "office", "kind", "status", "received_at", "due_at", "responded_at"]
    list_filter = ["kind", "status", "office"]
    search_fields = ["number"]
    date_hierarchy = "received_at"
    fields = [
        "office", "number", "kind", "channel", "criteria", "status", "received_at", "due_at", "created_at",
        "opened_by", "exported_at", "corrected_at", "responded_at", "handled_by",
    ]  # fmt: skip
