"""What the back office's menu counts: the user's unread notifications and the office's failed messages."""

from __future__ import annotations

from django.utils.functional import cached_property

from . import selectors
from .services import DELIVERY_ROLES


class NotificationCounts:
    """The menu's counts, each queried the first time a template reads it and only for a signed-in staff
    member with an office: pages without the back office's menu (the citizens' portal) never query."""

    def __init__(self, request):
        self._request = request

    @cached_property
    def _user(self):
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated or getattr(user, "office_id", None) is None:
            return None
        return user

    @cached_property
    def may_work_deliveries(self) -> bool:
        """Whether the user works the office's failed messages (PPID members do not contact requesters)."""
        return self._user is not None and self._user.role in DELIVERY_ROLES

    @cached_property
    def _counts(self) -> tuple[int, int]:
        if self._user is None:
            return 0, 0
        return selectors.menu_counts(self._user, with_failed=self.may_work_deliveries)

    @property
    def unread(self) -> int:
        return self._counts[0]

    @property
    def failed(self) -> int:
        """Failed messages of the office nobody has handled yet; 0 for those who do not work them."""
        return self._counts[1]


def notification_counts(request) -> dict:
    return {"notification_counts": NotificationCounts(request)}
