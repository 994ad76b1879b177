"""Lists shown a page at a time: the page asked for with ``?halaman=`` and the links to its neighbours, for
``backoffice/_pager.html``."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils.http import urlencode


def page_of(request, items, size: int) -> Page:
    """Returns the page ``?halaman=`` asks for; a number that is not one, or out of range, gives the nearest
    page rather than an error (a link kept from a longer list still opens)."""
    return Paginator(items, size).get_page(request.GET.get("halaman"))


def page_links(page: Page, query: dict) -> dict:
    """Returns the URLs of the previous and the next page, keeping the list's other query parameters."""

    def url(number: int) -> str:
        return "?" + urlencode({**query, **({"halaman": number} if number > 1 else {})})

    return {
        "previous_url": url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url(page.next_page_number()) if page.has_next() else "",
    }


@dataclass
class CappedPage:
    """A page of a list too long to count on every request (the queue of a large office): the rows are
    counted up to a cap only. Within the cap it says "page 3 of 41" as Django's pages do; beyond it, the total
    is "more than the cap" and the pages go on while there are rows (a page reads one row more to know)."""

    number: int
    object_list: list
    total: int | None  # None: more than ``cap``
    per_page: int
    cap: int
    has_more: bool

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, math.ceil(self.total / self.per_page))

    def has_next(self) -> bool:
        return self.has_more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def capped_page_of(request, items, size: int, cap: int) -> CappedPage:
    """Returns the page ``?halaman=`` asks for of ``items`` (sliceable, with ``count_up_to(n)``), counting at
    most ``cap`` of them. A number that is not one gives the first page; one past the end, the last page."""
    raw = request.GET.get("halaman", "")
    number = int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1
    number = max(number, 1)
    total = items.count_up_to(cap)
    if total is not None:
        number = min(number, max(1, math.ceil(total / size)))
    rows = items[(number - 1) * size : number * size + 1]
    if not rows and number > 1:
        # Past the end of a list longer than the cap: count it all, once, and show its last page.
        total = items.count()
        number = max(1, math.ceil(total / size))
        rows = items[(number - 1) * size : number * size + 1]
    return CappedPage(number, rows[:size], total, size, cap, has_more=len(rows) > size)
