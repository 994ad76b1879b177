"""The staff inbox, the delivery records and the message templates for integrations: the same services as
the back office (``jangkau.notifications``), so the same rules.

- Every staff member reads and marks read their own in-app notifications.
- The office's outgoing messages (to requesters, and e-mails to staff) are worked by ``DELIVERY_ROLES``
  (ULT officers, the head, the administrator): 403 for others. Another office's message answers 404, as if
  it did not exist. Recipients are shown masked only.
- The office's wording of each event's message is read, changed, previewed and reset by the office's
  administrator (403 for others), as in the back office's template editor.
"""

# No "from __future__ import annotations": ninja evaluates parameter annotations in the globals of the
# wrapped view, which for paginated views are ninja.pagination's (see ``staff.py``).

import enum
import re
from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jangkau.accounts.models import Role
from jangkau.cases.models import Case
from jangkau.cases.selectors import normalise_code
from jangkau.cases.vocabulary import MESSAGE_LANGUAGES
from jangkau.core.errors import InvalidFields, PermissionDenied
from jangkau.notifications import render as message_render
from jangkau.notifications import selectors
from jangkau.notifications.events import EVENTS, PLACEHOLDERS
from jangkau.notifications.models import Message, MessageTemplate
from jangkau.notifications.models import Status as MessageStatus
from jangkau.notifications.services import (
    DELIVERY_ROLES,
    inbox_mark_read,
    message_mark_handled,
    message_retry,
    template_reset,
    template_save,
)

from .auth import staff_auth
from .errors import with_errors
from .inputs import BodySchema, Id, InputSchema, Pagination

router = Router(tags=["staff: notifications"], auth=staff_auth)

STAFF_ERRORS = (401, 403)
LANGUAGES = dict(MESSAGE_LANGUAGES)
# The model's enum is called "Status", as the case's is: under its own name here, or the OpenAPI document
# would describe one with the other's values.
DeliveryStatus = enum.StrEnum("DeliveryStatus", {member.name: member.value for member in MessageStatus})


def _event_label(code: str) -> str:
    event = EVENTS.get(code)
    return str(event.label) if event else code


# --- the inbox ------------------------------------------------------------------------------------------------


class NotificationOut(Schema):
    """One in-app notification of the user."""

    id: int
    event: str = Field(description="The event's code, e.g. `new_request`, `forwarded`, `step_breach`.")
    event_label: str = Field(description="The event in words, in the request's language.")
    subject: str
    body: str
    link: str = Field(description="The page it is about (the case, the letter to sign).")
    case: str | None = Field(description="The case's registration number; null when it is not about a case.")
    created_at: datetime
    read_at: datetime | None = Field(description="When the user marked it read; null while unread.")

    @staticmethod
    def resolve_event_label(obj: Message) -> str:
        return _event_label(obj.event)

    @staticmethod
    def resolve_case(obj: Message) -> str | None:
        return obj.case.registration_number if obj.case_id else None


class ReadIn(BodySchema):
    ids: list[Id] | None = Field(
        None,
        max_length=500,
        description="The notifications to mark read; left out, every unread one. Ids that are not the "
        "user's unread notifications are ignored.",
    )


class ReadOut(Schema):
    marked: int = Field(description="How many notifications this request marked read.")
    unread: int = Field(description="How many stay unread.")


@router.get(
    "/notifications",
    response=with_errors({200: list[NotificationOut]}, *STAFF_ERRORS, 422),
    operation_id="notification_list",
    summary="The user's in-app notifications",
)
@paginate(Pagination)
def notification_list(
    request: HttpRequest,
    unread_only: bool = Query(False, description="Only those not yet marked read."),
):
    """Returns the user's own in-app notifications, newest first. ``count`` with ``unread_only=true`` is the
    number the back office shows on its menu."""
    return selectors.inbox(request.auth, unread_only=unread_only)


@router.post(
    "/notifications/read",
    response=with_errors({200: ReadOut}, 400, *STAFF_ERRORS, 422),
    operation_id="notification_mark_read",
    summary="Mark the user's notifications read",
)
def notification_mark_read(request: HttpRequest, payload: ReadIn | None = None):
    """Marks the notifications named by ``ids`` read, or every unread one for ``{}``. Nobody else's
    notifications change."""
    user = request.auth
    ids = payload.ids if payload is not None else None
    marked = inbox_mark_read(user=user, ids=ids)
    return {"marked": marked, "unread": selectors.unread_count(user)}


# --- the delivery records -------------------------------------------------------------------------------------


def _delivery_worker(request: HttpRequest):
    if request.auth.role not in DELIVERY_ROLES:
        raise PermissionDenied(
            _(
                "Pesan yang gagal terkirim ditangani oleh Petugas ULT, Kepala, dan Administrator kantor, yang "
                "menghubungi pemohon."
            )
        )
    return request.auth


def _office_message(request: HttpRequest, message_id: int) -> Message:
    """Returns the office's outgoing message. Raises Http404 for another office's message or an in-app
    notification, saying nothing about whether it exists."""
    user = _delivery_worker(request)
    message = selectors.deliveries(user.office).filter(pk=message_id).first()
    if message is None:
        raise Http404(_("Pesan tidak ditemukan."))
    return message


