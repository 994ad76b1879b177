class ReadOnlyAdminMixin:
    """Admin views that show records but never add, change or delete them: what changes them is a service
    (cases) or nothing at all (the audit trail)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfficeScopedAdminMixin:
    """Limits an office administrator (staff, not superuser) to their own office's rows and choices.

    ``office_lookup`` is the path from the model to its office ("office", "case__office", or "pk" on
    Office itself). Superusers administer the whole installation.
    """

    office_lookup = "office"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if request.user.office_id is None:
            return queryset.none()
        return queryset.filter(**{self.office_lookup: request.user.office_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from jangkau.offices.models import Office

        if db_field.related_model is Office and not request.user.is_superuser:
            kwargs["queryset"] = Office.objects.filter(pk=request.user.office_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
