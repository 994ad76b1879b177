"""Runs Jangkau on one machine: the web server, the task worker and the scheduler, stopped together.

``make run`` uses it. Each child runs in its own process group, so stopping this command (Ctrl+C, or
SIGTERM from a service manager) stops each child and whatever the child started (runserver's reloader);
when one child dies the others are stopped too, so the office never runs half a system unnoticed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Starts the web server, the task worker (db_worker) and the scheduler; stopping it stops all three."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host: str, port: str, **options):
        manage = [sys.executable, os.path.abspath(sys.argv[0])]
        commands = {
            "web": [*manage, "runserver", f"{host}:{port}"],
            "worker": [*manage, "db_worker", "--no-startup-delay"],
            "scheduler": [*manage, "scheduler"],
        }
        self.stopping = False

        def stop(signum, frame):
            self.stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        children = {name: subprocess.Popen(command, start_new_session=True) for name, command in commands.items()}
        self.stdout.write(
            f"serve (pid {os.getpid()}) started "
            + ", ".join(f"{name} (pid {child.pid})" for name, child in children.items())
        )
        self.stdout.flush()
        exited = None
        while not self.stopping and exited is None:
            exited = next((name for name, child in children.items() if child.poll() is not None), None)
            time.sleep(0.2)
        if exited:
            self.stderr.write(f"{exited} stopped (exit {children[exited].returncode}); stopping the others")
        self._stop(children)
        self.stdout.write("stopped web, worker and scheduler")
        if exited:
            sys.exit(1)

    def _stop(self, children: dict) -> None:
        for child in children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
