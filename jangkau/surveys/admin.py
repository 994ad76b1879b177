from django.contrib import admin

from jangkau.core.admin import OfficeScopedAdminMixin, ReadOnlyAdminMixin

from .models import Element, Instrument, Response


class ElementInline(admin.TabularInline):
    model = Element
    fields = ["code", "order", "name", "question", "labels"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Instrument)
class InstrumentAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: responses pin the version they were given under; a correction is a new version."""

    list_display = ["title", "office", "version", "is_active", "created_at"]
    list_filter = ["is_active", "office"]
    inlines = [ElementInline]


@admin.register(Response)
class ResponseAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: answers are the respondent's own; they are recorded only through the survey services."""

    list_display = ["answered_on", "office", "mode", "case", "sex", "age", "education", "occupation"]
    list_filter = ["mode", "office", "answered_on"]
    date_hierarchy = "answered_on"
