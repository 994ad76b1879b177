#!/usr/bin/env python
"""Crash soak: kills the web server with SIGKILL while requests stream in, and checks nothing acknowledged is lost.

Runs ``gunicorn config.wsgi`` (several workers, several threads) on 127.0.0.1 and a free port against a
freshly migrated database: a SQLite file in a temporary directory, or the PostgreSQL database that
``DATABASE_URL`` names (created when missing). A separate process streams requests to the public intake API
(``POST /api/v1/requests``), each with its own ``Idempotency-Key`` and its own data; a request whose answer
is lost in a crash is sent again with the same key once the server is back, as a real client would. Every
so often the whole server (its process group: master and workers) is killed with SIGKILL and started again.

At the end every acknowledged request (201, or 200 for a retry the server had already committed) must be
in the database with its data, decrypted through the model, with its audit event, and the audit trail's
hash chain must verify. Prints a summary such as ``kills=3 requests=120 acknowledged=120 found=120 lost=0
audit_chain=ok`` and exits 1 when anything acknowledged is missing or wrong or the chain is broken.

    .venv/bin/python scripts/crash_soak.py [--kills 3] [--workers 2] [--threads 2] [--clients 4]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jangkau_soak .venv/bin/python scripts/crash_soak.py

``make soak`` runs it. Never point it at a database whose data matters: it adds an office and cases there.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from jangkau.api.samples import intake_request  # noqa: E402  (plain data: no Django set-up needed)

INTAKE_PATH = "/api/v1/requests"
OFFICE_CODE = "crash-soak"  # an office of its own, so the check sees only the soak's cases
SERVICE_CODE = "data-informasi"
REQUEST_TIMEOUT = 15.0
RETRY_PAUSE = 0.25
READY_TIMEOUT = 90.0


# --- the requests ------------------------------------------------------------------------------------------


def marker(run_id: str, n: int) -> str:
    """Returns the distinctive value that request ``n`` of the run carries in its encrypted fields."""
    return f"{run_id}-{n:05d}"


def idempotency_key(run_id: str, n: int) -> str:
    return f"soak-{marker(run_id, n)}"


def intake_body(run_id: str, n: int) -> dict:
    """Returns a valid intake body (as in tests/api/test_public.py) whose name, address, details and need
    are unique to request ``n``."""
    mark = marker(run_id, n)
    return intake_request(
        office=OFFICE_CODE,
        service=SERVICE_CODE,
        full_name=f"Uji Ketahanan {n}",
        address=f"Jl. Kenanga No. {n}, Cempaka Putih (uji {mark})",
        disability_details=f"Pengguna kursi roda, penanda {mark}",
        need=f"Data mutu sekolah anak saya untuk pendaftaran ({mark})",
    )


@dataclass
class Outcome:
    """What the client learned of one request: its final answer and how many attempts it took."""

    n: int
    key: str
    status: int | None  # the final HTTP status; None when the client gave up without an answer
    attempts: int
    registration_number: str = ""
    failures: list[str] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        # 201 created it; 200 means an earlier attempt had committed it and only its answer was lost.
        return self.status in (200, 201)


def post_once(host: str, port: int, body: bytes, key: str) -> tuple[int, dict]:
    """Sends one attempt; returns (status, JSON answer). Raises OSError / HTTPException when the server is
    down or dies while answering."""
    conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(
            "POST", INTAKE_PATH, body=body, headers={"Content-Type": "application/json", "Idempotency-Key": key}
        )
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        data = {"raw": raw[:200].decode(errors="replace")}
    return response.status, data


def send_until_answered(host: str, port: int, run_id: str, n: int, give_up) -> Outcome:
    """Sends request ``n`` with its key, again and again while the server is unreachable or answers 5xx or
    429, until a definite answer comes or ``give_up`` (an event) is set."""
    key = idempotency_key(run_id, n)
    body = json.dumps(intake_body(run_id, n)).encode()
    outcome = Outcome(n=n, key=key, status=None, attempts=0)
    while True:
        outcome.attempts += 1
        try:
            status, data = post_once(host, port, body, key)
        except (OSError, http.client.HTTPException) as exc:
            outcome.failures.append(type(exc).__name__)
        else:
            if status < 500 and status != 429:
                outcome.status = status
                outcome.registration_number = data.get("registration_number", "") if status in (200, 201) else ""
                if status not in (200, 201):
                    outcome.failures.append(f"{status}: {json.dumps(data)[:300]}")
                return outcome
            outcome.failures.append(f"HTTP {status}")
        if give_up.is_set():
            return outcome
        time.sleep(RETRY_PAUSE)


def client_main(host: str, port: int, run_id: str, out_path: str, clients: int, stop, give_up, in_flight) -> None:
    """The client process: ``clients`` threads send requests one after another until ``stop`` is set, then
    finish the request in hand; each outcome is one JSON line in ``out_path``."""
    counter = itertools.count(1)
    lock = threading.Lock()
    # The events are only polled (is_set), never waited on: a process that ends while one of its threads
    # waits on a multiprocessing Event leaves a sleeper behind, and the next set() waits for it forever.
    with open(out_path, "a", encoding="utf-8") as out:

        def worker():
            while not stop.is_set():
                with lock:
                    n = next(counter)
                with in_flight.get_lock():
                    in_flight.value += 1
                try:
                    outcome = send_until_answered(host, port, run_id, n, give_up)
                finally:
                    with in_flight.get_lock():
                        in_flight.value -= 1
                with lock:
                    out.write(json.dumps(outcome.__dict__) + "\n")
                    out.flush()

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def read_outcomes(path: Path) -> list[Outcome]:
    if not path.exists():
        return []
    return [Outcome(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- the server ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_members(pgid: int) -> list[int]:
    """Returns the live (not zombie) processes of the process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            members.append(int(entry.name))
    return members


