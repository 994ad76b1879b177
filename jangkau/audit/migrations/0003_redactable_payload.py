"""The chain links a keyed digest of each event's payload (changes, source address) instead of the payload,
so that anonymisation can erase personal data from old events and the chain still verifies.

Existing events are re-sealed under the new scheme: the old chain is verified first, with a frozen copy of
the old hash, and the migration refuses to run on a broken chain, so re-sealing cannot launder a tampered
event.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations, models

from jangkau.audit.chain import GENESIS_HASH, event_hash, payload_digest


def _old_hash(key, prev_hash, event):
    body = {
        "seq": event.seq,
        "at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "office": event.office_id,
        "case": event.case_id,
        "changes": event.changes,
        "ip": event.source_ip,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, (prev_hash + canonical).encode(), hashlib.sha256).hexdigest()


def reseal(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    key = settings.AUDIT_CHAIN_KEY.encode()
    old_prev, new_prev = GENESIS_HASH, GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.prev_hash != old_prev or _old_hash(key, old_prev, event) != event.hash:
            raise RuntimeError(f"audit event #{event.seq} does not verify: run audit_verify and investigate first")
        digest = payload_digest(key=key, changes=event.changes, source_ip=event.source_ip)
        new_hash = event_hash(
            key=key,
            prev_hash=new_prev,
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            office_id=event.office_id,
            case_id=event.case_id,
            payload=digest,
        )
        AuditEvent.objects.filter(pk=event.pk).update(payload_digest=digest, prev_hash=new_prev, hash=new_hash)
        old_prev, new_prev = event.hash, new_hash
    ChainHead.objects.filter(id=1, last_hash=old_prev).update(last_hash=new_prev)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_personal_data_view"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="payload_digest",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="redacted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dianonimkan pada"),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
