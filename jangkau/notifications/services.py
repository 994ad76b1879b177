"""Staff actions on messages: read the inbox, send a failed message again, record that it was handled
another way, and edit the office's wording. Each is one transaction with one audit event (reading the
inbox excepted: it changes nothing anybody is accountable for)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.cases.intake import Text, clean_text
from jangkau.cases.vocabulary import MESSAGE_LANGUAGES
from jangkau.core import clock
from jangkau.core.errors import Conflict, InvalidFields, PermissionDenied

from .emit import enqueue_after_commit
from .events import EVENTS
from .models import Channel, Message, MessageTemplate, Status
from .render import template_problems

# Who works the failed messages of an office: those who contact requesters and those who answer for them.
DELIVERY_ROLES = (Role.ULT_OFFICER, Role.HEAD, Role.ADMIN)
HANDLED_NOTE = Text(1000, multiline=True)


def _check_staff(actor: User, office, roles=DELIVERY_ROLES) -> None:
    if not isinstance(actor, User) or not actor.is_active or actor.office_id != office.pk or actor.role not in roles:
        raise PermissionDenied(_("Anda tidak berwenang untuk pesan kantor ini."))


def _locked(message: Message, actor: User) -> Message:
    message = Message.objects.select_for_update(of=("self",)).select_related("office", "case").get(pk=message.pk)
    _check_staff(actor, message.office)
    if message.channel == Channel.IN_APP:
        raise Conflict(_("Pemberitahuan di aplikasi tidak dikirim ulang."), code="in_app")
    return message


def inbox_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Marks the user's in-app notifications read (those named by ``ids``, or all); returns how many."""
    unread = Message.objects.filter(recipient_user=user, channel=Channel.IN_APP, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=clock.now())


def message_retry(*, message: Message, actor: User) -> Message:
    """Sends a failed message again from its first attempt (after the officer corrected the cause, e.g. the
    gateway came back). Raises Conflict unless it failed, PermissionDenied outside the office's staff."""
    with transaction.atomic():
        message = _locked(message, actor)
        if message.status != Status.FAILED:
            raise Conflict(_("Hanya pesan yang gagal terkirim yang dapat dikirim ulang."), code="not_failed")
        message.status, message.attempts, message.next_attempt_at = Status.PENDING, 0, clock.now()
        message.handled_at, message.handled_by, message.handled_note = None, None, ""
        message.save(
            update_fields=["status", "attempts", "next_attempt_at", "handled_at", "handled_by", "handled_note"]
        )
        audit_record(
            action="message.retry",
            actor=actor,
            office=message.office,
            case=message.case,
            changes={"message": message.pk, "event": message.event, "channel": message.channel},
        )
        enqueue_after_commit(message.pk)
    return message


def message_mark_handled(*, message: Message, actor: User, note: str) -> Message:
    """Records how a failed message was made up for (the requester was called, met at the office). Raises
    InvalidFields ("note"), Conflict unless it failed or when already handled."""
    note, problem = clean_text(note, HANDLED_NOTE)
    if problem or not note:
        raise InvalidFields({"note": problem or _("Tuliskan bagaimana pemohon dikabari.")})
    with transaction.atomic():
        message = _locked(message, actor)
        if message.status != Status.FAILED:
            raise Conflict(_("Hanya pesan yang gagal terkirim yang perlu ditangani."), code="not_failed")
        if message.handled_at is not None:
            raise Conflict(_("Pesan ini sudah ditangani."), code="already_handled")
        message.handled_at, message.handled_by, message.handled_note = clock.now(), actor, note
        message.save(update_fields=["handled_at", "handled_by", "handled_note"])
        audit_record(
            action="message.handled",
            actor=actor,
            office=message.office,
            case=message.case,
            # The note may name the requester's circumstances: the trail keeps that it was handled, not how.
            changes={"message": message.pk, "event": message.event, "channel": message.channel},
        )
    return message


def _check_template_args(event: str, language: str) -> None:
    if event not in EVENTS or language not in dict(MESSAGE_LANGUAGES):
        raise InvalidFields({"event": _("Peristiwa atau bahasa tidak dikenal.")})


def template_save(*, office, actor: User, event: str, language: str, subject: str, body: str) -> MessageTemplate:
    """Saves the office's own wording of ``event`` in ``language`` (administrators only). Raises
    InvalidFields ("subject", "body") for empty or overlong texts, bad template syntax or unknown
    placeholders; nothing is saved then."""
    _check_staff(actor, office, (Role.ADMIN,))
    _check_template_args(event, language)
    subject, body = (subject or "").strip(), (body or "").replace("\r\n", "\n").strip()
    problems = template_problems(event, subject, body)
    if problems:
        raise InvalidFields(problems)
    with transaction.atomic():
        template, created = MessageTemplate.objects.select_for_update().update_or_create(
            office=office,
            event=event,
            language=language,
            defaults={"subject": subject, "body": body, "updated_at": clock.now(), "updated_by": actor},
        )
        audit_record(
            action="message_template.save",
            actor=actor,
            office=office,
            changes={"event": event, "language": language, "subject": subject, "body": body, "created": created},
        )
    return template


def template_reset(*, office, actor: User, event: str, language: str) -> bool:
    """Drops the office's own wording so the built-in text applies again; returns whether there was one."""
    _check_staff(actor, office, (Role.ADMIN,))
    _check_template_args(event, language)
    with transaction.atomic():
        deleted, _rows = MessageTemplate.objects.filter(office=office, event=event, language=language).delete()
        if deleted:
            audit_record(
                action="message_template.reset", actor=actor, office=office,
                changes={"event": event, "language": language},
            )  # fmt: skip
    return bool(deleted)
