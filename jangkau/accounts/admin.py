from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from jangkau.core.admin import OfficeScopedAdminMixin

from .models import User


@admin.register(User)
class StaffAdmin(OfficeScopedAdminMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "office", "role", "is_active"]
    list_filter = ["office", "role", "is_active"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Kantor dan peran"), {"fields": ["office", "role"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Kantor dan peran"), {"fields": ["office", "role"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # An office administrator manages their staff, never installation-wide powers.
            readonly += ["is_superuser", "user_permissions", "groups"]
        return readonly
