"""Time the staff ticket list in process. Runs in the peer venv: `python -m bench.peer.measure SAMPLES`.

What a staff member waits for to see the first page of open tickets: helpdesk 2.6.1's /helpdesk/tickets/
renders only the page around an empty table, and the page's DataTables script then fetches the rows from
datatables_ticket_list/<query>/ (server-side processing). One sample is both requests, one after the other.
"""

import re
import sys
import time

from bench.peer import boot

boot.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from helpdesk.models import Ticket  # noqa: E402

from bench.peer.common import STAFF_USERNAME, emit  # noqa: E402
from bench.stats import percentile  # noqa: E402

LIST_URL = "/helpdesk/tickets/"
WARMUP = 3
# Where the page's script fetches its rows from, and how many it asks for (the user's tickets_per_page).
ROWS_URL = re.compile(r'"url":\s*"(/helpdesk/datatables_ticket_list/[^"]+)"')
PAGE_LENGTH = re.compile(r"data-page-length='(\d+)'")
# The table's columns in ticket_list.html, in order (time_spent and kbitem are on with helpdesk's defaults).
COLUMNS = [
    "id",
    "ticket",
    "priority",
    "queue",
    "status",
    "created",
    "due_date",
    "assigned_to",
    "submitter",
    "last_followup",
    "time_spent",
    "kbitem",
]


def datatables_params(page_length: int, draw: int) -> dict:
    """The query string of DataTables' first draw: page 1, no search, and no order (the table sets order: [])."""
    params = {"draw": str(draw)}
    for index, name in enumerate(COLUMNS):
        column = f"columns[{index}]"
        params[f"{column}[data]"] = name
        params[f"{column}[name]"] = ""
        params[f"{column}[searchable]"] = "true"
        params[f"{column}[orderable]"] = "false" if name == "id" else "true"
        params[f"{column}[search][value]"] = ""
        params[f"{column}[search][regex]"] = "false"
    params.update({"start": "0", "length": str(page_length), "search[value]": "", "search[regex]": "false"})
    # jQuery's cache buster, since DataTables asks with cache: false.
    params["_"] = str(int(time.time() * 1000))
    return params


def checked(response, what: str):
    if response.status_code != 200:
        raise SystemExit(f"{what}: HTTP {response.status_code}")
    return response


def rows_request(page_html: str) -> tuple[str, int]:
    url, length = ROWS_URL.search(page_html), PAGE_LENGTH.search(page_html)
    if not url or not length:
        raise SystemExit("the ticket list page has no DataTables ajax URL or page length")
    return url.group(1), int(length.group(1))


def one_sample(client: Client, draw: int) -> tuple[float, float, dict]:
    """(page ms, rows ms, rows JSON). Only the requests are timed, not reading their bodies afterwards."""
    started = time.perf_counter()
    page = client.get(LIST_URL)
    page_ms = (time.perf_counter() - started) * 1000
    url, length = rows_request(checked(page, "ticket list page").content.decode())
    params = datatables_params(length, draw)
    started = time.perf_counter()
    rows = client.get(url, params)
    rows_ms = (time.perf_counter() - started) * 1000
    return page_ms, rows_ms, checked(rows, "ticket list rows").json()


def count_queries(client: Client) -> tuple[int, int]:
    """Queries of the page and of the rows, on a request of their own: recording SQL costs time we don't time."""
    page = checked(client.get(LIST_URL), "ticket list page")
    url, length = rows_request(page.content.decode())
    with CaptureQueriesContext(connection) as page_queries:
        client.get(LIST_URL)
    with CaptureQueriesContext(connection) as rows_queries:
        client.get(url, datatables_params(length, 1))
    return len(page_queries), len(rows_queries)


def staff_client() -> Client:
    # Host "localhost": the project's ALLOWED_HOSTS are those of a real deployment, not the test "testserver".
    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=STAFF_USERNAME))
    return client


def main(samples: int) -> None:
    client = staff_client()
    for draw in range(1, WARMUP + 1):
        one_sample(client, draw)
    pages, rows, totals = [], [], []
    for draw in range(WARMUP + 1, WARMUP + samples + 1):
        page_ms, rows_ms, data = one_sample(client, draw)
        pages.append(page_ms)
        rows.append(rows_ms)
        totals.append(page_ms + rows_ms)
    page_queries, rows_queries = count_queries(client)
    emit(
        {
            "tickets": Ticket.objects.count(),
            "samples": samples,
            "p50_ms": round(percentile(totals, 0.5), 2),
            "p95_ms": round(percentile(totals, 0.95), 2),
            "queries": page_queries + rows_queries,
            "page_p50_ms": round(percentile(pages, 0.5), 2),
            "page_p95_ms": round(percentile(pages, 0.95), 2),
            "rows_p50_ms": round(percentile(rows, 0.5), 2),
            "rows_p95_ms": round(percentile(rows, 0.95), 2),
            "page_queries": page_queries,
            "rows_queries": rows_queries,
            "rows_shown": len(data["data"]),
            "records_total": data["recordsTotal"],
        }
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
