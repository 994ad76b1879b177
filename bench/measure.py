"""In-process measurements of ``make bench``, run with the benchmark's settings and database (DATABASE_URL):

    python bench/measure.py queue --office CODE --samples 40   # the officer queue page
    python bench/measure.py ikm --office CODE --runs 5          # a period's IKM, beside one raw SQL aggregate
    python bench/measure.py pages --office CODE                 # each citizen page's compressed weight

Each prints one JSON object. The queue page is requested through Django's test client as a signed-in ULT
officer (password and second factor, as ``force_login`` plus a verified device stand for), so the time is
the server's whole work for the page (middleware, queries, template), without the network. Timings follow
warm-up requests, as a running server's would.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.stats import summary  # noqa: E402
from jangkau.accounts.models import Role, User  # noqa: E402
from jangkau.cases.models import Case  # noqa: E402
from jangkau.cases.queue import Group  # noqa: E402
from jangkau.offices.models import Office  # noqa: E402
from jangkau.surveys.models import Response  # noqa: E402
from jangkau.surveys.reports import ikm_report  # noqa: E402

WARM_UP = 3


def signed_in_officer(office: Office) -> Client:
    from tests.builders import pass_second_factor_in_session

    user = User.objects.filter(office=office, role=Role.ULT_OFFICER, is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(user)
    pass_second_factor_in_session(client, user)
    return client


def measure_queue(office: Office, samples: int) -> dict:
    client = signed_in_officer(office)
    url = "/staf/kasus/"
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    # Counted on one more request, not timed: recording the SQL would add to the timings (as for the peer).
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    open_cases = Case.objects.filter(office=office, queue_group__lt=Group.ENDED).count()
    return {"cases": open_cases, "samples": samples, "queries": len(captured), **summary(timings)}


FLOOR_SQL = (
    "SELECT COUNT(*), "
    + ", ".join(f"SUM(u{n})" for n in range(1, 10))
    + " FROM surveys_response WHERE office_id = %s AND answered_on >= %s AND answered_on <= %s"
)


def measure_ikm(office: Office, runs: int) -> dict:
    """Times ``ikm_report`` (what the recap page, the API and the command compute) and the floor: one raw SQL
    aggregate of the same rows, which is the least any IKM must read. Interleaved, so that both see the same
    machine; the median of ``runs`` each."""
    period = Response.objects.filter(office=office).order_by("answered_on")
    start, end = period.first().answered_on, period.last().answered_on
    ours, floor = [], []
    for run in range(runs + 1):
        started = time.perf_counter()
        report = ikm_report(office, start, end)
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [office.pk, start, end])
            row = cursor.fetchone()
        floor_elapsed = time.perf_counter() - started
        if run:  # the first round warms the caches
            ours.append(elapsed)
            floor.append(floor_elapsed)
    assert report["respondents"] == row[0], (report["respondents"], row[0])
    seconds, floor_seconds = statistics.median(ours), statistics.median(floor)
    return {
        "responses": row[0],
        "period": [start.isoformat(), end.isoformat()],
        "ikm_converted": report["ikm_converted"],
        "runs": runs,
        "seconds": round(seconds, 4),
        "floor_seconds": round(floor_seconds, 4),
        "ratio_floor": round(seconds / floor_seconds, 2),
    }


ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def compressed(content: bytes) -> int:
    # gzip at level 6, what a web server's on-the-fly compression sends (WhiteNoise's own files are smaller).
    return len(gzip.compress(content, compresslevel=6))


def citizen_pages(office: Office, client: Client) -> dict[str, str]:
    """Returns {path as reported: path requested} of every page a citizen sees apart from the web form,
    signed in where the page needs it (the tracking page by number and code, the survey by its private
    link); the reported path names the number and the token by placeholders, never their values."""
    from jangkau.surveys.models import Invitation

    code = office.code
    paths = ["/", "/lacak/", *(f"/kantor/{code}/{page}/" for page in ("pos", "standar-pelayanan", "maklumat", "ikm"))]
    pages = {path: path for path in [*paths, "/privasi/", "/survei/terima-kasih/"]}
    case = Case.objects.filter(office=office, queue_group__lt=Group.ENDED).order_by("pk").first()
    looked_up = client.post("/lacak/", {"nomor": case.registration_number, "kode": case.tracking_code})
    if looked_up.status_code == 302:
        pages["/lacak/<nomor>/"] = looked_up["Location"]
    invitation = Invitation.objects.filter(case__office=office, case__survey_response__isnull=True).first()
    if invitation is not None:
        pages["/survei/<token>/"] = f"/survei/{invitation.token}/"
    return pages


def intake_pages(office: Office, client: Client) -> dict[str, bytes]:
    """Walks the web form as a requester does, page by page with valid answers (the intake tests' own), and
    returns each page's HTML as served by its path, the check page last."""
    from tests.portal.test_intake_pages import ANSWERS

    base = f"/kantor/{office.code}/ajukan/"
    assert client.post(base).status_code == 302
    served = {}
    for slug, answer in ANSWERS.items():
        response = client.get(f"{base}{slug}/")
        assert response.status_code == 200, (slug, response.status_code)
        served[f"{base}{slug}/"] = response.content
        assert client.post(f"{base}{slug}/", answer).status_code == 302, slug
    check = client.get(f"{base}periksa/")
    assert check.status_code == 200
    served[f"{base}periksa/"] = check.content
    return served


def measure_pages(office: Office) -> dict:
    """Returns each citizen page's compressed bytes: its HTML plus every stylesheet and script it loads."""
    client = Client()
    served = intake_pages(office, client)
    for name, path in citizen_pages(office, client).items():
        response = client.get(path)
        served[name] = response.content if response.status_code == 200 else response.status_code
    weights = {}
    for name, html in served.items():
        if isinstance(html, int):
            weights[name] = {"status": html}
            continue
        assets = {}
        for url in sorted(set(ASSET.findall(html.decode()))):
            asset = client.get(url)
            assert asset.status_code == 200, (url, asset.status_code)
            assets[url] = compressed(b"".join(asset.streaming_content) if asset.streaming else asset.content)
        weights[name] = {
            "html": compressed(html),
            "assets": assets,
            "bytes": compressed(html) + sum(assets.values()),
        }
    return weights


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["queue", "ikm", "pages"])
    parser.add_argument("--office", default="bpmp-dki")
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    office = Office.objects.get(code=args.office)
    if args.what == "queue":
        result = measure_queue(office, args.samples)
    elif args.what == "ikm":
        result = measure_ikm(office, args.runs)
    else:
        result = measure_pages(office)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