def _address_forms(address: str) -> list[str]:
    # A gateway may echo a phone number as +62812…, 62812… or 0812…; longest first, so no form is left half
    # replaced by a shorter one.
    forms = {address}
    if address.startswith("+62"):
        forms |= {address[1:], "0" + address[3:]}
    return sorted(forms, key=len, reverse=True)


def _without_address(text: str, message: Message) -> str:
    """Returns ``text`` with the message's full address replaced by its masked form: providers' errors
    quote the recipient (an SMTP refusal names the mailbox), and this list shows addresses masked only."""
    if not text or not message.address:
        return text
    for form in _address_forms(message.address):
        text = re.sub(re.escape(form), message.address_masked or "***", text, flags=re.IGNORECASE)
    return text


class MessageOut(Schema):
    """One outgoing message and its delivery record.

    ``subject`` only, never the body: a body may name the place and the time of a home visit, or what the
    requester must still hand in, and it is kept encrypted like the case's own personal data. The subject of
    every built-in text names only the event and the registration number; the case's page shows the rest to
    those who may see it.
    """

    id: int
    case: str | None = Field(description="The case's registration number; null when it is not about a case.")
    event: str
    event_label: str = Field(description="The event in words, in the request's language.")
    channel: str = Field(json_schema_extra={"enum": ["email", "whatsapp", "sms"]})
    recipient: str = Field(description="The address, masked: s*****@contoh.id, +62812****7890.")
    language: str = Field(description="The language it is written in.")
    subject: str
    status: DeliveryStatus
    attempts: int
    last_error: str = Field(description="The last failure as the provider gave it, the address masked.")
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None = Field(description="When it is tried again while retrying or pending.")
    handled_at: datetime | None = Field(description="When an officer recorded how the requester was told instead.")
    handled_by: str | None = Field(description="The username of that officer.")
    handled_note: str

    @staticmethod
    def resolve_case(obj: Message) -> str | None:
        return obj.case.registration_number if obj.case_id else None

    @staticmethod
    def resolve_event_label(obj: Message) -> str:
        return _event_label(obj.event)

    @staticmethod
    def resolve_recipient(obj: Message) -> str:
        return obj.address_masked

    @staticmethod
    def resolve_last_error(obj: Message) -> str:
        return _without_address(obj.last_error, obj)

    @staticmethod
    def resolve_handled_by(obj: Message) -> str | None:
        return obj.handled_by.get_username() if obj.handled_by_id else None


class MessageQuery(InputSchema):
    status: DeliveryStatus | None = Field(None, description="Only messages with this delivery status.")
    needs_action: bool = Field(False, description="Only failed messages no officer has handled yet.")
    case: str | None = Field(None, max_length=40, description="Only messages of this case (registration number).")


class HandledIn(BodySchema):
    note: str | None = Field(
        None, description="How the requester was told instead (a call, a visit); at most 1000 characters."
    )


@router.get(
    "/messages",
    response=with_errors({200: list[MessageOut]}, *STAFF_ERRORS, 422),
    operation_id="message_list",
    summary="The office's outgoing messages and their delivery records",
)
@paginate(Pagination)
def message_list(request: HttpRequest, filters: Query[MessageQuery]):
    """Returns the office's messages to requesters and its e-mails to staff (not the in-app notifications),
    newest first, recipients masked. 403 unless the user is a ULT officer, the head or the administrator;
    422 ("case") for a registration number that is not one of the office's cases."""
    user = _delivery_worker(request)
    case = None
    if filters.case:
        case = Case.objects.filter(office_id=user.office_id, registration_number=normalise_code(filters.case)).first()
        if case is None:
            raise InvalidFields({"case": _("Kasus tidak ditemukan di kantor ini.")})
    messages = selectors.deliveries(
        user.office, status=filters.status or "", needs_action=filters.needs_action, case=case
    )
    # The body is never answered here: no need to decrypt it.
    return messages.defer("body")


@router.post(
    "/messages/{message_id}/retry",
    response=with_errors({200: MessageOut}, *STAFF_ERRORS, 404, 409, 422),
    operation_id="message_retry",
    summary="Send a failed message again",
)
def message_retry_endpoint(request: HttpRequest, message_id: Id):
    """Sends the failed message again from its first attempt, e.g. once the gateway is back or the address
    was corrected. 404 for another office's message; 409 (``not_failed``) unless it failed."""
    message = _office_message(request, message_id)
    return message_retry(message=message, actor=request.auth)


@router.post(
    "/messages/{message_id}/handled",
    response=with_errors({200: MessageOut}, 400, *STAFF_ERRORS, 404, 409, 422),
    operation_id="message_mark_handled",
    summary="Record how the requester was told what a failed message said",
)
def message_handled_endpoint(request: HttpRequest, message_id: Id, payload: HandledIn):
    """Records the officer's note on a failed message (it then leaves ``needs_action``). 404 for another
    office's message; 422 ("note") without a note; 409 unless it failed (``not_failed``) or once handled
    (``already_handled``)."""
    message = _office_message(request, message_id)
    return message_mark_handled(message=message, actor=request.auth, note=payload.note or "")