class Server:
    """gunicorn in its own process group, so one SIGKILL reaches the master and every worker."""

    def __init__(self, *, port: int, env: dict, workers: int, threads: int, log_path: Path):
        self.port, self.env, self.workers, self.threads, self.log_path = port, env, workers, threads, log_path
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--threads", str(self.threads), "--worker-class", "gthread",
            "--timeout", "60", "--graceful-timeout", "10", "--log-level", "warning",
            # Django is imported once in the master, then forked: restarts cost one import, not one per worker.
            # No database connection is open at import, so no worker inherits one.
            "--preload",
        ]  # fmt: skip
        self.starts += 1
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"\n=== start {self.starts} ===\n")
            log.flush()
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.wait_ready()

    def wait_ready(self) -> None:
        """Waits until every worker answers /healthz (a few probes, since each may land on any worker)."""
        deadline = time.monotonic() + READY_TIMEOUT
        successes = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SoakError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                status = conn.getresponse().status
                conn.close()
            except (OSError, http.client.HTTPException):
                status = None
            successes = successes + 1 if status == 200 else 0
            if successes >= 2 * self.workers:
                return
            time.sleep(0.1)
        raise SoakError(f"gunicorn did not answer /healthz within {READY_TIMEOUT:.0f}s; see {self.log_path}")

    def kill(self) -> int:
        """SIGKILLs the whole process group and waits until none of it is alive; returns how many processes
        it held."""
        pgid = self.process.pid
        members = group_members(pgid)
        os.killpg(pgid, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10
        while group_members(pgid):
            if time.monotonic() > deadline:
                raise SoakError(f"processes {group_members(pgid)} of the killed server are still alive")
            time.sleep(0.05)
        return len(members)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class SoakError(Exception):
    pass


# --- the database -------------------------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in ("postgres", "postgresql", "pgsql", "postgis")


def ensure_postgres_database(url: str) -> None:
    """Creates the database ``url`` names when it does not exist yet (through the server's ``postgres``
    database, with the same credentials)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def django_setup() -> None:
    """Loads Django in this process, on the database and keys ``os.environ`` names."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def prepare_database(database_url: str) -> None:
    """Creates (PostgreSQL) and migrates the database, and adds the soak's office: its hours, the seed POS and
    one service. Running it again on the same database adds nothing. Closes every connection afterwards, so
    the processes forked later inherit none."""
    if is_postgres(database_url):
        ensure_postgres_database(database_url)
    django_setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    seed_office()
    connections.close_all()


def seed_office():
    """Returns the soak's office, made with its hours, the seed POS and one service when missing."""
    from django.db import transaction

    from jangkau.offices.models import DEFAULT_HOURS, Office, OfficeHours, ServiceType
    from jangkau.procedures.services import procedure_ensure_default

    with transaction.atomic():
        office, _ = Office.objects.get_or_create(code=OFFICE_CODE, defaults={"name": "Kantor Uji Ketahanan"})
        for day, (opens, closes) in DEFAULT_HOURS.items():
            OfficeHours.objects.get_or_create(office=office, weekday=day, defaults={"opens": opens, "closes": closes})
        ServiceType.objects.get_or_create(
            office=office, code=SERVICE_CODE, defaults={"name": "Data dan informasi mutu pendidikan"}
        )
    procedure_ensure_default(office=office)
    return office


# --- the check ----------------------------------------------------------------------------------------------


@dataclass
class Check:
    found: int = 0
    lost: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)
    duplicate_numbers: int = 0
    committed_unacknowledged: int = 0
    chain_problems: list[str] = field(default_factory=list)
    audit_events: int = 0
    durability: str = ""

    @property
    def ok(self) -> bool:
        return not (self.lost or self.wrong or self.unaudited or self.duplicate_numbers or self.chain_problems)


