"""Hostile input to every form and every API input (issue 8, item 4).

Every form of the portal and the back office, and every operation of the JSON API, gets the catalogue of
``hostile_payloads``: markup and scripts, SQL, template syntax, overlong text, Unicode edge cases, NUL bytes,
lone surrogates, malformed dates and numbers, bad NIKs and phone numbers, disguised uploads, and (for the API)
malformed JSON, wrong types and wrong content types.

What must hold for each input:

- no 5xx, ever (the client does not raise, so a server error shows as a 500);
- a refusal is a clear 4xx, or the form again with its error summary, and changes no row of any Jangkau
  table (no half-saved case, audit event, document or message);
- an accepted value is stored as text and shown escaped: no page ever holds the markup unescaped.

Each (form, payload) pair is sent in one request with the payload in every field that takes it; when the
form refuses some fields, the request is sent again with the payload in the others only, so a value one field
refuses does not keep the others' payload from reaching the service. Every request runs in a savepoint that
is rolled back, so each input meets the same state and none changes what the next one sees.

The number of inputs tried per family is printed at the end of the module (and written to the file named
by ``HOSTILE_COUNTS_FILE`` when set).
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.test import Client

from jangkau.cases import services as svc
from jangkau.cases.models import Status
from jangkau.core import clock
from jangkau.core.models import RateWindow

from . import hostile_payloads as hp
from .hostile_payloads import Raw, Text, Upload

pytestmark = pytest.mark.django_db

# Inputs tried per family (one field × one payload is one input) and requests sent, for the whole module.
TRIED: Counter = Counter()
REQUESTS: Counter = Counter()
# Inputs tried per surface: web forms, the JSON API, URL segments, downloads.
SURFACES: Counter = Counter()
# Requests and seconds per group, to keep the module within its time budget.
GROUP_COST: dict[str, tuple[int, float]] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request):
    yield
    if not TRIED:
        return
    lines = [f"hostile input: {sum(TRIED.values())} inputs in {sum(REQUESTS.values())} requests"]
    lines += [f"  {family:<14} {count:>7}" for family, count in sorted(TRIED.items())]
    lines += [f"  surface {surface:<14} {count:>7}" for surface, count in sorted(SURFACES.items())]
    lines += [
        f"  group {name:<32} {count:>5} requests {seconds:6.1f} s" for name, (count, seconds) in GROUP_COST.items()
    ]
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            for line in lines:
                reporter.write_line(line)
    path = os.environ.get("HOSTILE_COUNTS_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "inputs": dict(TRIED),
                    "surfaces": dict(SURFACES),
                    "requests": dict(REQUESTS),
                    "total": sum(TRIED.values()),
                    "groups": GROUP_COST,
                },
                handle,
                indent=1,
            )


# --- the probe: one request, isolated and checked ---------------------------------------------------------------


class _Exceptions:
    """Keeps the last exception a request raised (the client, not raising, would otherwise lose it)."""

    def __init__(self):
        self.last = ""
        got_request_exception.connect(self.keep, dispatch_uid="hostile-input")

    def keep(self, sender, **kwargs):
        # The project's own frames say where to look; the exception says what happened.
        kind, value, trace = sys.exc_info()
        frames = [frame for frame in traceback.extract_tb(trace) if "/jangkau/" in frame.filename][-4:]
        where = "".join(traceback.format_list(frames))
        self.last = f"{where}{kind.__name__ if kind else ''}: {value}"

    def take(self) -> str:
        last, self.last = self.last, ""
        return last


_exceptions = _Exceptions()


@functools.cache
def _table_counts_sql() -> str:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model.__module__.startswith("jangkau.")
        and model._meta.managed
        and not model._meta.proxy
        # The rate limiter counts every try, refused or not: that is its purpose.
        and model is not RateWindow
    )
    quote_name = connection.ops.quote_name
    return "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {quote_name(table)}) AS {quote_name(table)}" for table in tables
    )


def table_counts() -> dict[str, int]:
    """Returns the row count of every Jangkau table, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_table_counts_sql())
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def staff_client(user) -> Client:
    """A client signed in as ``user`` with the second factor passed (a TOTP device in the session)."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # pragma: no cover -- the second factor is not installed
        return client
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="hostile-input", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def public_client() -> Client:
    return Client(raise_request_exception=False)


@dataclass
class Failure:
    target: str
    fields: tuple[str, ...]
    payload: str
    problem: str

    def __str__(self):
        return f"{self.target} {list(self.fields)} <- {self.payload}: {self.problem}"


def _html(response) -> str | None:
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode("utf-8", "replace")


ERROR_SUMMARY = 'class="error-summary'


@dataclass
class Target:
    """One form (or API operation) and how to judge the answers to it.

    ``fields`` maps each field to the payloads it gets; ``base`` holds valid answers for every field, so a
    payload is the only thing wrong. ``views`` are the pages (client, URL) where accepted values show.
    """

    name: str
    client: Client
    url: str
    base: dict
    fields: dict[str, tuple[Text, ...]] = field(default_factory=dict)
    uploads: dict[str, tuple[Upload, ...]] = field(default_factory=dict)
    # Valid files sent with every request (field -> (name, bytes, content type)).
    base_files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    method: str = "post"
    # "form" (multipart or urlencoded), "query" (GET form) or "json" (API).
    kind: str = "form"
    headers: dict = field(default_factory=dict)
    views: list[tuple[Client, str]] = field(default_factory=list)
    # Fields whose value one of ``views`` shows: an accepted script must be there, escaped.
    shown: frozenset = frozenset()
    # Whether the page an accepted form redirects to (the record it made) is one of the views.
    view_redirect: bool = False
    # Where the form sits in the template context (to read which fields it refused).
    form_key: str = "form"
    # Tables a refusal may still change (a draft upload stored at once, by design).
    may_change: frozenset = frozenset()
    # Fields whose value is a list (checkboxes): the payload goes in as one item.
    lists: frozenset = frozenset()
    # Called after an accepted request, inside the savepoint, for extra checks; returns problems.
    after_accept: Callable[[object, Text | None], list[str]] | None = None
    # The API operation: JSON types and malformed bodies are tried once per operation (its schema decides).
    op: str = ""
    # Every malformed body and content type (the parsing all operations share), or only those the
    # operation's own schema answers (``hp.SCHEMA_BODIES`` and a duplicate key).
    all_bodies: bool = False
    # Whether a file that is not what it claims makes the whole request a refusal (False for the survey
    # import, which reads the file and reports the rows it refuses on a page of its own).
    refuses_bad_files: bool = True


def _surface(target: Target) -> str:
    return "api" if target.url.startswith("/api/") else "web form"


class Catalogue:
    """Sends payloads to targets and gathers every failure, so one run reports all of them."""

    def __init__(self):
        self.failures: list[Failure] = []
        # API operations whose schema already met the JSON types and the malformed bodies.
        self.shaped: set[str] = set()

    def first_of_operation(self, target: Target) -> bool:
        """Whether ``target`` is the first of its API operation in this run (then it gets the JSON types and
        the malformed bodies); always True outside the API."""
        if target.kind != "json":
            return True
        key = target.op or f"{target.method} {target.url}"
        if key in self.shaped:
            return False
        self.shaped.add(key)
        return True

    # --- sending ---------------------------------------------------------------------------------------------

    def _files(self, target: Target, extra: dict[str, Upload] | None = None) -> dict:
        files = {name: SimpleUploadedFile(*spec) for name, spec in target.base_files.items()}
        for name, upload in (extra or {}).items():
            files[name] = SimpleUploadedFile(upload.filename, upload.content, upload.content_type)
        return files

    def _request(self, target: Target, data: dict, surrogates: dict[str, bytes], files: dict, headers: dict):
        client = target.client
        if target.kind == "json":
            return self._json_request(target, data, headers)
        if target.kind == "query":
            query = urlencode(data, doseq=True)
            extra = "&".join(f"{quote(name)}={raw.decode()}" for name, raw in surrogates.items())
            path = target.url + "?" + "&".join(part for part in (query, extra) if part)
            return getattr(client, target.method)(path, headers=headers)
        if surrogates:
            # A lone surrogate cannot be UTF-8 encoded: the body carries the bytes a careless client sends.
            body = urlencode(data, doseq=True) + "".join(
                f"&{quote(name)}={raw.decode()}" for name, raw in surrogates.items()
            )
            return client.generic(
                target.method.upper(), target.url, body, "application/x-www-form-urlencoded", headers=headers
            )
        return getattr(client, target.method)(target.url, {**data, **files}, headers=headers)

    def _json_request(self, target: Target, data: dict, headers: dict):
        body = json_dumps(data)
        return target.client.generic(
            target.method.upper(),
            target.url,
            body.encode("utf-8", "surrogatepass"),
            "application/json",
            headers=headers,
        )

    def send(self, target: Target, fields: Iterable[str], payload: Text | None, upload: tuple[str, Upload] | None):
        """Sends the base answers with ``payload`` in ``fields`` (or ``upload`` in its field); checks the answer
        and returns (accepted, fields the form refused)."""
        fields = tuple(fields)
        data = copy.deepcopy(target.base)
        headers = dict(target.headers)
        surrogates: dict[str, bytes] = {}
        for name in fields:
            if name.startswith("header:"):
                headers[name.removeprefix("header:")] = payload.value
            elif payload.form_bytes is not None and target.kind != "json":
                data.pop(name, None)
                surrogates[name] = payload.form_bytes
            else:
                value = payload.value
                data[name] = [value] if name in target.lists else value
        label = payload.label if payload else f"{upload[1].label} ({upload[1].filename[:40]!r})"
        family = payload.family if payload else upload[1].family
        REQUESTS[family] += 1
        sid = transaction.savepoint()
        cookies = copy.deepcopy(target.client.cookies)
        try:
            before = table_counts()
            files = self._files(target, dict([upload]) if upload else None)
            response = self._request(target, data, surrogates, files, headers)
            accepted, refused = self._judge(target, fields or (upload[0],), payload, label, response, before)
            if upload and not upload[1].acceptable:
                # A file that is not what it claims is never stored, not even as a draft.
                changed = self._changed(before, frozenset())
                if changed or (accepted and target.refuses_bad_files):
                    self._fail(target, (upload[0],), label, f"not refused ({response.status_code}), rows: {changed}")
            return accepted, refused
        finally:
            transaction.savepoint_rollback(sid)
            target.client.cookies = cookies

    def _fail(self, target, fields, label, problem):
        self.failures.append(Failure(target.name, tuple(fields), label, problem))

    def _judge(self, target, fields, payload, label, response, before) -> tuple[bool, set[str]]:
        status = response.status_code
        if status >= 500:
            self._fail(target, fields, label, f"status {status}\n{_exceptions.take()}")
            return False, set()
        self._check_inert(target, fields, label, response, payload)
        if target.kind == "query" or target.method == "get":
            # A search, a filter or a page read: nothing is stored, whatever it answers.
            changed = self._changed(before, target.may_change)
            if changed:
                self._fail(target, fields, label, f"a {target.method.upper()} changed rows: {changed}")
            return False, self._refused_fields(target, response)
        if not self._accepted(target, response):
            changed = self._changed(before, target.may_change)
            if changed:
                self._fail(target, fields, label, f"refused with {status} but changed rows: {changed}")
            return False, self._refused_fields(target, response)
        self._check_views(target, fields, label, payload, response)
        if target.after_accept:
            for problem in target.after_accept(response, payload):
                self._fail(target, fields, label, problem)
        return True, set()

    @staticmethod
    def _accepted(target: Target, response) -> bool:
        """A 3xx (post/redirect/get), a 2xx answer of the API, or a 2xx page without an error summary (a
        result shown at once: a download, an import report, the personal data opened)."""
        status = response.status_code
        if not 200 <= status < 400:
            return False
        if status >= 300 or target.kind == "json":
            return True
        html = _html(response)
        return html is None or ERROR_SUMMARY not in html

    @staticmethod
    def _changed(before: dict, allowed: frozenset) -> dict:
        after = table_counts()
        return {t: (before[t], after[t]) for t in before if before[t] != after[t] and t not in allowed}

    def _refused_fields(self, target: Target, response) -> set[str]:
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                errors = response.json().get("errors") or []
            except (ValueError, AttributeError):
                return set()
            return {error.get("field") for error in errors if error.get("field")}
        context = response.context
        form = context.get(target.form_key) if context is not None else None
        errors = getattr(form, "errors", None) or {}
        return {name for name in errors if name != "__all__"}

    def _check_inert(self, target, fields, label, response, payload: Text | None) -> None:
        html = _html(response)
        if html is None:
            return
        markers = payload.raw_markers if payload else ("<script>alert(1)</script>",)
        for marker in markers:
            if marker in html:
                self._fail(target, fields, label, f"{response.request['PATH_INFO']} shows {marker!r} unescaped")

    def _check_views(self, target: Target, fields, label, payload: Text | None, response) -> None:
        views = list(target.views)
        if target.view_redirect and response.status_code in (301, 302, 303):
            views.append((target.client, response["Location"]))
        if not views or (payload is not None and not payload.check_pages):
            return
        shown_somewhere = False
        for client, url in views:
            response = client.get(url)
            if response.status_code >= 500:
                self._fail(target, fields, label, f"view {url} answers {response.status_code}\n{_exceptions.take()}")
                continue
            self._check_inert(target, fields, label, response, payload)
            html = _html(response) or ""
            if payload and payload.escaped_marker and payload.escaped_marker in html:
                shown_somewhere = True
        expected = payload is not None and payload.escaped_marker and set(fields) & target.shown
        if expected and not shown_somewhere:
            self._fail(target, fields, label, f"accepted but not shown escaped on {[u for _c, u in views]}")

    # --- running a whole target ------------------------------------------------------------------------------

    def run(self, target: Target) -> None:
        first = self.first_of_operation(target)
        by_payload: dict[Text, list[str]] = {}
        for name, payloads in target.fields.items():
            for payload in payloads:
                if payload.family == "json_type" and not first:
                    continue
                by_payload.setdefault(payload, []).append(name)
        for payload, names in by_payload.items():
            TRIED[payload.family] += len(names)
            SURFACES[_surface(target)] += len(names)
            self._shrink(target, payload, names)
        for name, uploads in target.uploads.items():
            for upload in uploads:
                TRIED[upload.family] += 1
                SURFACES[_surface(target)] += 1
                self.send(target, (), None, (name, upload))
        if first and target.kind == "json":
            self.run_bodies(target)

    def _shrink(self, target: Target, payload: Text, names: list[str]) -> None:
        """Sends ``payload`` in all ``names``; while some are refused, again in the ones that were not."""
        remaining = list(names)
        while remaining:
            accepted, refused = self.send(target, remaining, payload, None)
            if accepted:
                return
            refused &= set(remaining)
            if not refused:
                # Refused as a whole (a rule across fields, a message above the form): each field on its own.
                # A search or a filter reads every field whatever it answers: nothing more to learn.
                if len(remaining) > 1 and target.kind != "query":
                    for name in remaining:
                        self.send(target, [name], payload, None)
                return
            remaining = [name for name in remaining if name not in refused]

    def run_bodies(self, target: Target) -> None:
        """Sends whole bodies that are not the object the operation reads: malformed JSON, other types,
        duplicate keys, deep nesting, wrong encodings and wrong content types."""
        name = next(iter(target.fields), "reason").encode()
        bodies = [(family, label, "application/json", body) for family, label, body in hp.JSON_BODIES]
        bodies += list(hp.CONTENT_TYPES)
        if not target.all_bodies:
            bodies = [body for body in bodies if body[1] in hp.SCHEMA_BODIES]
        duplicate = json_dumps(target.base)[:-1] + (", " if target.base else "") + f'"{name.decode()}": "{hp.SCRIPT}"}}'
        bodies.append(("json_shape", "duplicate key", "application/json", duplicate.encode()))
        for family, label, content_type, body in bodies:
            body = body.replace(b'"reason"', b'"' + name + b'"').replace(b"reason=", name + b"=")
            body = body.replace('"reason"'.encode("utf-16")[2:], f'"{name.decode()}"'.encode("utf-16")[2:])
            TRIED[family] += 1
            SURFACES[_surface(target)] += 1
            REQUESTS[family] += 1
            payload = Text(family, label, "")
            sid = transaction.savepoint()
            cookies = copy.deepcopy(target.client.cookies)
            try:
                before = table_counts()
                response = target.client.generic(
                    target.method.upper(), target.url, body, content_type, headers=target.headers
                )
                self._judge(target, (name.decode(),), payload, f"{family}: {label}", response, before)
            finally:
                transaction.savepoint_rollback(sid)
                target.client.cookies = cookies

    def assert_clean(self) -> None:
        assert not self.failures, f"{len(self.failures)} problems:\n" + "\n".join(map(str, self.failures[:60]))


RAW = re.compile(r'"@@raw(\d+)@@"')


def json_dumps(data) -> str:
    raws: list[str] = []

    def mark(value):
        if isinstance(value, Raw):
            raws.append(value.literal)
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mark(item) for item in value]
        return value

    text = json.dumps(mark(data))
    return RAW.sub(lambda match: raws[int(match.group(1))], text)


@pytest.fixture
def catalogue():
    return Catalogue()


# --- payload sets per kind of field ------------------------------------------------------------------------------

FREE = hp.FREE_TEXT
CHOICE = hp.CHOICE_TEXT
DATE = hp.DATE_TEXT
TIME = hp.TIME_TEXT
NUMBER = hp.NUMBER_TEXT


def many(names: str, payloads) -> dict[str, tuple[Text, ...]]:
    return dict.fromkeys(names.split(), tuple(payloads))


# --- portal: the intake wizard --------------------------------------------------------------------------------

INTAKE_ANSWERS = {
    "nama": {"full_name": "Siti Aminah"},
    "identitas": {"id_type": "ktp", "nik": "3171015203850001", "id_number": "", "no_id_reason": ""},
    "kontak": {"phone": "0812-3456-7890", "email": "siti@contoh.id", "notify_channel": "whatsapp", "language": "id"},
    "kelompok": {"vulnerabilities": ["elderly"], "disability_details": "Pengguna kursi roda"},
    "layanan": {"service_type": "data-informasi", "need": "Data mutu sekolah"},
    "cara": {"delivery_mode": "visit"},
    "alamat": {"address": "Jl. Kenanga No. 5", "area": "Jakarta Pusat"},
    "akomodasi": {"accommodations": ["wheelchair"]},
    "pendamping": {"has_companion": "ya", "companion_name": "Budi", "companion_relation": "anak"},
    "persetujuan": {"consent": "on"},
}


def intake_client(world) -> tuple[Client, str]:
    """A browser whose draft holds valid answers to every page; returns it and the intake's base URL."""
    client = public_client()
    base = f"/kantor/{world.office.code}/ajukan/"
    client.post(base)
    for slug, answers in INTAKE_ANSWERS.items():
        response = client.post(f"{base}{slug}/", answers)
        assert response.status_code == 302, (slug, response.status_code)
    return client, base


