"""Enqueues the periodic work for the task workers: the SLA watch, the message sweep (retries and lost
tasks) and the reminders, once a minute. ``--once`` enqueues one round and exits, for cron."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand

from jangkau.notifications.tasks import send_reminders, sweep_messages, watch_steps

PERIODIC = (watch_steps, sweep_messages, send_reminders)


class Command(BaseCommand):
    help = "Enqueues the SLA watch, the message sweep and the reminders every minute (or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between rounds (default 60).")
        parser.add_argument("--once", action="store_true", help="Enqueue one round and exit (for cron).")

    def handle(self, *args, interval: float, once: bool, **options):
        self.running = True

        def stop(signum, frame):
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while self.running:
            started = time.monotonic()
            for periodic in PERIODIC:
                periodic.enqueue()
            if once:
                break
            # Several workers may run these; each job is idempotent, so a missed or doubled round is harmless.
            while self.running and time.monotonic() - started < interval:
                time.sleep(min(0.5, interval))
        self.stdout.write("scheduler stopped")