def compare(outcomes: list[Outcome], stored: dict[str, dict], run_id: str) -> Check:
    """Compares what the client was told with what the database holds (``stored``: idempotency key → the
    case's decrypted fields, its number and whether its submit audit event exists)."""
    check = Check()
    acknowledged = [o for o in outcomes if o.acknowledged]
    for outcome in acknowledged:
        row = stored.get(outcome.key)
        if row is None:
            check.lost.append(f"{outcome.registration_number} ({outcome.key})")
            continue
        check.found += 1
        expected = intake_body(run_id, outcome.n)
        actual = {
            "registration_number": row["registration_number"],
            "full_name": row["requester_name"],
            "address": row["address"],
            "disability_details": row["disability_details"],
            "need": row["need"],
            "nik": row["id_document_number"],
        }
        wanted = {
            "registration_number": outcome.registration_number,
            **{name: expected[name] for name in ("full_name", "address", "disability_details", "need", "nik")},
        }
        if actual != wanted:
            differing = sorted(name for name in wanted if actual[name] != wanted[name])
            check.wrong.append(f"{outcome.registration_number}: {', '.join(differing)}")
        if not row["audited"]:
            check.unaudited.append(outcome.registration_number)
    numbers = [o.registration_number for o in acknowledged]
    check.duplicate_numbers = len(numbers) - len(set(numbers))
    acknowledged_keys = {o.key for o in acknowledged}
    check.committed_unacknowledged = sum(1 for key in stored if key not in acknowledged_keys)
    return check


def stored_cases(run_id: str) -> dict[str, dict]:
    """Returns the run's cases as the database holds them: idempotency key → fields (personal data decrypted
    through the model), number, and whether the case's submit audit event exists."""
    from jangkau.audit.models import AuditEvent
    from jangkau.cases.models import Case

    audited = set(AuditEvent.objects.filter(action="case.submit", case__isnull=False).values_list("case_id", flat=True))
    return {
        case.idempotency_key: {
            "registration_number": case.registration_number,
            "requester_name": case.requester_name,
            "address": case.address,  # EncryptedTextField: decrypted on load
            "disability_details": case.disability_details,
            "need": case.need,
            "id_document_number": case.id_document_number,
            "audited": case.pk in audited,
        }
        for case in Case.objects.filter(office__code=OFFICE_CODE, idempotency_key__startswith=f"soak-{run_id}-")
    }


def check_database(outcomes: list[Outcome], run_id: str) -> Check:
    """Checks the database from this process (Django loaded by ``prepare_database``), after the client and
    the server are gone."""
    from django.db import connection

    from jangkau.audit.models import AuditEvent
    from jangkau.audit.services import verify_chain

    check = compare(outcomes, stored_cases(run_id), run_id)
    check.chain_problems = [str(problem) for problem in verify_chain()]
    check.audit_events = AuditEvent.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            level = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(cursor.fetchone()[0], "?")
            check.durability = f"sqlite journal_mode={journal} synchronous={level}"
        else:
            cursor.execute("SHOW synchronous_commit")
            commit = cursor.fetchone()[0]
            cursor.execute("SHOW fsync")
            check.durability = f"postgresql synchronous_commit={commit} fsync={cursor.fetchone()[0]}"
    return check


# --- the run ------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=3, help="SIGKILLs of the server (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (default 2)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads (default 4)")
    parser.add_argument(
        "--interval",
        type=float,
        nargs=2,
        default=(4.0, 8.0),
        metavar=("MIN", "MAX"),
        help="seconds of traffic between the server being ready and the next kill, drawn uniformly (default 4 8)",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed of the kill moments")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="default: $DATABASE_URL, or a new SQLite file in a temporary directory when unset",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, logs)")
    args = parser.parse_args(argv)
    if args.kills < 1 or args.workers < 1 or args.threads < 1 or args.clients < 1:
        parser.error("--kills, --workers, --threads and --clients must be at least 1")
    if args.interval[0] <= 0 or args.interval[1] < args.interval[0]:
        parser.error("--interval needs 0 < MIN <= MAX")
    return args


