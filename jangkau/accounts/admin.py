from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from jangkau.core.admin import OfficeScopedAdminMixin, ReadOnlyAdminMixin

from .models import ApiToken, User
from .tokens import api_token_revoke


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


@admin.register(ApiToken)
class ApiTokenAdmin(OfficeScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who holds which API token and when it was last used; tokens are issued with
    ``manage.py api_token_issue`` (the key is shown once) and revoked here."""

    office_lookup = "user__office"
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    actions = ["revoke"]

    @admin.action(description=_("Cabut token yang dipilih"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