def portal_intake_targets(world) -> list[Target]:
    client, base = intake_client(world)
    check = [(client, f"{base}periksa/")]

    def page(slug, fields, answers=None, **extra):
        return Target(
            f"intake page {slug}",
            client,
            f"{base}{slug}/",
            answers or INTAKE_ANSWERS[slug],
            fields,
            views=check,
            lists=frozenset({"vulnerabilities", "accommodations"}),
            **extra,
        )

    identity = INTAKE_ANSWERS["identitas"]
    shown = frozenset(
        [
            "full_name",
            "nik",
            "id_number",
            "no_id_reason",
            "email",
            "disability_details",
            "need",
            "address",
            "area",
            "companion_name",
            "companion_relation",
        ]
    )
    targets = [
        page("nama", many("full_name", FREE), shown=shown),
        page("identitas", {"id_type": CHOICE, "nik": hp.NIK_TEXT + FREE}, shown=shown),
        page("identitas", {"id_number": FREE}, {**identity, "id_type": "passport", "id_number": "A123"}, shown=shown),
        page(
            "identitas", {"no_id_reason": FREE}, {**identity, "id_type": "none", "no_id_reason": "Hilang"}, shown=shown
        ),
        page(
            "kontak",
            {"phone": hp.PHONE_TEXT + FREE, "email": FREE, **many("notify_channel language", CHOICE)},
            shown=shown,
        ),
        page("kelompok", {"vulnerabilities": CHOICE, "disability_details": FREE}, shown=shown),
        page("layanan", {"service_type": CHOICE, "need": FREE}, shown=shown),
        page("cara", {"delivery_mode": CHOICE}),
        page("alamat", many("address area", FREE), shown=shown),
        page("akomodasi", {"accommodations": CHOICE}),
        page(
            "pendamping",
            {"has_companion": CHOICE, **many("companion_name companion_relation", FREE)},
            shown=shown,
            uploads={"power_of_attorney": hp.UPLOADS},
            # The power of attorney is stored as a draft as soon as it is sent, even beside a wrong answer.
            may_change=frozenset({"cases_casedocument"}),
        ),
        page("persetujuan", {"consent": CHOICE}),
    ]
    key = client.get(f"{base}periksa/").context["draft"]["key"]
    targets.append(
        Target(
            "intake check page",
            client,
            f"{base}periksa/",
            {"idempotency_key": key, "situs_web": ""},
            {"idempotency_key": CHOICE, "situs_web": CHOICE},
        )
    )
    return targets


