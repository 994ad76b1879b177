"""gunicorn for ``make bench``: every contender is served the same way (sync workers, the same number of them,
no access log, on loopback), started in its own process group and stopped with it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

READY_TIMEOUT_S = 60
STOP_TIMEOUT_S = 35


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(gunicorn: str, app: str, *, port: int, workers: int, chdir: Path) -> list[str]:
    # gunicorn 27 would also open a control socket at one fixed path in $HOME, which two servers on the
    # machine (Jangkau's and the peer's) would contend for: --no-control-socket.
    return [
        gunicorn,
        app,
        "--worker-class",
        "sync",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(chdir),
        "--no-control-socket",
    ]


def answers(port: int, path: str) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


@contextmanager
def serving(command: list[str], *, port: int, env: dict, cwd: Path, log_path: Path, ready_path: str) -> Iterator[str]:
    """Runs ``command`` until the block ends; yields the base URL once ``ready_path`` answers 200."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while not answers(port, ready_path):
                if process.poll() is not None:
                    raise ServerError(f"gunicorn exited ({process.returncode}):\n{log_path.read_text()[-4000:]}")
                if time.monotonic() > deadline:
                    raise ServerError(f"gunicorn did not answer on port {port} within {READY_TIMEOUT_S} s")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    # SIGTERM lets gunicorn's arbiter finish in-flight requests and stop its workers; kill only if it hangs.
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
