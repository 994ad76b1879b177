"""Lists shown a page at a time: the page asked for with ``?halaman=`` and the links to its neighbours, for
``backoffice/_pager.html``."""

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
