"""Every citizen page, with its CSS and scripts, weighs at most 50 KB compressed: people on cheap phones and
slow, metered connections must be able to load it.

The weight is measured the way a browser receives it: the HTML as served plus every stylesheet and script it
links, each gzip-compressed (level 6, what web servers use by default).
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET = 50 * 1024


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def asset_bytes(url: str) -> bytes:
    assert url.startswith(settings.STATIC_URL), f"{url}: pages may only load their own assets"
    path = finders.find(re.sub(r"\?.*$", "", url[len(settings.STATIC_URL) :]))
    assert path, f"{url} not found"
    return Path(path).read_bytes()


def page_weight(html: bytes) -> tuple[int, dict[str, int]]:
    parser = _Assets()
    parser.feed(html.decode())
    parts = {"html": compressed(html)} | {url: compressed(asset_bytes(url)) for url in parser.urls}
    return sum(parts.values()), parts


def assert_light(response, label: str) -> int:
    assert response.status_code == 200, label
    total, parts = page_weight(response.content)
    assert total <= BUDGET, f"{label} weighs {total} bytes compressed: {parts}"
    return total


def test_the_measure_counts_linked_stylesheets(client, world):
    """Guards the measure itself: the home page's stylesheet is part of its weight."""
    total, parts = page_weight(client.get("/").content)

    assert any(url.endswith(".css") for url in parts)
    assert total > parts["html"]


@pytest.fixture
def demo_office(world):
    """The world's office with the demo's catalogue, Standar Pelayanan and Maklumat: real-sized texts."""
    from jangkau.core import demo

    assert demo._office() == world.office
    return world.office


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/privasi/",
        "/lacak/",
        "/kantor/{office}/pos/",
        "/kantor/{office}/standar-pelayanan/",
        "/kantor/{office}/maklumat/",
        "/kantor/{office}/ikm/",
    ],
)
def test_public_pages_weigh_at_most_50_kb(client, demo_office, path):
    assert_light(client.get(path.format(office=demo_office.code)), path)


def test_the_ikm_pages_with_a_publication_weigh_at_most_50_kb(client, demo_office, world):
    from datetime import timedelta

    from jangkau.cases.services import office_today
    from tests.surveys.test_publication import ROWS, add_responses, publish

    yesterday = office_today(demo_office) - timedelta(days=1)
    add_responses(demo_office, ROWS * 30, yesterday)
    publication = publish(world, start=yesterday - timedelta(days=89), end=yesterday)

    listing = client.get(f"/kantor/{demo_office.code}/ikm/")
    assert f"/kantor/{demo_office.code}/ikm/{publication.pk}/" in listing.content.decode()
    assert_light(listing, "IKM list")
    assert_light(client.get(f"/kantor/{demo_office.code}/ikm/{publication.pk}/"), "IKM result")


def test_every_intake_page_weighs_at_most_50_kb_with_and_without_errors(client, demo_office):
    """Walks the whole form: each question empty, with its errors, and the check and confirmation pages."""
    from tests.portal.test_intake_pages import ANSWERS, BASE, CHECK, check_key

    weights = {"start": assert_light(client.get(BASE), "start")}
    client.post(BASE)
    for slug, answer in ANSWERS.items():
        weights[slug] = assert_light(client.get(f"{BASE}{slug}/"), slug)
        # An empty answer to a required question comes back with the error summary and messages.
        errors = client.post(f"{BASE}{slug}/", {})
        if errors.status_code == 200:
            weights[f"{slug} (errors)"] = assert_light(errors, f"{slug} with errors")
        assert client.post(f"{BASE}{slug}/", answer).status_code == 302, slug
    weights["check"] = assert_light(client.get(CHECK), "check")
    done = client.post(CHECK, {"idempotency_key": check_key(client)}, follow=True)
    weights["done"] = assert_light(done, "confirmation")

    # Every required question was also measured in its error state.
    assert len([label for label in weights if "errors" in label]) >= 7, weights


def test_the_tracking_pages_weigh_at_most_50_kb(client, demo_office, world, frozen):
    from jangkau.cases.models import Status
    from tests.builders import case_in

    case = case_in(Status.SCHEDULED, world)
    wrong = client.post("/lacak/", {"nomor": case.registration_number, "kode": "SALAH"})
    assert_light(wrong, "lookup with errors")

    opened = client.post("/lacak/", {"nomor": case.registration_number, "kode": case.tracking_code}, follow=True)
    assert_light(opened, "case page")
    for action in ("jadwal-ulang", "batalkan"):
        assert_light(client.get(f"/lacak/{case.registration_number}/{action}/"), action)

    waiting = case_in(Status.AWAITING_INFO, world)
    client.post("/lacak/", {"nomor": waiting.registration_number, "kode": waiting.tracking_code})
    assert_light(client.get(f"/lacak/{waiting.registration_number}/kirim-data/"), "send missing data")

    # Steps 3-5: the legal deadline, the office's notices and a cancelled appointment; a delivered service.
    from tests.builders import perform, reload

    called_off = case_in(Status.SCHEDULED, world)
    perform("extend_information_deadline", called_off, world)
    perform("cancel_appointment", reload(called_off), world)
    client.post("/lacak/", {"nomor": called_off.registration_number, "kode": called_off.tracking_code})
    assert_light(client.get(f"/lacak/{called_off.registration_number}/"), "case page with notices")
    served = case_in(Status.DELIVERED, world)
    client.post("/lacak/", {"nomor": served.registration_number, "kode": served.tracking_code})
    assert_light(client.get(f"/lacak/{served.registration_number}/"), "delivered case page")
