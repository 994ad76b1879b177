"""``make run`` starts the web server, the task worker and the scheduler; stopping it stops all three."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from .notifications.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
STARTED = re.compile(r"serve \(pid (\d+)\) started web \(pid (\d+)\), worker \(pid (\d+)\), scheduler \(pid (\d+)\)")

pytestmark = pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".venv/bin/python").exists(), reason="needs make and the .venv"
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has stopped; only its parent has not read its status yet.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _cmdline(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read().replace(b"\0", b" ").decode()


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("make-run-var")


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm-to-serve"])
def test_make_run_starts_web_worker_and_scheduler_and_stopping_it_stops_all_three(var_dir, stop):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(JANGKAU_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1", MAKEFLAGS="")
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(make.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        pids = None
        while time.monotonic() < deadline and make.poll() is None:
            match = STARTED.search("".join(output))
            if match:
                pids = [int(group) for group in match.groups()]
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
            time.sleep(0.5)
        assert pids is not None, "".join(output)[-3000:]
        serve, web, worker, scheduler = pids
        assert "runserver" in _cmdline(web) and f"127.0.0.1:{port}" in _cmdline(web)
        assert "db_worker" in _cmdline(worker)
        assert "scheduler" in _cmdline(scheduler)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200

        if stop == "ctrl-c":
            os.killpg(make.pid, signal.SIGINT)  # what Ctrl+C in the terminal sends
        else:
            os.kill(serve, signal.SIGTERM)  # what a service manager sends
        make.wait(timeout=60)
        time.sleep(0.5)
        for pid in (serve, web, worker, scheduler):
            assert not _alive(pid), f"{_cmdline(pid)} still runs"
        # runserver's reloader child lives in the web server's group: nothing of it is left either.
        for child in (web, worker, scheduler):
            assert not _group_alive(child)
        assert "stopped web, worker and scheduler" in "".join(output)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
