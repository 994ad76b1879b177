"""Writing messages inside the transaction of the action that causes them (a transactional outbox).

A message row commits with its action or not at all, and the task that sends it is enqueued only once the
transaction has committed: a rolled-back action sends nothing, and a crash after the commit leaves a
pending row that the sweep (``delivery.sweep``) sends later. Nothing here talks to the outside world.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role, User
from jangkau.core import clock
from jangkau.core.masking import mask_email, mask_phone

from .models import Channel, Message, Status
from .render import render_message


def absolute(path: str) -> str:
    """Returns ``path`` on the public address of the installation (``JANGKAU_PUBLIC_URL``)."""
    return urljoin(settings.JANGKAU_PUBLIC_URL.rstrip("/") + "/", path.lstrip("/"))


def moment_text(moment: datetime | None, time_zone: str, language: str) -> str:
    """Returns "Selasa, 7 Januari 2025 pukul 10.00 WIB" (or the English equivalent) in the office's zone."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(time_zone))
    with translation.override(language):
        return _("%(date)s pukul %(time)s %(zone)s") % {
            "date": formats.date_format(local, "l, j F Y"),
            "time": local.strftime("%H.%M") if language == "id" else local.strftime("%H:%M"),
            "zone": local.tzname(),
        }


def enqueue_after_commit(message_id: int) -> None:
    from .tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.enqueue(message_id))


def queue_message(
    *,
    office,
    event: str,
    key: str,
    channel: str,
    language: str,
    context: dict,
    case=None,
    user: User | None = None,
    address: str = "",
    link: str = "",
    appointment=None,
    fresh_key: bool = False,
) -> Message | None:
    """Writes one message for sending after the current transaction commits and returns it; returns None
    when a message with ``key`` exists (the same event never reaches the same person twice). ``fresh_key``:
    the key names an audit event written in this very transaction, so no message can have it yet and the
    look-up and the savepoint are spared (every intake and action sends its messages so)."""
    if not fresh_key and Message.objects.filter(idempotency_key=key).exists():
        return None
    rendered = render_message(office, event, language, context)
    fields = _fields(
        office=office, case=case, event=event, key=key, channel=channel, language=language, rendered=rendered,
        user=user, address=address, link=link, appointment=appointment,
    )  # fmt: skip
    return _write(fields, guarded=not fresh_key)


def _fields(*, office, case, event, key, channel, language, rendered, user, address, link, appointment) -> dict:
    subject, body = rendered
    now = clock.now()
    in_app = channel == Channel.IN_APP
    masked = mask_email(address) if channel == Channel.EMAIL else mask_phone(address) if address else ""
    fields = {
        "office": office,
        "case": case,
        "event": event,
        "idempotency_key": key,
        "channel": channel,
        "recipient_user": user,
        "address": address,
        "address_masked": masked,
        "language": language,
        "subject": subject,
        "body": body,
        "link": link,
        "appointment": appointment,
        "created_at": now,
        # In-app notifications are delivered by being written; the rest wait for the worker.
        "status": Status.SENT if in_app else Status.PENDING,
        "sent_at": now if in_app else None,
        "next_attempt_at": None if in_app else now,
    }
    if not in_app and not address:
        fields.update(status=Status.FAILED, next_attempt_at=None, last_error=_("Tidak ada alamat tujuan."))
    return fields


def _write(fields: dict, *, guarded: bool = True) -> Message | None:
    if not guarded:
        message = Message.objects.create(**fields)
        if message.status == Status.PENDING:
            enqueue_after_commit(message.pk)
        return message
    try:
        # A savepoint: a concurrent twin of this event must not break the caller's transaction.
        with transaction.atomic():
            message = Message.objects.create(**fields)
    except IntegrityError:
        return None
    if message.status == Status.PENDING:
        enqueue_after_commit(message.pk)
    return message


def notify_staff(
    *, office, event: str, key: str, users, context: dict, case=None, link: str = "", fresh_key: bool = False
) -> list[Message]:
    """Writes ``event`` for each active user: in the back office's inbox, and by e-mail to those with an
    address. Staff read Indonesian, the office's working language.

    Every intake and action notifies several colleagues, so the messages are checked, rendered and written
    together: one query finds those already written, the text is rendered once (it is the same for all), the
    in-app ones go in one insert that skips a concurrent twin, and only e-mails (which the worker sends) are
    written one by one to enqueue each."""
    language = settings.LANGUAGE_CODE
    wanted = []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        for channel in [Channel.IN_APP] + ([Channel.EMAIL] if user.email else []):
            wanted.append((user, channel, f"{key}:u{user.pk}:{channel}"))
    if not wanted:
        return []
    written = set() if fresh_key else set(Message.objects.filter(
        idempotency_key__in=[k for _u, _c, k in wanted]
    ).values_list("idempotency_key", flat=True))  # fmt: skip
    wanted = [item for item in wanted if item[2] not in written]
    if not wanted:
        return []
    rendered = render_message(office, event, language, context)
    rows = [
        _fields(
            office=office, case=case, event=event, key=k, channel=channel, language=language, rendered=rendered,
            user=user, address=user.email if channel == Channel.EMAIL else "", link=link, appointment=None,
        )
        for user, channel, k in wanted
    ]  # fmt: skip
    in_app = [Message(**fields) for fields in rows if fields["channel"] == Channel.IN_APP]
    Message.objects.bulk_create(in_app, ignore_conflicts=True)
    messages = list(in_app)
    for fields in rows:
        if fields["channel"] != Channel.IN_APP:
            message = _write(fields, guarded=not fresh_key)
            if message is not None:
                messages.append(message)
    return messages


def office_staff(office, *roles: str):
    return User.objects.filter(office=office, role__in=roles, is_active=True).order_by("pk")


def heads_of(office):
    return office_staff(office, Role.HEAD)
