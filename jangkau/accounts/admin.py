from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class StaffAdmin(UserAdmin):
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
