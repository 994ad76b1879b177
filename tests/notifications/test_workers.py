"""Two task workers (``manage.py db_worker``) on PostgreSQL share one queue: each job runs exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from jangkau.core import clock
from jangkau.notifications.models import Channel, Message, Status
from jangkau.notifications.tasks import deliver_message

from ..builders import make_office

ROOT = Path(__file__).resolve().parents[2]
JOBS = 1000

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="several workers need a shared server database: PostgreSQL pass"
    ),
]


def _worker_env(gateway_url: str) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        # The workers must read what this process encrypted and sign what it would.
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "AUDIT_CHAIN_KEY": settings.AUDIT_CHAIN_KEY,
        "NOTIFY_SMS_URL": gateway_url,
        "NOTIFY_SMS_TOKEN": "sms-token",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }


def test_two_workers_run_each_of_a_thousand_jobs_exactly_once(gateway, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    office = make_office()
    now = clock.now()
    Message.objects.bulk_create(
        Message(
            office=office,
            event="received",
            idempotency_key=f"bench:{n}",
            channel=Channel.SMS,
            address="+6281234567890",
            address_masked="+62812****7890",
            subject=f"Pesan {n}",
            body=f"Pesan nomor {n}",
            created_at=now,
            next_attempt_at=now,
        )
        for n in range(JOBS)
    )
    for pk in Message.objects.values_list("pk", flat=True):
        deliver_message.enqueue(pk)
    assert DBTaskResult.objects.count() == JOBS

    env = _worker_env(gateway.url("/sms"))
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0.05"]
    workers = [
        subprocess.Popen([*command, "--worker-id", f"w{i}"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for i in range(2)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err[-2000:]

    references = Counter(r.payload["reference"] for r in gateway.received())
    assert len(references) == JOBS
    assert set(references.values()) == {1}, "a message reached the gateway twice"
    results = DBTaskResult.objects.all()
    assert results.count() == JOBS
    assert set(results.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in results.only("worker_ids"))
    by_worker = Counter(r.worker_ids[0] for r in results.only("worker_ids"))
    assert set(by_worker) == {"w0", "w1"}, f"both workers should have shared the batch: {by_worker}"
    assert set(Message.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}