GROUPS: dict[str, Callable] = {}


def group(function):
    GROUPS[function.__name__] = function
    return function


@group
def portal_intake(world, other_world):
    return portal_intake_targets(world)


# --- portal: tracking and the requester's actions ----------------------------------------------------------


def tracking_client(case) -> Client:
    client = public_client()
    response = client.post("/lacak/", {"nomor": case.registration_number, "kode": case.tracking_code})
    assert response.status_code == 302, response.status_code
    return client


@group
def portal_tracking(world, other_world):
    from tests.builders import case_in

    lookup = Target(
        "tracking lookup",
        public_client(),
        "/lacak/",
        {"nomor": "JB-2025-000001", "kode": "K7QM-4XPA-2R"},
        many("nomor kode", FREE),
    )
    lookup_get = Target("tracking lookup ?nomor=", public_client(), "/lacak/", {}, {"nomor": FREE}, kind="query")
    awaiting = case_in(Status.AWAITING_INFO, world)
    scheduled = case_in(Status.SCHEDULED, world)
    submitted = case_in(Status.SUBMITTED, world)
    targets = [lookup, lookup_get]
    for case, slug, base, fields, uploads in (
        (awaiting, "kirim-data", {"text": "Foto KTP terlampir"}, many("text", FREE), {"document": hp.UPLOADS}),
        (
            scheduled,
            "jadwal-ulang",
            {"reason": "Saya sakit", "preferred_times": "Senin pagi"},
            many("reason preferred_times", FREE),
            {},
        ),
        (submitted, "batalkan", {"reason": "Sudah tidak perlu"}, many("reason", FREE), {}),
    ):
        client = tracking_client(case)
        case_page = f"/lacak/{case.registration_number}/"
        targets.append(
            Target(
                f"tracking {slug}",
                client,
                f"{case_page}{slug}/",
                base,
                fields,
                uploads=uploads,
                # The requester sees what they sent; the officer sees it in the logged personal-data view.
                views=[(client, case_page), (staff_client(world.ult), f"/staf/kasus/{case.registration_number}/")],
            )
        )
    return targets


# --- the requester's survey -----------------------------------------------------------------------------------

SURVEY_ANSWERS = {
    **{f"u{n}": str(1 + n % 4) for n in range(1, 10)},
    "sex": "P",
    "age": "67",
    "education": "sd",
    "occupation": "other",
    "suggestion": "Petugas datang tepat waktu",
}
SURVEY_FIELDS = {
    **many(" ".join(f"u{n}" for n in range(1, 10)), CHOICE + hp.NUMBERS),
    **many("sex education occupation", CHOICE),
    "age": NUMBER,
    "suggestion": FREE,
}


def delivered_case(world):
    from tests.builders import case_in

    case = case_in(Status.SCHEDULED, world)
    return svc.case_deliver(case=case, actor=world.ult, notes="Dokumen diantar")


@group
def surveys_public(world, other_world):
    from jangkau.surveys.instrument import active_instrument
    from jangkau.surveys.invitations import survey_path
    from jangkau.surveys.models import Invitation

    # The instrument is made on first use; made here, it is not counted as a row a refusal wrote.
    active_instrument(world.office)
    case = delivered_case(world)
    path = survey_path(Invitation.objects.get(case=case))
    return [Target("survey answer (private link)", public_client(), path, SURVEY_ANSWERS, SURVEY_FIELDS)]


# --- back office: intake, breaches, the case page's own forms --------------------------------------------------

OFFICER_INTAKE = {
    "channel": "whatsapp",
    "full_name": "Siti Aminah",
    "id_type": "ktp",
    "nik": "3171015203850001",
    "id_number": "",
    "no_id_reason": "",
    "phone": "0812-3456-7890",
    "email": "",
    "notify_channel": "whatsapp",
    "language": "id",
    "address": "Jl. Kenanga No. 5",
    "area": "Jakarta Pusat",
    "vulnerabilities": ["elderly"],
    "disability_details": "Pengguna kursi roda",
    "service_type": "data-informasi",
    "need": "Data mutu sekolah",
    "delivery_mode": "visit",
    "accommodations": ["wheelchair"],
    "companion_name": "",
    "companion_relation": "",
    "urgent_reason": "",
    "consent": "on",
    "idempotency_key": "k" * 32,
    "document_token": "",
}


@group
def backoffice_intake(world, other_world):
    client = staff_client(world.ult)
    free = "full_name no_id_reason email address area disability_details need companion_name companion_relation"
    return [
        Target(
            "officer intake",
            client,
            "/staf/permohonan/baru/",
            OFFICER_INTAKE,
            {
                **many(free + " urgent_reason", FREE),
                "nik": hp.NIK_SHORT + FREE,
                "phone": hp.PHONE_SHORT + FREE,
                **many(
                    "channel id_type notify_channel language vulnerabilities service_type delivery_mode "
                    "accommodations consent idempotency_key document_token",
                    CHOICE,
                ),
            },
            uploads={"power_of_attorney": hp.UPLOADS},
            lists=frozenset({"vulnerabilities", "accommodations"}),
            # A disguised or oversized file is refused beside its field; a good one waits as a draft.
            may_change=frozenset({"cases_casedocument"}),
            views=[(client, "/staf/kasus/")],
            shown=frozenset({"full_name"}),
        ),
        Target(
            "officer intake (passport)",
            client,
            "/staf/permohonan/baru/",
            {**OFFICER_INTAKE, "id_type": "passport", "nik": "", "id_number": "A1234567"},
            {"id_number": FREE},
        ),
    ]


def late_step(world):
    """Step 2 accepted 20 minutes after submission: 15 minutes over its standard."""
    from tests.builders import submit

    case = submit(world)
    clock.advance(timedelta(minutes=20))
    case = svc.case_accept(case=case, actor=world.ult)
    return case.steps.get(step_no=2)


@group
def backoffice_case_forms(world, other_world):
    from jangkau.surveys.instrument import active_instrument
    from tests.builders import case_in

    step = late_step(world)
    ult = staff_client(world.ult)
    case = case_in(Status.SUBMITTED, world)
    number = case.registration_number
    document = case.documents.create(
        kind="power_of_attorney",
        filename="kuasa.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0",
        content="",
        uploaded_at=clock.now(),
    )
    delivered = delivered_case(world)
    active_instrument(world.office)
    few = (hp.SCRIPT_HTML[0], hp.NUL[0], hp.OVERLONG[0], hp.SURROGATE[0], hp.UNICODE[0])
    return [
        Target(
            "breach explanation",
            ult,
            f"/staf/pelanggaran-waktu/{step.pk}/jelaskan/",
            {"explanation": "Antrean panjang"},
            many("explanation", FREE),
            views=[(ult, "/staf/pelanggaran-waktu/"), (ult, f"/staf/kasus/{step.case.registration_number}/")],
            shown=frozenset({"explanation"}),
        ),
        Target(
            "personal data purpose",
            ult,
            f"/staf/kasus/{number}/data-pribadi/",
            {"purpose": "Menelepon pemohon"},
            {"purpose": FREE, "document": NUMBER},
        ),
        Target(
            "personal data document download",
            ult,
            f"/staf/kasus/{number}/data-pribadi/",
            {"purpose": "Memeriksa surat kuasa", "document": str(document.pk)},
            {"document": NUMBER},
        ),
        # The unmasked dossier is a PDF made for each accepted purpose: a few payloads are enough.
        Target(
            "unmasked dossier purpose",
            ult,
            f"/staf/kasus/{number}/berkas-tanpa-samaran/",
            {"purpose": "Salinan untuk pemohon"},
            {"purpose": few},
        ),
        Target(
            "survey entry (paper)",
            ult,
            f"/staf/kasus/{delivered.registration_number}/survei/kertas/",
            {**SURVEY_ANSWERS, "answered_on": "2025-01-06"},
            {**SURVEY_FIELDS, "answered_on": DATE},
        ),
        # The interview is the same form and service with another mode.
        Target(
            "survey entry (interview)",
            ult,
            f"/staf/kasus/{delivered.registration_number}/survei/wawancara/",
            {**SURVEY_ANSWERS, "answered_on": "2025-01-06"},
            {"suggestion": few, "answered_on": few},
        ),
    ]


# --- back office: every case action -------------------------------------------------------------------------------


