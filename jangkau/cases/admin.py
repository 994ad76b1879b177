from django.contrib import admin

from jangkau.core.admin import OfficeScopedAdminMixin, ReadOnlyAdminMixin

from .models import Case, StepRecord


class StepRecordInline(admin.TabularInline):
    model = StepRecord
    extra = 0
    can_delete = False
    fields = ["step_no", "opened_at", "due_at", "done_at", "done_by", "outcome", "breached", "breach_explanation"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only view for administrators: cases change only through the workflow's services."""

    list_display = ["registration_number", "office", "status", "channel", "service_type", "submitted_at"]
    list_filter = ["office", "status", "channel"]
    search_fields = ["registration_number"]
    # Personal data stays out of the admin; staff see it through the back office, where views are logged.
    exclude = ["id_document_number", "address", "disability_details", "nik_hash", "tracking_code"]
    inlines = [StepRecordInline]
