"""How long the office has to answer a data subject (UU 27/2022), as plain arithmetic on moments.

The law counts these limits as "3 x 24 (tiga kali dua puluh empat) jam": clock hours from the moment the
controller receives the request, weekends and holidays included, not office hours or working days.

- access and copy: art. 32(2), 3 x 24 hours from receipt of the request for access;
- correction (updating, correcting): art. 30(1), 3 x 24 hours from receipt of the request;
- restriction or postponement of processing: art. 41(1), 3 x 24 hours (also DOMAIN.md, "Personal data");
- withdrawal of consent (processing stops): art. 40, 3 x 24 hours (also DOMAIN.md);
- erasure: art. 43 sets no number of hours ("sesuai dengan ketentuan peraturan perundang-undangan").
  Jangkau applies the same 3 x 24 hours as an office standard, so that no request waits longer than the
  law's shortest limit; ``STATUTORY`` says which limits are law.
"""

from __future__ import annotations

from datetime import datetime, timedelta

LIMIT = timedelta(hours=72)

LIMITS: dict[str, timedelta] = {
    "access": LIMIT,
    "correction": LIMIT,
    "erasure": LIMIT,
    "restriction": LIMIT,
    "withdrawal": LIMIT,
}

# The legal source of each limit, for pages and exports that say how a deadline was computed.
SOURCES: dict[str, str] = {
    "access": "UU 27/2022 Pasal 32 ayat (2)",
    "correction": "UU 27/2022 Pasal 30 ayat (1)",
    "erasure": "UU 27/2022 Pasal 43 (tanpa batas jam; standar kantor 3 x 24 jam)",
    "restriction": "UU 27/2022 Pasal 41 ayat (1)",
    "withdrawal": "UU 27/2022 Pasal 40",
}
STATUTORY = frozenset({"access", "correction", "restriction", "withdrawal"})


def due_at(kind: str, received_at: datetime) -> datetime:
    """Returns when the answer to a request of ``kind`` received at ``received_at`` is due. Raises KeyError
    for an unknown kind."""
    return received_at + LIMITS[kind]


def response_minutes(received_at: datetime, responded_at: datetime | None) -> int | None:
    """Returns the whole minutes from receipt to answer (never negative), or None while unanswered."""
    if responded_at is None:
        return None
    return max(0, int((responded_at - received_at).total_seconds() // 60))


def is_overdue(due: datetime, responded_at: datetime | None, now: datetime) -> bool:
    """Returns True when the answer came after ``due``, or is still missing when ``now`` is past it."""
    return (responded_at if responded_at is not None else now) > due