# --- the message templates ------------------------------------------------------------------------------------


class PlaceholderOut(Schema):
    name: str = Field(description="Written {{ name }} in a text.")
    meaning: str
    example: str = Field(description="The value the preview fills in.")


class TemplateOut(Schema):
    """The text of one event's message in one language that the office sends now."""

    event: str
    event_label: str
    audience: str = Field(json_schema_extra={"enum": ["requester", "staff"]})
    language: str = Field(json_schema_extra={"enum": list(LANGUAGES)})
    customised: bool = Field(description="The office's own wording; false: the built-in text.")
    subject: str
    body: str
    placeholders: list[PlaceholderOut] = Field(description="What the event's texts may name, and nothing else.")


class TemplateIn(BodySchema):
    subject: str | None = Field(
        None, description=f"At most {message_render.MAX_SUBJECT} characters; the e-mail's subject."
    )
    body: str | None = Field(None, description=f"At most {message_render.MAX_BODY} characters, plain text.")


class PreviewOut(Schema):
    subject: str
    body: str


def _template_editor(request: HttpRequest):
    if request.auth.role != Role.ADMIN:
        raise PermissionDenied(_("Teks pesan kantor diubah oleh Administrator kantor."))
    return request.auth


def _known(event: str, language: str) -> None:
    if event not in EVENTS or language not in LANGUAGES:
        raise Http404(_("Peristiwa atau bahasa pesan tidak dikenal."))


def _template(event: str, language: str, own: MessageTemplate | None) -> dict:
    spec = EVENTS[event]
    subject, body = (own.subject, own.body) if own else message_render.default_texts(event, language)
    return {
        "event": event,
        "event_label": str(spec.label),
        "audience": spec.audience,
        "language": language,
        "customised": own is not None,
        "subject": subject,
        "body": body,
        "placeholders": [
            {"name": name, "meaning": str(PLACEHOLDERS[name][0]), "example": PLACEHOLDERS[name][1]}
            for name in spec.placeholders
        ],
    }


def _office_template(office, event: str, language: str) -> dict:
    own = MessageTemplate.objects.filter(office=office, event=event, language=language).first()
    return _template(event, language, own)


@router.get(
    "/message-templates",
    response=with_errors({200: list[TemplateOut]}, *STAFF_ERRORS),
    operation_id="message_template_list",
    summary="The text of every event's message in every language",
)
def message_template_list(request: HttpRequest):
    """Returns every event × language, requester events first, each with the text in force (the office's
    own or the built-in) and the placeholders it may use. 403 unless the user is the office's administrator."""
    user = _template_editor(request)
    own = {(t.event, t.language): t for t in MessageTemplate.objects.filter(office_id=user.office_id)}
    return [
        _template(event, language, own.get((event, language)))
        for event in sorted(EVENTS, key=lambda code: EVENTS[code].audience != "requester")
        for language in LANGUAGES
    ]


@router.put(
    "/message-templates/{event}/{language}",
    response=with_errors({200: TemplateOut}, 400, *STAFF_ERRORS, 404, 422),
    operation_id="message_template_save",
    summary="Save the office's own wording of an event's message",
)
def message_template_save(request: HttpRequest, event: str, language: str, payload: TemplateIn):
    """Messages written from now on use this text. 422 naming ``subject`` or ``body`` when one is empty,
    too long, not a readable template or names a placeholder the event does not have; nothing is saved then.
    404 for an unknown event or language."""
    user = _template_editor(request)
    _known(event, language)
    template = template_save(
        office=user.office,
        actor=user,
        event=event,
        language=language,
        subject=payload.subject or "",
        body=payload.body or "",
    )
    return _template(event, language, template)


@router.delete(
    "/message-templates/{event}/{language}",
    response=with_errors({200: TemplateOut}, *STAFF_ERRORS, 404, 422),
    operation_id="message_template_reset",
    summary="Return an event's message to the built-in text",
)
def message_template_reset(request: HttpRequest, event: str, language: str):
    """Drops the office's own wording (if any) and returns the built-in text now in force."""
    user = _template_editor(request)
    _known(event, language)
    template_reset(office=user.office, actor=user, event=event, language=language)
    return _template(event, language, None)


@router.post(
    "/message-templates/{event}/{language}/preview",
    response=with_errors({200: PreviewOut}, 400, *STAFF_ERRORS, 404, 422),
    operation_id="message_template_preview",
    summary="Fill in a text with the event's example values, without saving it",
)
def message_template_preview(request: HttpRequest, event: str, language: str, payload: TemplateIn):
    """Returns the subject and body as a recipient would read them, each placeholder replaced by its
    example. 422 with the same problems saving would name."""
    _template_editor(request)
    _known(event, language)
    subject, body = (payload.subject or "").strip(), (payload.body or "").replace("\r\n", "\n").strip()
    problems = message_render.template_problems(event, subject, body)
    if problems:
        raise InvalidFields(problems)
    subject, body = message_render.render_texts(subject, body, message_render.sample_context(event), language)
    return {"subject": subject, "body": body}
