from django.contrib import admin

from .models import ProcedureStep, ProcedureVersion


class ProcedureStepInline(admin.StackedInline):
    model = ProcedureStep
    extra = 0
    ordering = ["no"]
    fields = [
        "no",
        "activity",
        "actors",
        "requirements",
        ("standard_minutes", "standard_days_min", "standard_days_max"),
        "standard_label",
        "output",
        "remarks",
        "follows_service_standard",
    ]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "office", "version", "status", "effective_date", "activated_at"]
    list_filter = ["status", "office"]
    search_fields = ["number", "title"]
    # Numbering and activation go through procedure_install, which retires the old version and audits.
    readonly_fields = ["version", "status", "activated_at", "source"]
    inlines = [ProcedureStepInline]

    def has_add_permission(self, request):
        # A new version needs the next number, the old one retired and an audit event: `manage.py pos_load`.
        return False