def case_action_targets(world) -> list[Target]:
    from tests.builders import add_failed_attempts, case_in, make_public_information

    ult, ppid = staff_client(world.ult), staff_client(world.ppid)

    def target(slug, status, base, fields, client=ult, uploads=None, shown=(), prepare=None, **extra):
        case = case_in(status, world)
        if prepare:
            prepare(case)
        url = f"/staf/kasus/{case.registration_number}/"
        return Target(
            f"case action {slug}",
            client,
            f"{url}{slug}/",
            {"seen_status": status, **base},
            {"seen_status": CHOICE, **fields},
            uploads=uploads or {},
            views=[(client, url), (tracking_client(case), f"/lacak/{case.registration_number}/")],
            shown=frozenset(shown),
            **extra,
        )

    def public_information(case):
        make_public_information(case, world)

    schedule = {
        "date": "08/01/2025",
        "time": "10:00",
        "mode": "visit",
        "place": "Rumah pemohon",
        "officers": [str(world.ult.pk)],
        "accommodations": ["wheelchair"],
        "notes": "Bawa dokumen cetak besar",
    }
    schedule_fields = {
        **many("date", DATE),
        "time": TIME,
        **many("mode officers accommodations", CHOICE),
        **many("place notes", FREE),
    }
    lists = frozenset({"officers", "accommodations"})
    return [
        target("terima", Status.SUBMITTED, {}, {}),
        target("minta-data", Status.SUBMITTED, {"missing": "Foto KTP"}, many("missing", FREE), shown=["missing"]),
        target(
            "tolak",
            Status.SUBMITTED,
            {"reason": "Di luar layanan", "referral": "Disdukcapil"},
            many("reason referral", FREE),
            shown=["reason", "referral"],
        ),
        target(
            "teruskan-ppid",
            Status.ACCEPTED,
            {"ppid_member": str(world.ppid.pk), "note": "Data SD"},
            {"ppid_member": NUMBER, "note": FREE},
        ),
        target(
            "catat-hasil",
            Status.WITH_PPID,
            {"summary": "Rapor mutu"},
            many("summary", FREE),
            client=ppid,
            uploads={"files": hp.UPLOADS},
            shown=["summary"],
        ),
        target("catatan", Status.SUBMITTED, {"body": "Data 2025 sudah ada?"}, many("body", FREE), shown=["body"]),
        target(
            "perpanjang-tenggat",
            Status.SUBMITTED,
            {"days": "5", "reason": "Data tersebar", "notice": "Tunggu"},
            {"days": NUMBER, **many("reason notice", FREE)},
            prepare=public_information,
            shown=["notice"],
        ),
        target(
            "catat-kontak",
            Status.READY_TO_SCHEDULE,
            {"channel": "phone", "result": "no_answer", "notes": "-"},
            {**many("channel result", CHOICE), "notes": FREE},
        ),
        target("jadwalkan", Status.READY_TO_SCHEDULE, schedule, schedule_fields, lists=lists, shown=["place"]),
        # Late in the evening of the last day there is: the office calendar looks at the day after.
        target(
            "jadwalkan",
            Status.READY_TO_SCHEDULE,
            {**schedule, "time": "23:30"},
            {"date": tuple(p for p in hp.DATES if "9999" in p.value)},
            lists=lists,
        ),
        target(
            "tidak-terhubungi", Status.READY_TO_SCHEDULE, {}, {}, prepare=lambda case: add_failed_attempts(case, world)
        ),
        target("hubungi-lagi", Status.UNREACHABLE, {"note": "Pemohon menelepon"}, many("note", FREE)),
        target(
            "jadwal-ulang",
            Status.SCHEDULED,
            {**schedule, "date": "09/01/2025", "reason": "Pemohon sakit"},
            {**schedule_fields, "reason": FREE},
            lists=lists,
            shown=["place"],
        ),
        target(
            "batalkan-jadwal",
            Status.SCHEDULED,
            {"reason": "Petugas sakit", "notice": "Jadwal dibatalkan"},
            many("reason notice", FREE),
            shown=["notice"],
        ),
        target(
            "serahkan",
            Status.SCHEDULED,
            {
                "mode": "visit",
                "notes": "Diantar",
                "documents_handed_over": "1 rekap",
                "office_cost": "25.000",
                "office_cost_note": "Kurir",
            },
            {"mode": CHOICE, "office_cost": NUMBER, **many("notes documents_handed_over office_cost_note", FREE)},
            uploads={"proof": hp.UPLOADS},
            shown=["documents_handed_over"],
        ),
        target("akhiri-survei", Status.DELIVERED, {}, {}),
        target("rekap-survei", Status.FEEDBACK_RECEIVED, {}, {}),
        target(
            "tutup",
            Status.RECAPPED,
            {
                "need_met": "met",
                "mode_right": "yes",
                "accommodations_provided": "provided",
                "evaluation": "Baik",
                "late_explanation": "Antrean",
            },
            {
                **many("need_met mode_right accommodations_provided", CHOICE),
                **many("evaluation late_explanation", FREE),
            },
            shown=["evaluation"],
        ),
    ]


@group
def case_actions(world, other_world):
    return case_action_targets(world)


# --- back office: lists, schedule, absences, letters --------------------------------------------------------------


@group
def backoffice_lists(world, other_world):
    from jangkau.scheduling.absences import absence_record
    from tests.builders import case_in

    ult, head = staff_client(world.ult), staff_client(world.head)
    case_in(Status.ACCEPTED, world)
    absence_base = {
        "officer": str(world.ult.pk),
        "kind": "sick",
        "starts_on": "07/01/2025",
        "ends_on": "2025-01-09",
        "delegate": str(world.ult2.pk),
        "reason": "Sakit",
    }
    _absence, letter = absence_record(
        office=world.office,
        officer=world.ult2,
        kind="leave",
        starts_on=clock.now().date() + timedelta(days=2),
        ends_on=clock.now().date() + timedelta(days=3),
        delegate=world.ult,
        reason="Cuti",
        actor=world.head,
    )
    return [
        Target(
            "queue search",
            ult,
            "/staf/kasus/",
            {"q": "Siti", "tampilan": "semua"},
            {"q": FREE + hp.NIK + hp.PHONES, "tampilan": CHOICE},
            kind="query",
            method="get",
        ),
        Target(
            "schedule of a day",
            ult,
            "/staf/jadwal/",
            {"tanggal": "2025-01-08"},
            {"tanggal": DATE},
            kind="query",
            method="get",
        ),
        Target(
            "absence",
            head,
            "/staf/ketidakhadiran/baru/",
            absence_base,
            {**many("officer delegate", NUMBER), "kind": CHOICE, **many("starts_on ends_on", DATE), "reason": FREE},
            views=[(head, "/staf/ketidakhadiran/")],
        ),
        Target(
            "signed letter upload",
            head,
            f"/staf/surat-penugasan/{letter.pk}/unggah/",
            {},
            uploads={"signed_scan": hp.UPLOADS},
            views=[(head, "/staf/ketidakhadiran/")],
        ),
    ]


# --- back office: surveys, recaps, evaluation, follow-up actions ------------------------------------------------


@group
def backoffice_surveys_and_reports(world, other_world):
    from datetime import date

    from jangkau.reports.followups import followup_create
    from tests.surveys.test_publication import ROWS, add_responses, publish

    head, ult = staff_client(world.head), staff_client(world.ult)
    add_responses(world.office, ROWS, date(2024, 12, 10))
    publication = publish(world)
    action = followup_create(
        office=world.office,
        actor=world.head,
        title="Latih juru bahasa isyarat",
        description="Pelatihan",
        owner=world.ult,
        due_date=date(2025, 2, 28),
        source_start=date(2025, 1, 1),
        source_end=date(2025, 1, 31),
    )
    period = {"date_from": "2025-01-01", "date_to": "2025-01-31"}
    monitoring = {}
    for no in range(1, 9):
        monitoring |= {
            f"step_{no}_ran_well": "baik",
            f"step_{no}_notes": f"Catatan {no}",
            f"step_{no}_action_to_take": "",
        }
    monitoring_fields = {}
    for no in range(1, 9):
        monitoring_fields |= {f"step_{no}_ran_well": CHOICE, **many(f"step_{no}_notes step_{no}_action_to_take", FREE)}
    return [
        Target(
            "survey import",
            ult,
            "/staf/survei/impor/",
            # All or nothing (the default): a file with a refused row imports nothing.
            {"skip_invalid": ""},
            {"skip_invalid": CHOICE},
            base_files={"file": ("survei.csv", (hp.CSV_HEADER + "\n").encode(), "text/csv")},
            uploads={"file": hp.IMPORTS},
            refuses_bad_files=False,
        ),
        Target(
            "survey recap",
            ult,
            "/staf/survei/rekap/",
            {**period, "service_type": ""},
            {**many("date_from date_to", DATE), "service_type": CHOICE},
            kind="query",
            method="get",
        ),
        Target(
            "recap",
            ult,
            "/staf/rekap/",
            {**period, "vulnerability": "", "channel": "", "service_type": "", "status": "", "officer": ""},
            {
                **many("date_from date_to", DATE),
                **many("vulnerability channel service_type status", CHOICE),
                "officer": NUMBER,
            },
            kind="query",
            method="get",
        ),
        Target(
            "IKM publication (preview)",
            head,
            "/staf/survei/publikasi/",
            {"period_start": "01/12/2024", "period_end": "31/12/2024", "service_type": "", "action": "preview"},
            {**many("period_start period_end", DATE), **many("service_type action", CHOICE)},
        ),
        Target(
            "IKM publication withdrawal",
            head,
            f"/staf/survei/publikasi/{publication.pk}/tarik/",
            {"reason": "Periode keliru"},
            {"reason": FREE},
            views=[(head, "/staf/survei/publikasi/"), (public_client(), f"/kantor/{world.office.code}/ikm/")],
            shown=frozenset({"reason"}),
        ),
        Target(
            "evaluation",
            ult,
            "/staf/evaluasi/",
            {"kind": "quarter", "year": "2025", "number": "1"},
            {"kind": CHOICE, **many("year number", NUMBER)},
            kind="query",
            method="get",
        ),
        Target(
            "evaluation (dates)",
            ult,
            "/staf/evaluasi/",
            {"from": "2025-01-01", "to": "2025-01-31"},
            many("from to", DATE),
            kind="query",
            method="get",
        ),
        Target(
            "monitoring period",
            head,
            "/staf/evaluasi/pemantauan/",
            {"from": "2025-01-01", "to": "2025-01-31"},
            many("from to", DATE),
            kind="query",
            method="get",
        ),
        Target(
            "monitoring table",
            head,
            "/staf/evaluasi/pemantauan/?from=2025-01-01&to=2025-01-31",
            monitoring,
            monitoring_fields,
            views=[(head, "/staf/evaluasi/?from=2025-01-01&to=2025-01-31")],
            shown=frozenset({"step_1_notes"}),
        ),
        Target(
            "follow-up action",
            head,
            "/staf/tindak-lanjut/baru/",
            {
                "title": "Tambah juru bahasa",
                "description": "Rekrut",
                "owner": str(world.ult.pk),
                "due_date": "2025-03-31",
                "step_no": "4",
                "source_start": "",
                "source_end": "",
            },
            {
                **many("title description", FREE),
                **many("owner step_no", NUMBER),
                **many("due_date source_start source_end", DATE),
            },
            views=[(head, "/staf/tindak-lanjut/")],
            shown=frozenset({"title"}),
        ),
        Target(
            "follow-up prefill",
            head,
            "/staf/tindak-lanjut/baru/",
            {"from": "2025-01-01", "to": "2025-01-31", "step": "4"},
            {**many("from to", DATE), "step": NUMBER},
            kind="query",
            method="get",
        ),
        Target(
            "follow-up status",
            head,
            f"/staf/tindak-lanjut/{action.pk}/status/",
            {"status": "in_progress", "note": "Mulai"},
            {"status": CHOICE, "note": FREE},
            views=[(head, "/staf/tindak-lanjut/?tampil=semua")],
        ),
    ]


