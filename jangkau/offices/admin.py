from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from jangkau.core.admin import OfficeScopedAdminMixin
from jangkau.core.errors import DomainError

from .models import CalendarOverride, Office, OfficeHours, ServiceCharter, ServiceStandard, ServiceType
from .services import calendar_day_remove, calendar_day_set, office_hours_set


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    office_lookup = "pk"
    list_display = ["code", "name", "time_zone", "retention_years", "is_active"]
    search_fields = ["code", "name"]
    inlines = [OfficeHoursInline]

    def save_formset(self, request, form, formset, change):
        # Office hours change deadlines: route each change through the service that recomputes them.
        if formset.model is not OfficeHours:
            return super().save_formset(request, form, formset, change)
        office = form.instance
        formset.save(commit=False)
        for hours in formset.deleted_objects:
            office_hours_set(office=office, actor=request.user, weekday=hours.weekday, opens=None, closes=None)
        for hours in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            office_hours_set(
                office=office, actor=request.user, weekday=hours.weekday, opens=hours.opens, closes=hours.closes
            )
        return None


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """Holidays added or removed per office; every change recomputes the deadlines of open cases."""

    list_display = ["office", "date", "kind", "reason", "created_by"]
    list_filter = ["office", "kind"]
    date_hierarchy = "date"
    fields = ["office", "date", "kind", "reason"]

    def save_model(self, request, obj, form, change):
        try:
            calendar_day_set(office=obj.office, actor=request.user, day=obj.date, kind=obj.kind, reason=obj.reason)
        except DomainError as exc:
            messages.error(request, exc.message)

    def delete_model(self, request, obj):
        calendar_day_remove(office=obj.office, actor=request.user, day=obj.date)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ServiceType)
class ServiceTypeAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "office", "code", "survey_window_days", "is_public_information", "is_active"]
    list_filter = ["office", "is_active"]
    search_fields = ["name", "code"]
    verbose_name = _("jenis layanan")


@admin.register(ServiceStandard)
class ServiceStandardAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """The six public components of each service's Standar Pelayanan, as published on the portal."""

    office_lookup = "service_type__office"
    list_display = ["service_type", "office", "updated_at"]
    list_filter = ["service_type__office"]
    list_select_related = ["service_type__office"]
    search_fields = ["service_type__name", "service_type__code"]
    fields = ["service_type", "requirements", "procedure", "completion_time", "cost", "product", "complaints"]

    @admin.display(description=_("kantor"), ordering="service_type__office__name")
    def office(self, obj):
        return obj.service_type.office

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An office administrator picks only among their own office's services.
        if db_field.name == "service_type" and not request.user.is_superuser:
            kwargs["queryset"] = ServiceType.objects.filter(office_id=request.user.office_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ServiceCharter)
class ServiceCharterAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """The office's Maklumat Pelayanan, as published on the portal."""

    list_display = ["office", "signed_by_name", "signed_on"]
    fields = ["office", "text", "place", "signed_on", "signed_by_name", "signed_by_position"]
