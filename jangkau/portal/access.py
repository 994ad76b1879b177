"""Which cases this browser may see: the requester proved it with the tracking code (or just submitted the
case), and the session remembers it so the code is not asked on every page and never put in a URL."""

from __future__ import annotations

from jangkau.cases.models import Case

SESSION_KEY = "portal_cases"
# A shared phone should not keep a long list of other people's cases open.
MAX_REMEMBERED = 5


def grant(request, case: Case) -> None:
    """Lets this browser session see ``case`` (after submission or a correct tracking code)."""
    remembered = [pk for pk in request.session.get(SESSION_KEY, []) if pk != case.pk]
    request.session[SESSION_KEY] = [case.pk, *remembered][:MAX_REMEMBERED]


def forget(request, case: Case) -> None:
    request.session[SESSION_KEY] = [pk for pk in request.session.get(SESSION_KEY, []) if pk != case.pk]


def granted_case(request, registration_number: str) -> Case | None:
    """Returns the case with ``registration_number`` that this session may see, None otherwise."""
    allowed = request.session.get(SESSION_KEY, [])
    number = registration_number.strip().upper()
    # U+0000 (a "%00" in the address) is in no number, and PostgreSQL refuses it in a query.
    if not allowed or "\x00" in number:
        return None
    return (
        Case.objects.select_related("office", "service_type")
        .prefetch_related("steps", "appointments")
        .filter(pk__in=allowed, registration_number=number)
        .first()
    )