# --- back office: data-subject requests ---------------------------------------------------------------------------


@group
def backoffice_privacy(world, other_world):
    from jangkau.privacy import services as privacy
    from jangkau.privacy.models import RequestKind
    from tests.builders import VALID_NIK, case_in

    ppid = staff_client(world.ppid)
    case_in(Status.REJECTED, world)

    def open_request(kind):
        return privacy.subject_request_open(
            office=world.office,
            actor=world.ppid,
            kind=kind,
            channel="walk_in",
            requester_name="Siti Aminah",
            identity_check="KTP asli",
            nik=VALID_NIK,
        )

    new = {
        "kind": "access",
        "received_on": "06/01/2025",
        "received_time": "07.15",
        "channel": "walk_in",
        "requester_name": "Siti Aminah",
        "identity_check": "KTP asli dicocokkan",
        "details": "Salinan data",
        "reply_to": "Diambil langsung",
        "nik": VALID_NIK,
        "phone": "",
        "name": "",
        "action": "search",
    }
    new_fields = {
        **many("kind channel action", CHOICE),
        "received_on": DATE,
        "received_time": TIME,
        **many("requester_name identity_check details reply_to name", FREE),
        "nik": hp.NIK_SHORT + FREE,
        "phone": hp.PHONE_SHORT + FREE,
    }
    search = ppid.post("/staf/data-pribadi/baru/", new)
    form = search.context["form"]
    record = {**new, "action": "record", "searched": form["searched"].value(), "cases": form["cases"].value()}
    correction, erasure, access = (
        open_request(RequestKind.CORRECTION),
        open_request(RequestKind.ERASURE),
        open_request(RequestKind.ACCESS),
    )
    cases = [str(pk) for pk in correction.cases.values_list("pk", flat=True)]
    return [
        Target("data-subject search", ppid, "/staf/data-pribadi/baru/", new, new_fields),
        Target(
            "data-subject record",
            ppid,
            "/staf/data-pribadi/baru/",
            record,
            # Another action, or criteria other than those searched, make it a search (the target above).
            {k: v for k, v in new_fields.items() if k not in ("nik", "phone", "name", "action")} | {"cases": CHOICE},
            lists=frozenset({"cases"}),
            view_redirect=True,
            shown=frozenset({"requester_name"}),
        ),
        Target(
            "data-subject correction",
            ppid,
            f"/staf/data-pribadi/{correction.pk}/perbaiki/",
            {
                "cases": cases,
                "requester_name": "Siti Aminah Putri",
                "id_number": "",
                "phone": "",
                "email": "",
                "address": "",
                "area": "",
            },
            {
                "cases": CHOICE,
                **many("requester_name email address area", FREE),
                "id_number": hp.NIK_SHORT + FREE,
                "phone": hp.PHONE_SHORT + FREE,
            },
            lists=frozenset({"cases"}),
        ),
        Target(
            "data-subject erasure",
            ppid,
            f"/staf/data-pribadi/{erasure.pk}/hapus/",
            {"confirm": "on", "outcome": "Dihapus"},
            {"confirm": CHOICE, "outcome": FREE},
        ),
        Target(
            "data-subject answer",
            ppid,
            f"/staf/data-pribadi/{access.pk}/jawab/",
            {"status": "refused", "outcome": "", "refused_reason": "Data orang lain"},
            {"status": CHOICE, **many("outcome refused_reason", FREE)},
            views=[(ppid, f"/staf/data-pribadi/{access.pk}/")],
            shown=frozenset({"refused_reason"}),
        ),
        Target(
            "data-subject export",
            ppid,
            f"/staf/data-pribadi/{access.pk}/ekspor/",
            {"format": "json", "include_internal_notes": ""},
            many("format include_internal_notes", CHOICE),
        ),
    ]


# --- back office: notifications and message templates --------------------------------------------------------


@group
def backoffice_notifications(world, other_world):
    from jangkau.notifications.models import Channel as MessageChannel
    from jangkau.notifications.models import Message
    from jangkau.notifications.models import Status as MessageStatus

    admin, ult = staff_client(world.admin), staff_client(world.ult)
    failed = Message.objects.create(
        office=world.office,
        event="received",
        idempotency_key="hostile:1",
        channel=MessageChannel.SMS,
        address="+6281100000001",
        address_masked="+62811****0001",
        subject="Permohonan diterima",
        body="Isi",
        status=MessageStatus.FAILED,
        attempts=5,
        last_error="503",
        created_at=clock.now(),
    )
    template_url = "/staf/pemberitahuan/templat/received/id/"
    return [
        Target(
            "delivery records filter",
            ult,
            "/staf/pesan/",
            {"tampil": "", "kasus": "", "halaman": "1"},
            many("tampil kasus halaman", CHOICE + hp.NUMBERS),
            kind="query",
            method="get",
        ),
        Target(
            "inbox page", ult, "/staf/pemberitahuan/", {"halaman": "1"}, {"halaman": NUMBER}, kind="query", method="get"
        ),
        Target("inbox read all", ult, "/staf/pemberitahuan/dibaca/", {"halaman": "1"}, {"halaman": NUMBER}),
        Target(
            "failed message handled",
            ult,
            f"/staf/pesan/{failed.pk}/tangani/",
            {"note": "Pemohon ditelepon"},
            {"note": FREE},
            views=[(ult, f"/staf/pesan/{failed.pk}/tangani/")],
        ),
        Target(
            "message template preview",
            admin,
            template_url,
            {"subject": "Permohonan {{ nomor }} diterima", "body": "Halo", "aksi": "pratinjau"},
            {**many("subject body", FREE), "aksi": CHOICE},
        ),
        Target(
            "message template save",
            admin,
            template_url,
            {"subject": "Permohonan diterima", "body": "Halo", "aksi": "simpan"},
            many("subject body", FREE),
            views=[(admin, template_url)],
            shown=frozenset({"subject", "body"}),
        ),
    ]


# --- sign-in and language ------------------------------------------------------------------------------------


@group
def sign_in_and_language(world, other_world):
    def no_script_redirect(response, payload):
        location = response.get("Location", "")
        return (
            [f"redirects to {location!r}"]
            if location.lower().lstrip().startswith(("javascript:", "//", "http"))
            else []
        )

    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Signed in with the password only: one with an authenticator (asked for its code), one without (enrols).
    TOTPDevice.objects.create(user=world.head, name="app", confirmed=True)
    enrolled, new = public_client(), public_client()
    enrolled.force_login(world.head)
    new.force_login(world.admin)
    new.get("/staf/masuk/aktifkan/")  # the page puts the secret to confirm in the session
    # Sign-in and the second factor record every failure (audit, lockout) by design.
    counted = frozenset({"audit_auditevent"})
    return [
        Target(
            "staff sign-in",
            public_client(),
            "/staf/masuk/",
            {"username": "x", "password": "y"},
            many("username password", FREE),
            may_change=counted,
        ),
        Target(
            "second factor code", enrolled, "/staf/masuk/kode/", {"code": "123456"}, {"code": FREE}, may_change=counted
        ),
        Target(
            "authenticator enrolment",
            new,
            "/staf/masuk/aktifkan/",
            {"code": "123456"},
            {"code": FREE},
            may_change=counted,
        ),
        Target(
            "language switch",
            public_client(),
            "/i18n/setlang/",
            {"language": "en", "next": "/lacak/"},
            many(
                "language next",
                CHOICE
                + hp.SCRIPT_HTML
                + (Text("url", "other host", "//evil.example/"), Text("url", "absolute", "https://evil.example/")),
            ),
            after_accept=no_script_redirect,
        ),
    ]


# --- the JSON API -----------------------------------------------------------------------------------------------

API = "/api/v1"
JSON_TEXT = FREE + hp.JSON_VALUES
JSON_CHOICE = CHOICE + hp.JSON_VALUES
JSON_NUMBER = hp.INT_VALUES + CHOICE + hp.JSON_VALUES
# A header holds text only (a lone surrogate never arrives in one).
HEADER_TEXT = tuple(p for p in FREE if p.family != "surrogate")
# The case actions share one body schema (its JSON types are tried once, on every field) and the services
# the web forms reach: a few payloads per field are enough here.
ACTION_TEXT = (hp.SCRIPT_HTML[0], hp.NUL[0], hp.SURROGATE[0], hp.OVERLONG[0], hp.UNICODE[2])
ACTION_CHOICE = (hp.SCRIPT_HTML[0], hp.NUL[0], hp.OVERLONG[0])
JSON_DATE = DATE + hp.JSON_VALUES
JSON_DATETIME = hp.DATETIMES + CHOICE + hp.JSON_VALUES
# A path segment: what a client may put where a number, a code or a token goes.
PATH_SEGMENTS = (
    *hp.SCRIPT_HTML[:1],
    *hp.SQL,
    hp.OVERLONG[0],
    *hp.UNICODE,
    *hp.NUL,
    *hp.SURROGATE,
    Text("path", "dot segments", "..%2F..%2Fadmin"),
    Text("path", "huge number", "9" * 30),
)


def api_target(name, client, path, base, fields, *, method="post", lists=(), **extra) -> Target:
    kind = "query" if method in ("get", "delete") else "json"
    return Target(
        f"API {method.upper()} {name}",
        client,
        f"{API}{path}",
        base,
        fields,
        method=method,
        kind=kind,
        lists=frozenset(lists),
        **extra,
    )


