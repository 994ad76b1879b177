from django.contrib import admin

from jangkau.core.admin import OfficeScopedAdminMixin, ReadOnlyAdminMixin

from .models import FollowUpAction, MonitoringEntry


@admin.register(MonitoringEntry)
class MonitoringEntryAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the head fills in the monitoring table in the back office, where each save is audited."""

    list_display = ["office", "period_start", "period_end", "step_no", "ran_well", "assessor", "assessed_at"]
    list_filter = ["office", "ran_well"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: actions are raised and moved in the back office (or the API), where each change is audited."""

    list_display = ["title", "office", "owner", "due_date", "status", "done_at"]
    list_filter = ["office", "status"]
    search_fields = ["title"]
