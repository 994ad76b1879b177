"""Reading messages for the back office: a staff member's inbox, an office's delivery records."""

from __future__ import annotations

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


def failed_count(office) -> int:
    return deliveries(office, needs_action=True).count()