def public_intake_body() -> dict:
    return {
        "full_name": "Siti Aminah",
        "id_type": "ktp",
        "nik": "3171015203850001",
        "phone": "0812-3456-7890",
        "email": "siti@contoh.id",
        "notify_channel": "whatsapp",
        "language": "id",
        "address": "Jl. Kenanga No. 5",
        "area": "Jakarta Pusat",
        "vulnerabilities": ["elderly"],
        "disability_details": "Pengguna kursi roda",
        "need": "Data mutu sekolah",
        "service_type": "data-informasi",
        "delivery_mode": "visit",
        "accommodations": ["wheelchair"],
        "companion_name": "",
        "companion_relation": "",
        "urgent": False,
        "urgent_reason": "",
        "consent": True,
        "office": "bpmp-dki",
    }


INTAKE_JSON_FIELDS = {
    **many(
        "full_name no_id_reason email address area disability_details need companion_name companion_relation "
        "urgent_reason",
        JSON_TEXT,
    ),
    "nik": hp.NIK_SHORT + JSON_TEXT,
    "phone": hp.PHONE_SHORT + JSON_TEXT,
    **many(
        "id_type notify_channel language vulnerabilities service_type delivery_mode accommodations office "
        "urgent consent",
        JSON_CHOICE,
    ),
}
INTAKE_LISTS = ("vulnerabilities", "accommodations")


@group
def api_public(world, other_world):
    from jangkau.surveys.instrument import active_instrument
    from jangkau.surveys.models import Invitation
    from tests.builders import case_in

    client = public_client()
    awaiting = case_in(Status.AWAITING_INFO, world)
    scheduled = case_in(Status.SCHEDULED, world)
    submitted = case_in(Status.SUBMITTED, world)
    active_instrument(world.office)
    token = Invitation.objects.get(case=delivered_case(world)).token
    code = {"X-Tracking-Code": submitted.tracking_code}
    staff = staff_client(world.ult)

    def requester(case, action, base, fields, shown=()):
        return api_target(
            f"/requests/{{n}}/{action}",
            client,
            f"/requests/{case.registration_number}/{action}",
            base,
            fields,
            headers={"X-Tracking-Code": case.tracking_code},
            views=[(staff, f"/staf/kasus/{case.registration_number}/")],
            shown=frozenset(shown),
            all_bodies=True,
        )

    answers = {
        **{f"u{n}": 1 + n % 4 for n in range(1, 10)},
        "sex": "P",
        "age": 67,
        "education": "sd",
        "occupation": "other",
        "suggestion": "Petugas datang tepat waktu",
    }
    targets = [
        api_target(
            "/requests",
            client,
            "/requests",
            public_intake_body(),
            INTAKE_JSON_FIELDS,
            lists=INTAKE_LISTS,
            headers={"Idempotency-Key": "hostile-key-1"},
            views=[(staff, "/staf/kasus/?tampilan=semua")],
            shown=frozenset({"full_name"}),
            all_bodies=True,
        ),
        api_target(
            "/requests (Idempotency-Key header)",
            client,
            "/requests",
            public_intake_body(),
            {"header:Idempotency-Key": HEADER_TEXT},
        ),
        requester(awaiting, "missing-data", {"text": "Foto KTP"}, many("text", JSON_TEXT)),
        requester(
            scheduled,
            "reschedule-request",
            {"reason": "Sakit", "preferred_times": "Senin"},
            many("reason preferred_times", JSON_TEXT),
        ),
        requester(submitted, "cancel", {"reason": "Tidak perlu"}, many("reason", JSON_TEXT)),
        api_target(
            "/surveys/{token}",
            client,
            f"/surveys/{token}",
            answers,
            {
                **many(" ".join(f"u{n}" for n in range(1, 10)) + " age", JSON_NUMBER),
                **many("sex education occupation", JSON_CHOICE),
                "suggestion": JSON_TEXT,
            },
            all_bodies=True,
        ),
    ]
    # The tracking code travels in a header, on a read and on an action.
    targets += [
        api_target(
            "/requests/{n} (X-Tracking-Code header)",
            client,
            f"/requests/{submitted.registration_number}",
            {},
            {"header:X-Tracking-Code": HEADER_TEXT},
            method="get",
            headers=code,
        ),
        api_target(
            "/requests/{n}/cancel (X-Tracking-Code header)",
            client,
            f"/requests/{submitted.registration_number}/cancel",
            {"reason": "Tidak perlu"},
            {"header:X-Tracking-Code": HEADER_TEXT},
            headers=code,
        ),
    ]
    return targets


def staff_action_targets(world) -> list[Target]:
    from tests.builders import add_failed_attempts, case_in, make_public_information

    ult, ppid, head = staff_client(world.ult), staff_client(world.ppid), staff_client(world.head)
    future = "2025-01-08T10:00:00+07:00"

    def action(name, status, base, fields, client=ult, prepare=None, lists=(), shown=(), **extra):
        case = case_in(status, world)
        if prepare:
            prepare(case)
        url = f"/staf/kasus/{case.registration_number}/"
        return api_target(
            f"/cases/{{n}}/actions/{name}",
            client,
            f"/cases/{case.registration_number}/actions/{name}",
            base,
            fields,
            lists=lists,
            views=[(client, url)],
            shown=frozenset(shown),
            op="case_action",
            **extra,
        )

    schedule = {
        "starts_at": future,
        "mode": "visit",
        "place": "Rumah",
        "officers": [world.ult.username],
        "accommodations": ["wheelchair"],
        "notes": "Cetak besar",
    }
    schedule_fields = {
        "starts_at": hp.DATETIMES + ACTION_CHOICE,
        **many("mode officers accommodations", ACTION_CHOICE),
        **many("place notes", ACTION_TEXT),
    }
    lists = ("officers", "accommodations")
    every_field = (
        "missing note reason referral summary body days notice channel result notes starts_at mode place officers "
        "accommodations document_tokens documents_handed_over office_cost office_cost_note proof_token need_met "
        "mode_right accommodations_provided evaluation late_explanation ppid_member to"
    )
    return [
        # First: the action body's schema gets every JSON type in every field (one schema for all actions).
        action("add_note", Status.SUBMITTED, {"body": "Catatan"}, many(every_field, hp.JSON_VALUES), all_bodies=True),
        action(
            "request_info", Status.SUBMITTED, {"missing": "Foto KTP"}, many("missing", ACTION_TEXT), shown=["missing"]
        ),
        action("provide_info", Status.AWAITING_INFO, {"note": "Sudah"}, many("note", ACTION_TEXT)),
        action(
            "reject",
            Status.SUBMITTED,
            {"reason": "Di luar", "referral": "Disdukcapil"},
            many("reason referral", ACTION_TEXT),
        ),
        action("accept", Status.SUBMITTED, {}, {}),
        action(
            "forward_to_ppid",
            Status.ACCEPTED,
            {"ppid_member": world.ppid.username, "note": "Data SD"},
            {"ppid_member": ACTION_CHOICE, "note": ACTION_TEXT},
        ),
        action(
            "record_result",
            Status.WITH_PPID,
            {"summary": "Rapor", "document_tokens": []},
            {"summary": ACTION_TEXT, "document_tokens": ACTION_CHOICE},
            client=ppid,
            lists=["document_tokens"],
        ),
        action("add_note", Status.SUBMITTED, {"body": "Catatan"}, many("body", ACTION_TEXT), shown=["body"]),
        action(
            "extend_information_deadline",
            Status.SUBMITTED,
            {"days": 5, "reason": "Data", "notice": "Tunggu"},
            {"days": hp.INT_VALUES, **many("reason notice", ACTION_TEXT)},
            prepare=lambda case: make_public_information(case, world),
        ),
        action(
            "record_contact_attempt",
            Status.READY_TO_SCHEDULE,
            {"channel": "phone", "result": "no_answer", "notes": "-"},
            {**many("channel result", ACTION_CHOICE), "notes": ACTION_TEXT},
        ),
        action("mark_unreachable", Status.READY_TO_SCHEDULE, {}, {}, prepare=lambda c: add_failed_attempts(c, world)),
        action("resume_contact", Status.UNREACHABLE, {"note": "Menelepon"}, many("note", ACTION_TEXT)),
        action("schedule", Status.READY_TO_SCHEDULE, schedule, schedule_fields, lists=lists, shown=["place"]),
        action(
            "reschedule",
            Status.SCHEDULED,
            {**schedule, "starts_at": "2025-01-09T10:00:00+07:00", "reason": "Sakit"},
            {**schedule_fields, "reason": ACTION_TEXT},
            lists=lists,
        ),
        action(
            "cancel_appointment",
            Status.SCHEDULED,
            {"reason": "Sakit", "notice": "Batal"},
            many("reason notice", ACTION_TEXT),
        ),
        action(
            "deliver",
            Status.SCHEDULED,
            {
                "mode": "visit",
                "notes": "Diantar",
                "documents_handed_over": "1 rekap",
                "office_cost": 25000,
                "office_cost_note": "Kurir",
                "proof_token": None,
            },
            {
                **many("mode proof_token", ACTION_CHOICE),
                "office_cost": hp.INT_VALUES,
                **many("notes documents_handed_over office_cost_note", ACTION_TEXT),
            },
        ),
        action("record_feedback", Status.DELIVERED, {"note": "Lisan"}, many("note", ACTION_TEXT)),
        action("expire_feedback", Status.DELIVERED, {}, {}),
        action("recap_feedback", Status.FEEDBACK_RECEIVED, {}, {}),
        action(
            "close",
            Status.RECAPPED,
            {
                "need_met": "met",
                "mode_right": True,
                "accommodations_provided": "provided",
                "evaluation": "Baik",
                "late_explanation": "",
            },
            {
                **many("need_met mode_right accommodations_provided", ACTION_CHOICE),
                **many("evaluation late_explanation", ACTION_TEXT),
            },
        ),
        action("cancel", Status.SUBMITTED, {"reason": "Ganda"}, many("reason", ACTION_TEXT)),
        action(
            "reassign",
            Status.ACCEPTED,
            {"to": world.ult2.username, "reason": "Cuti"},
            {"to": ACTION_CHOICE, "reason": ACTION_TEXT},
            client=head,
        ),
    ]


