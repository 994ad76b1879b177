class ReadOnlyAdminMixin:
    """Admin views that show records but never add, change or delete them: what changes them is a service
    (cases) or nothing at all (the audit trail)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
