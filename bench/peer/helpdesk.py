"""Drive the benchmark's peer, django-helpdesk 2.6.1, from Jangkau's venv.

The peer lives in its own venv (var/bench/peer-venv) with its own PostgreSQL database. This module never
imports Django: it runs the peer's scripts (bench/peer/*.py) with the peer venv's python and reads the one
JSON line each prints.

Self-check, from the repository root: `.venv/bin/python -m bench.peer.helpdesk --check`.
"""

import argparse
import hashlib
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from bench.peer.common import DATABASE_URL_ENV
from bench.peer.scenario import helpdesk_setup, helpdesk_submit
from bench.server import free_port, gunicorn_command, serving

REPO = Path(__file__).resolve().parents[2]
PEER = REPO / "bench" / "peer"
REQUIREMENTS = PEER / "requirements.txt"
SERVER_URL = os.environ.get("PEER_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


class PeerError(RuntimeError):
    pass


class Peer:
    def __init__(self, database: str, *, root: Path = REPO / "var" / "bench", python: str = "python3"):
        self.database = database
        self.root = Path(root)
        self.python = python
        self.venv = self.root / "peer-venv"
        self.stamp = self.venv / ".bench-requirements"
        self.last_prepare: dict = {}

    @property
    def venv_python(self) -> Path:
        return self.venv / "bin" / "python"

    def env(self) -> dict:
        env = dict(os.environ)
        # Jangkau's own variables must not leak into the peer; the peer finds bench.peer through PYTHONPATH.
        for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONHOME", "VIRTUAL_ENV"):
            env.pop(name, None)
        env.update({DATABASE_URL_ENV: f"{SERVER_URL}/{self.database}", "PYTHONPATH": str(REPO)})
        env["PYTHONNOUSERSITE"] = "1"
        return env

    # Installing -----------------------------------------------------------------------------------------

    def _requirements_key(self) -> str:
        # The venv is rebuilt when the pins or the interpreter change, and only then.
        version = subprocess.run(
            [self.python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True, check=True
        ).stdout
        return hashlib.sha256(REQUIREMENTS.read_bytes() + version.encode()).hexdigest()

    def install(self) -> None:
        key = self._requirements_key()
        if self.venv_python.exists() and self.stamp.exists() and self.stamp.read_text() == key:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        subprocess.run([self.python, "-m", "venv", "--clear", str(self.venv)], check=True)
        pip = [str(self.venv_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
        self.stamp.write_text(key)

    # Scripts in the peer venv -----------------------------------------------------------------------------

    def run_script(self, module: str, *args: str) -> dict:
        """Run `python -m bench.peer.<module> ARGS` in the peer venv and return the JSON it printed last."""
        completed = subprocess.run(
            [str(self.venv_python), "-m", f"bench.peer.{module}", *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            raise PeerError(f"bench.peer.{module} failed ({completed.returncode}):\n{completed.stderr[-4000:]}")
        lines = [line for line in completed.stdout.splitlines() if line.strip()]
        if not lines:
            raise PeerError(f"bench.peer.{module} printed nothing:\n{completed.stderr[-4000:]}")
        return json.loads(lines[-1])

    def prepare(self, tickets: int) -> float:
        """A new database with the queue, the staff user and `tickets` open tickets; returns the seconds taken."""
        started = time.perf_counter()
        self.run_script("database", "create")
        self.last_prepare = self.run_script("prepare", str(tickets))
        return time.perf_counter() - started

    def ticket_count(self) -> int:
        return self.run_script("stats")["tickets"]

    def measure_list(self, samples: int) -> dict:
        return self.run_script("measure", str(samples))

    def drop(self) -> None:
        self.run_script("database", "drop")

    # Serving --------------------------------------------------------------------------------------------

    @contextmanager
    def serve(self, port: int, workers: int) -> Iterator[str]:
        """gunicorn on 127.0.0.1:port until the block ends, served as Jangkau is (``bench.server``); yields the
        base URL once the peer answers."""
        command = gunicorn_command(
            str(self.venv / "bin" / "gunicorn"), "bench.peer.wsgi:application", port=port, workers=workers, chdir=REPO
        )
        with serving(
            command,
            port=port,
            env=self.env(),
            cwd=REPO,
            log_path=self.root / f"peer-gunicorn-{port}.log",
            ready_path="/helpdesk/tickets/submit/",
        ) as url:
            yield url


# The self-check ---------------------------------------------------------------------------------------------

CHECK_DATABASE = "peer_check"
CHECK_TICKETS = 2_000
CHECK_SUBMISSIONS = 50
CHECK_THREADS = 4


class Submitter:
    """One keep-alive connection and form state per thread, as the load generator's clients have them."""

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def _connect(self) -> None:
        self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        self.local.state = helpdesk_setup(self.local.conn)

    def submit(self, n: int) -> int:
        if not hasattr(self.local, "conn"):
            self._connect()
        try:
            return helpdesk_submit(self.local.conn, self.local.state, n)
        except (OSError, http.client.HTTPException):
            # A sync gunicorn worker may close the connection after a response; a new one retries once.
            self.local.conn.close()
            self._connect()
            return helpdesk_submit(self.local.conn, self.local.state, n)


def submit_many(port: int, count: int, threads: int) -> tuple[list[int], float]:
    submitter = Submitter(port)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(submitter.submit, range(count)))
    return statuses, time.perf_counter() - started


def check_submissions(peer: Peer, port: int) -> dict:
    before = peer.ticket_count()
    statuses, seconds = submit_many(port, CHECK_SUBMISSIONS, CHECK_THREADS)
    created = peer.ticket_count() - before
    failed = [status for status in statuses if status not in (302, 303)]
    if failed or created != CHECK_SUBMISSIONS:
        raise PeerError(f"{len(failed)} submissions failed ({sorted(set(failed))}); {created} tickets created")
    return {"submitted": CHECK_SUBMISSIONS, "created": created, "seconds": round(seconds, 3)}


def check() -> None:
    peer = Peer(CHECK_DATABASE)
    peer.install()
    # Dropped whatever fails, a half-prepared database included.
    try:
        prepare_s = peer.prepare(CHECK_TICKETS)
        print(f"prepare({CHECK_TICKETS}): {prepare_s:.1f} s {peer.last_prepare}", flush=True)
        port = free_port()
        with peer.serve(port, workers=2) as base:
            submitted = check_submissions(peer, port)
            rps = submitted["submitted"] / submitted["seconds"]
            print(f"{base}: {json.dumps(submitted)} ({rps:.1f} submissions/s, {CHECK_THREADS} threads)", flush=True)
        print(f"measure_list: {json.dumps(peer.measure_list(samples=10))}", flush=True)
    finally:
        peer.drop()
    print("peer check passed")


def list_figures(tickets: int, samples: int) -> None:
    """Prepare a database of `tickets` tickets, measure the list on it, and drop it."""
    peer = Peer(f"peer_list_{tickets}")
    peer.install()
    try:
        prepare_s = peer.prepare(tickets)
        print(f"prepare({tickets}): {prepare_s:.1f} s {peer.last_prepare}", flush=True)
        print(f"measure_list: {json.dumps(peer.measure_list(samples=samples))}", flush=True)
    finally:
        peer.drop()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="install, prepare, serve, submit, measure, drop")
    parser.add_argument("--list", type=int, metavar="TICKETS", help="prepare TICKETS tickets and measure the list")
    parser.add_argument("--samples", type=int, default=20, help="samples for --list (default 20)")
    args = parser.parse_args(argv)
    if args.check:
        check()
    elif args.list:
        list_figures(args.list, args.samples)
    else:
        parser.print_help()


if __name__ == "__main__":
    main(sys.argv[1:])