@group
def api_staff_actions(world, other_world):
    return staff_action_targets(world)


@group
def api_staff_other(world, other_world):
    from datetime import date

    from jangkau.notifications.models import Channel as MessageChannel
    from jangkau.notifications.models import Message
    from jangkau.notifications.models import Status as MessageStatus
    from jangkau.privacy import services as privacy
    from jangkau.privacy.models import RequestKind
    from jangkau.reports.followups import followup_create
    from jangkau.scheduling.absences import absence_record
    from jangkau.surveys.instrument import active_instrument
    from tests.builders import VALID_NIK, case_in

    ult, ppid, head, admin = (staff_client(u) for u in (world.ult, world.ppid, world.head, world.admin))
    # Made on first use (reference data), here rather than by a request whose writes are checked.
    active_instrument(world.office)
    step = late_step(world)
    case = case_in(Status.SUBMITTED, world)
    number = case.registration_number
    document = case.documents.create(
        kind="power_of_attorney",
        filename="kuasa.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0",
        content="",
        uploaded_at=clock.now(),
    )
    delivered = delivered_case(world)
    _absence, letter = absence_record(
        office=world.office,
        officer=world.ult2,
        kind="leave",
        starts_on=date(2025, 1, 8),
        ends_on=date(2025, 1, 9),
        delegate=world.ult,
        reason="Cuti",
        actor=world.head,
    )
    action = followup_create(
        office=world.office,
        actor=world.head,
        title="Latih",
        description="Pelatihan",
        owner=world.ult,
        due_date=date(2025, 2, 28),
        source_start=date(2025, 1, 1),
        source_end=date(2025, 1, 31),
    )

    def open_request(kind):
        return privacy.subject_request_open(
            office=world.office,
            actor=world.ppid,
            kind=kind,
            channel="walk_in",
            requester_name="Siti Aminah",
            identity_check="KTP asli",
            nik=VALID_NIK,
        )

    correction, erasure, access = (
        open_request(k) for k in (RequestKind.CORRECTION, RequestKind.ERASURE, RequestKind.ACCESS)
    )
    failed = Message.objects.create(
        office=world.office,
        event="received",
        idempotency_key="hostile:api",
        channel=MessageChannel.SMS,
        address="+6281100000001",
        address_masked="+62811****0001",
        subject="Diterima",
        body="Isi",
        status=MessageStatus.FAILED,
        attempts=5,
        last_error="503",
        created_at=clock.now(),
    )
    # A dossier PDF is made for each accepted purpose: one accepted payload, the rest refused before.
    few = (hp.SCRIPT_HTML[0], hp.NUL[0], hp.SURROGATE[0], hp.JSON_VALUES[4])
    monitoring_row = {"no": 1, "ran_well": True, "notes": "Baik", "action_to_take": ""}
    answers = {
        **{f"u{n}": 1 + n % 4 for n in range(1, 10)},
        "sex": "P",
        "age": 67,
        "education": "sd",
        "occupation": "other",
        "suggestion": "Baik",
        "mode": "paper",
        "answered_on": "2025-01-06",
    }
    period = {"from": "2025-01-01", "to": "2025-01-31"}
    query_text = FREE
    return [
        # --- cases
        # The intake rules are the public intake's (tried in full there): here the staff schema and channel.
        api_target(
            "/cases",
            ult,
            "/cases",
            {**public_intake_body(), "channel": "whatsapp"},
            {**many("full_name need nik", ACTION_TEXT), **many("channel urgent", JSON_CHOICE)},
            headers={"Idempotency-Key": "hostile-staff-1"},
        ),
        api_target(
            "/cases",
            ult,
            "/cases",
            {"status": "", "view": "all", "q": "Siti", "limit": "10", "offset": "0"},
            {**many("status view", CHOICE), "q": query_text + hp.NIK + hp.PHONES, **many("limit offset", NUMBER)},
            method="get",
        ),
        api_target(
            "/cases/{n}/steps/{no}/explanation",
            ult,
            f"/cases/{step.case.registration_number}/steps/2/explanation",
            {"explanation": "Antrean"},
            many("explanation", JSON_TEXT),
            views=[(ult, "/staf/pelanggaran-waktu/")],
            shown=frozenset({"explanation"}),
        ),
        api_target(
            "/cases/{n}/personal-data",
            ult,
            f"/cases/{number}/personal-data",
            {"purpose": "Menelepon"},
            many("purpose", JSON_TEXT),
        ),
        api_target(
            "/cases/{n}/documents/{id}/personal-data",
            ult,
            f"/cases/{number}/documents/{document.pk}/personal-data",
            {"purpose": "Memeriksa"},
            many("purpose", JSON_TEXT),
        ),
        api_target(
            "/cases/{n}/dossier.pdf", ult, f"/cases/{number}/dossier.pdf", {"purpose": "Salinan"}, {"purpose": few}
        ),
        Target(
            "API POST /cases/documents",
            ult,
            f"{API}/cases/documents",
            {"kind": "power_of_attorney"},
            {"kind": CHOICE},
            uploads={"file": hp.UPLOADS},
            base_files={"file": ("kuasa.pdf", hp.TINY_PDF, "application/pdf")},
        ),
        api_target("/schedule", ult, "/schedule", {"date": "2025-01-08"}, {"date": DATE}, method="get"),
        api_target("/breaches", ult, "/breaches", {"unexplained": "true"}, {"unexplained": CHOICE}, method="get"),
        api_target(
            "/cases/{n}/survey",
            ult,
            f"/cases/{delivered.registration_number}/survey",
            answers,
            {
                **many(" ".join(f"u{n}" for n in range(1, 10)) + " age", JSON_NUMBER),
                **many("sex education occupation mode", JSON_CHOICE),
                "suggestion": JSON_TEXT,
                "answered_on": JSON_DATE,
            },
        ),
        # --- absences and letters
        api_target(
            "/absences",
            head,
            "/absences",
            {
                "officer": world.ult.username,
                "kind": "sick",
                "starts_on": "2025-01-07",
                "ends_on": "2025-01-09",
                "delegate": world.ult2.username,
                "reason": "Sakit",
            },
            {**many("officer delegate kind", JSON_CHOICE), **many("starts_on ends_on", JSON_DATE), "reason": JSON_TEXT},
        ),
        Target(
            "API POST /letters/{id}/signed-scan",
            head,
            f"{API}/letters/{letter.pk}/signed-scan",
            {},
            {},
            uploads={"signed_scan": hp.UPLOADS},
        ),
        # --- recaps and reports
        api_target(
            "/recap",
            ult,
            "/recap",
            {"date_from": "2025-01-01", "date_to": "2025-01-31", "limit": "10", "offset": "0"},
            {
                **many("date_from date_to", DATE),
                **many("vulnerability channel service_type status", CHOICE),
                **many("officer limit offset", NUMBER),
            },
            method="get",
        ),
        api_target(
            "/reports/ikm",
            ult,
            "/reports/ikm",
            {**period, "office": world.office.code, "service": ""},
            {**many("from to", DATE), **many("office service", CHOICE)},
            method="get",
        ),
        api_target(
            "/reports/sla",
            ult,
            "/reports/sla",
            {**period, "office": world.office.code},
            {**many("from to", DATE), "office": CHOICE},
            method="get",
        ),
        api_target(
            "/reports/evaluation",
            ult,
            "/reports/evaluation",
            {**period, "office": world.office.code, "format": "json"},
            {**many("from to", DATE), **many("office format", CHOICE)},
            method="get",
        ),
        api_target(
            "/reports/monitoring",
            head,
            "/reports/monitoring",
            {**period, "office": world.office.code},
            {**many("from to", DATE), "office": CHOICE},
            method="get",
        ),
        Target(
            "API PUT /reports/monitoring (rows)",
            head,
            f"{API}/reports/monitoring?from=2025-01-01&to=2025-01-31",
            {"rows": [monitoring_row]},
            {"rows": JSON_CHOICE},
            method="put",
            kind="json",
            all_bodies=True,
        ),
        *[
            Target(
                f"API PUT /reports/monitoring (row {key})",
                head,
                f"{API}/reports/monitoring?from=2025-01-01&to=2025-01-31",
                {"rows": [monitoring_row]},
                {"rows": tuple(Text(p.family, p.label, [{**monitoring_row, key: p.value}]) for p in payloads)},
                method="put",
                kind="json",
            )
            for key, payloads in (
                ("no", hp.JSON_VALUES),
                ("ran_well", hp.JSON_VALUES),
                ("notes", JSON_TEXT),
                ("action_to_take", JSON_TEXT),
            )
        ],
        api_target(
            "/followups",
            head,
            "/followups",
            {"office": world.office.code, "status": ""},
            many("office status", CHOICE),
            method="get",
        ),
        api_target(
            "/followups",
            head,
            "/followups",
            {
                "title": "Latih",
                "description": "Pelatihan",
                "owner": world.ult.username,
                "due_date": "2025-03-31",
                "source_from": "2025-01-01",
                "source_to": "2025-01-31",
                "step_no": 4,
            },
            {
                **many("title description", JSON_TEXT),
                "owner": JSON_CHOICE,
                **many("due_date source_from source_to", JSON_DATE),
                "step_no": JSON_NUMBER,
            },
        ),
        api_target(
            "/followups/{id}/status",
            head,
            f"/followups/{action.pk}/status",
            {"status": "in_progress", "note": "Mulai"},
            {"status": JSON_CHOICE, "note": JSON_TEXT},
        ),
        # --- data-subject requests
        api_target(
            "/privacy/search",
            ppid,
            "/privacy/search",
            {"nik": VALID_NIK, "phone": None, "name": None},
            {"nik": hp.NIK_SHORT + JSON_TEXT, "phone": hp.PHONE_SHORT + JSON_TEXT, "name": JSON_TEXT},
        ),
        api_target(
            "/privacy/requests",
            ppid,
            "/privacy/requests",
            {
                "kind": "access",
                "channel": "walk_in",
                "requester_name": "Siti",
                "identity_check": "KTP",
                "nik": VALID_NIK,
                "received_at": "2025-01-06T07:15:00+07:00",
                "details": "",
                "reply_to": "",
            },
            {
                **many("kind channel", JSON_CHOICE),
                **many("requester_name identity_check details reply_to name", JSON_TEXT),
                "nik": hp.NIK_SHORT + JSON_TEXT,
                "phone": hp.PHONE_SHORT + JSON_TEXT,
                "received_at": JSON_DATETIME,
                "cases": JSON_CHOICE,
            },
            lists=["cases"],
            all_bodies=True,
        ),
        api_target(
            "/privacy/requests",
            ppid,
            "/privacy/requests",
            {"limit": "10", "offset": "0"},
            many("limit offset", NUMBER),
            method="get",
        ),
        api_target(
            "/privacy/requests/{n}/export.json",
            ppid,
            f"/privacy/requests/{access.number}/export.json",
            {"internal_notes": "false"},
            {"internal_notes": CHOICE},
            method="get",
        ),
        api_target(
            "/privacy/requests/{n}/correct",
            ppid,
            f"/privacy/requests/{correction.number}/correct",
            {"changes": {"requester_name": "Siti Aminah Putri"}},
            {"changes": JSON_CHOICE},
        ),
        *[
            api_target(
                f"/privacy/requests/{{n}}/correct ({key})",
                ppid,
                f"/privacy/requests/{correction.number}/correct",
                {"changes": {key: "x"}},
                {"changes": tuple(Text(p.family, p.label, {key: p.value}) for p in payloads)},
            )
            for key, payloads in (
                ("requester_name", JSON_TEXT),
                ("id_number", hp.NIK_SHORT + JSON_TEXT),
                ("phone", hp.PHONE_SHORT),
                ("email", FREE),
                ("address", FREE),
                ("area", FREE),
                ("unknown_field", CHOICE),
            )
        ],
        api_target(
            "/privacy/requests/{n}/erase",
            ppid,
            f"/privacy/requests/{erasure.number}/erase",
            {"outcome": "Dihapus"},
            many("outcome", JSON_TEXT),
        ),
        api_target(
            "/privacy/requests/{n}/close",
            ppid,
            f"/privacy/requests/{access.number}/close",
            {"status": "refused", "outcome": "", "refused_reason": "Data orang lain"},
            {"status": JSON_CHOICE, **many("outcome refused_reason", JSON_TEXT)},
        ),
        # --- notifications and templates
        api_target(
            "/notifications",
            ult,
            "/notifications",
            {"unread_only": "false", "limit": "10", "offset": "0"},
            {"unread_only": CHOICE, **many("limit offset", NUMBER)},
            method="get",
        ),
        api_target(
            "/notifications/read", ult, "/notifications/read", {"ids": [1]}, {"ids": JSON_NUMBER}, lists=["ids"]
        ),
        api_target(
            "/messages",
            ult,
            "/messages",
            {"status": "", "needs_action": "true", "case": "", "limit": "10", "offset": "0"},
            {**many("status needs_action case", CHOICE), **many("limit offset", NUMBER)},
            method="get",
        ),
        api_target(
            "/messages/{id}/handled",
            ult,
            f"/messages/{failed.pk}/handled",
            {"note": "Ditelepon"},
            many("note", JSON_TEXT),
        ),
        api_target(
            "/message-templates/{event}/{language}",
            admin,
            "/message-templates/received/id",
            {"subject": "Diterima", "body": "Halo"},
            many("subject body", JSON_TEXT),
            method="put",
            all_bodies=True,
        ),
        api_target(
            "/message-templates/{event}/{language}/preview",
            admin,
            "/message-templates/received/id/preview",
            {"subject": "Diterima", "body": "Halo"},
            many("subject body", JSON_TEXT),
        ),
    ]


