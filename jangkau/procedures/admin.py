from django.contrib import admin

from jangkau.core.admin import OfficeScopedAdminMixin, ReadOnlyAdminMixin

from .models import ProcedureStep, ProcedureVersion


class ProcedureStepInline(ReadOnlyAdminMixin, admin.StackedInline):
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
class ProcedureVersionAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: cases pin their version, so a version never changes. To change the POS (its actors,
    times, texts), edit the data file and load it as a new version with `manage.py pos_load`."""

    list_display = ["number", "office", "version", "status", "effective_date", "activated_at"]
    list_filter = ["status", "office"]
    search_fields = ["number", "title"]
    inlines = [ProcedureStepInline]
