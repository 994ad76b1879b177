"""Reading messages for the back office: a staff member's inbox, an office's delivery records."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import Channel, Message, Status


def inbox(user, *, unread_only: bool = False):
    """Returns the user's in-app notifications, newest first."""
    messages = Message.objects.filter(recipient_user=user, channel=Channel.IN_APP).select_related("case")
    return messages.filter(read_at__isnull=True) if unread_only else messages


def unread_count(user) -> int:
    return Message.objects.filter(recipient_user=user, channel=Channel.IN_APP, read_at__isnull=True).count()


def deliveries(office, *, status: str = "", needs_action: bool = False, case=None):
    """Returns the office's outgoing messages (not the in-app ones), newest first. ``needs_action``: failed
    and not yet handled, the list officers work through."""
    messages = (
        Message.objects.filter(office=office)
        .exclude(channel=Channel.IN_APP)
        .select_related("case", "recipient_user", "handled_by")
    )
    if needs_action:
        messages = messages.filter(status=Status.FAILED, handled_at__isnull=True)
    if status:
        messages = messages.filter(status=status)
    if case is not None:
        messages = messages.filter(case=case)
    return messages


def menu_counts(user, *, with_failed: bool) -> tuple[int, int]:
    """Returns ``(unread, failed)`` in one query, as every back-office page's menu shows both: the user's
    unread notifications and, when ``with_failed``, the office's failed messages nobody has handled."""
    unread = Q(recipient_user=user, channel=Channel.IN_APP, read_at__isnull=True)
    failed = Q(office_id=user.office_id, status=Status.FAILED, handled_at__isnull=True) & ~Q(channel=Channel.IN_APP)
    if not with_failed:
        return unread_count(user), 0
    counts = Message.objects.filter(unread | failed).aggregate(
        unread=Count("pk", filter=unread), failed=Count("pk", filter=failed)
    )
    return counts["unread"], counts["failed"]