def soak_environment(database_url: str, var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        # Keys are generated there by the first command and shared by every later one.
        JANGKAU_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        # One client address sends every request; the public limit would refuse all but 20 an hour.
        INTAKE_RATE_LIMIT="0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if os.environ.get("DJANGO_ENV") == "production":
        print("crash_soak: refused with DJANGO_ENV=production (it writes test cases)", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="jangkau-soak-"))
    database_url = args.database_url or f"sqlite:///{tmp / 'soak.sqlite3'}"
    env = soak_environment(database_url, tmp / "var")
    run_id = uuid.uuid4().hex[:10]
    started = time.monotonic()
    database = "postgresql" if is_postgres(database_url) else "sqlite"
    where = urllib.parse.urlsplit(database_url)
    shown = f"{where.hostname}:{where.port or 5432}{where.path}" if database == "postgresql" else where.path[1:]
    print(f"crash_soak: {database} {shown}, run {run_id}")

    os.environ.update(env)  # set-up and check in this process use the same database and keys as the server
    prepare_database(database_url)
    set_up = time.monotonic()
    port = free_port()
    server = Server(port=port, env=env, workers=args.workers, threads=args.threads, log_path=tmp / "gunicorn.log")
    results = tmp / "outcomes.jsonl"
    ctx = multiprocessing.get_context("fork")
    stop, give_up, in_flight = ctx.Event(), ctx.Event(), ctx.Value("i", 0)
    client = ctx.Process(
        target=client_main,
        args=("127.0.0.1", port, run_id, str(results), args.clients, stop, give_up, in_flight),
        name="soak-client",
    )
    kills: list[str] = []
    try:
        server.start()
        client.start()
        for number in range(1, args.kills + 1):
            time.sleep(rng.uniform(*args.interval))
            busy = in_flight.value
            killed = server.kill()
            kills.append(f"{busy} in flight")
            print(f"  kill {number}: SIGKILL to {killed} processes with {busy} requests in flight; restarting")
            server.start()
        time.sleep(rng.uniform(*args.interval))
        stop.set()
        client.join(timeout=60)
        if client.is_alive():
            give_up.set()
            client.join(timeout=30)
    finally:
        stop.set()
        give_up.set()
        if client.is_alive():
            client.terminate()
            client.join()
        server.stop()

    soaked = time.monotonic()
    outcomes = read_outcomes(results)
    check = check_database(outcomes, run_id)
    checked = time.monotonic()
    acknowledged = [o for o in outcomes if o.acknowledged]
    created = sum(1 for o in outcomes if o.status == 201)
    refused = [o for o in outcomes if o.status is not None and not o.acknowledged]
    unanswered = [o for o in outcomes if o.status is None]
    retried = sum(1 for o in outcomes if o.attempts > 1)
    chain = "ok" if not check.chain_problems else f"broken({check.chain_problems[0]})"
    ok = check.ok and len(kills) == args.kills and acknowledged and not refused
    print(
        f"kills={len(kills)} requests={len(outcomes)} acknowledged={len(acknowledged)} found={check.found} "
        f"lost={len(check.lost)} audit_chain={chain}"
    )
    print(
        f"  created(201)={created} replayed(200)={len(acknowledged) - created} retried={retried} "
        f"refused={len(refused)} unanswered={len(unanswered)} wrong_data={len(check.wrong)} "
        f"unaudited={len(check.unaudited)} duplicate_numbers={check.duplicate_numbers} "
        f"committed_unacknowledged={check.committed_unacknowledged} audit_events={check.audit_events}"
    )
    print(
        f"  {check.durability}; workers={args.workers} threads={args.threads} clients={args.clients}; "
        f"set-up {set_up - started:.0f}s, soak {soaked - set_up:.0f}s, check {checked - soaked:.0f}s"
    )
    for label, items in (
        ("lost", check.lost),
        ("wrong", check.wrong),
        ("unaudited", check.unaudited),
        ("chain", check.chain_problems),
        ("refused", [f"#{o.n}: {o.failures[-1]}" for o in refused]),
    ):
        for item in items[:10]:
            print(f"  {label}: {item}", file=sys.stderr)
    if args.keep or not ok:
        print(f"  kept {tmp} (gunicorn.log, outcomes.jsonl{', the database' if database == 'sqlite' else ''})")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SoakError as exc:
        print(f"crash_soak: {exc}", file=sys.stderr)
        sys.exit(1)