@pytest.mark.parametrize("name", list(GROUPS))
def test_every_form_answers_hostile_input_without_error_or_half_save(name, world, other_world, frozen, catalogue):
    """Every payload of the catalogue in every field of the group's forms: no 5xx, a refusal changes nothing,
    and whatever is accepted shows escaped."""
    started, sent = time.process_time(), sum(REQUESTS.values())
    for target in GROUPS[name](world, other_world):
        t0, r0 = time.process_time(), sum(REQUESTS.values())
        catalogue.run(target)
        if os.environ.get("HOSTILE_PROFILE"):
            print(f"TARGET {target.name:<50} {sum(REQUESTS.values()) - r0:>5} {time.process_time() - t0:6.2f}")
    GROUP_COST[name] = (sum(REQUESTS.values()) - sent, time.process_time() - started)
    catalogue.assert_clean()


# --- every URL segment ------------------------------------------------------------------------------------------

# What goes where a registration number, a code, a token or a key goes (percent-encoded as a client sends it).
SEGMENTS = (
    ("nul", "JB-2025-000001%00"),
    ("surrogate", "%ED%A0%80"),
    ("script_html", quote(hp.SCRIPT + "\u00b2\u202e", safe="")),
    ("overlong_10k", "A" * 10_000),
    ("number", "9" * 30),
)
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes():
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted({route for route in walk(get_resolver().url_patterns) if PARAM.search(route)})


def test_every_url_segment_answers_hostile_values_without_error(world, frozen, catalogue):
    """Every route's parameters (registration numbers, codes, tokens, keys) get NUL, a lone surrogate,
    markup, 10,000 characters, look-alike digits and a 30-digit number: a 4xx or a page, never a 5xx,
    and nothing is written."""
    from jangkau.privacy import services as privacy
    from jangkau.privacy.models import RequestKind
    from jangkau.surveys.instrument import active_instrument
    from jangkau.surveys.models import Invitation
    from tests.builders import VALID_NIK

    active_instrument(world.office)
    case = delivered_case(world)
    request = privacy.subject_request_open(
        office=world.office,
        actor=world.ppid,
        kind=RequestKind.ACCESS,
        channel="walk_in",
        requester_name="Siti",
        identity_check="KTP",
        nik=VALID_NIK,
    )
    valid = {
        "code": world.office.code,
        "office_code": world.office.code,
        "registration_number": case.registration_number,
        "token": Invitation.objects.get(case=case).token,
        "number": request.number,
        "event": "received",
        "language": "id",
        "mode": "kertas",
        "page_slug": "nama",
        "step_no": "5",
    }
    staff = staff_client(world.ult)
    requester = tracking_client(case)
    requester_api = {"X-Tracking-Code": case.tracking_code}
    for route in _routes():
        if route.startswith(("admin", "^")):
            continue
        client = staff if route.startswith(("staf/", "api/v1/")) else requester
        headers = requester_api if route.startswith("api/v1/requests/") else {}
        for match in PARAM.finditer(route):
            converter = match.group(1) or "str"
            for family, segment in SEGMENTS:
                if converter != "str" and not segment.isdigit():
                    continue  # the route itself refuses it: 404 before any view
                path = "/" + PARAM.sub(
                    lambda m, target=match, segment=segment: (
                        segment if m.start() == target.start() else valid.get(m.group(2), "1")
                    ),
                    route,
                )
                TRIED[family] += 1
                SURFACES["url segment"] += 1
                target = Target(f"URL {route} <{match.group(2)}>", client, path, {}, method="get", kind="query")
                for method in ("get", "post"):
                    REQUESTS[family] += 1
                    sid = transaction.savepoint()
                    cookies = copy.deepcopy(client.cookies)
                    try:
                        before = table_counts()
                        response = client.generic(method.upper(), path, b"{}", "application/json", headers=headers)
                        catalogue._judge(
                            target, (match.group(2),), Text(family, family, ""), segment[:40], response, before
                        )
                    finally:
                        transaction.savepoint_rollback(sid)
                        client.cookies = cookies
                    if response.status_code != 405:
                        break  # a POST only where the GET is refused before the lookup
    catalogue.assert_clean()


# --- stored hostile text in the files the office downloads ----------------------------------------------------


def test_stored_hostile_text_stays_inert_in_downloads(world, frozen):
    """What the forms store comes back out in spreadsheets, calendar files and download headers as text:
    a formula stays a string cell, a line break cannot add a calendar property, a file name cannot add a
    header."""
    import io

    from openpyxl import load_workbook

    from jangkau.cases.documents import document_store_draft
    from jangkau.cases.models import CaseDocument, Channel
    from tests.builders import PATHS, intake_data, perform

    formula = '=HYPERLINK("http://evil.example","klik")'
    name = "a\r\nSet-Cookie: jangkau=1\u202egnp.exe"
    draft = document_store_draft(
        kind=CaseDocument.Kind.POWER_OF_ATTORNEY, field="f", filename=name, content=hp.TINY_PNG
    )
    data = intake_data(world, full_name=formula, area="@SUM(1+1)")
    case = svc.case_submit(office=world.office, data=data, channel=Channel.WEB, document_tokens=[draft.draft_token])
    for action in PATHS[Status.READY_TO_SCHEDULE]:
        case = perform(action, case, world)
    svc.case_schedule(
        case=case,
        actor=world.ult,
        starts_at=clock.now() + timedelta(days=1),
        mode="visit",
        place="Rumah\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:palsu",
        notes="a\r\nATTACH:http://evil.example",
    )
    staff = staff_client(world.ult)
    TRIED["download"] += 4
    SURFACES["download"] += 4

    workbook = staff.get("/staf/rekap/unduh.xlsx?date_from=2025-01-01&date_to=2025-01-31")
    cells = [cell for sheet in load_workbook(io.BytesIO(workbook.content)) for row in sheet.iter_rows() for cell in row]
    planted = [cell for cell in cells if cell.value in (formula, "@SUM(1+1)")]
    assert planted and all(cell.data_type == "s" for cell in planted)

    for client, url in (
        (staff, f"/staf/kasus/{case.registration_number}/jadwal.ics"),
        (tracking_client(case), f"/lacak/{case.registration_number}/jadwal.ics"),
    ):
        lines = client.get(url).content.decode().splitlines()
        assert lines.count("BEGIN:VEVENT") == 1 and "SUMMARY:palsu" not in lines
        assert not any(line.startswith(("ATTACH:", "ATTENDEE:")) for line in lines)

    document = case.documents.get()
    response = staff.post(
        f"/staf/kasus/{case.registration_number}/data-pribadi/", {"purpose": "Memeriksa", "document": document.pk}
    )
    disposition = response["Content-Disposition"]
    assert response.status_code == 200 and "\r" not in disposition and "\n" not in disposition
    assert "Set-Cookie" not in response.cookies and "jangkau" not in response.cookies
