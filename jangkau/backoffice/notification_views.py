"""The back office's pages of the notifications.

- The inbox (``/staf/pemberitahuan/``): every staff member's in-app notifications, newest first, with
  "mark read" one by one or all at once.
- The delivery records (``/staf/pesan/``): the office's messages to requesters and by e-mail to staff, by
  default those that failed and wait for an officer, who sends one again or records how the requester was
  told another way. For ``DELIVERY_ROLES`` only (PPID members do not contact requesters).
- The message templates (``/staf/pemberitahuan/templat/``): administrators word each event's message per
  language, preview it with example values, save it or return to the built-in text.

The rules are ``jangkau.notifications``'s; these views only ask and show. Another office's message answers
404, as if it did not exist; a role that may not use a page gets a page saying who does.
"""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jangkau.accounts.models import Role
from jangkau.cases.models import Case
from jangkau.cases.vocabulary import MESSAGE_LANGUAGES
from jangkau.core.errors import DomainError, InvalidFields
from jangkau.notifications import render as message_render
from jangkau.notifications import selectors
from jangkau.notifications.events import EVENTS, PLACEHOLDERS, REQUESTER, STAFF
from jangkau.notifications.models import Message, MessageTemplate, Status
from jangkau.notifications.services import (
    DELIVERY_ROLES,
    inbox_mark_read,
    message_mark_handled,
    message_retry,
    template_reset,
    template_save,
)

from .notification_forms import DeliveryFilterForm, HandledForm, MessageTemplateForm
from .paging import page_links, page_of
from .scope import user_office

PAGE_SIZE = 25
LANGUAGES = dict(MESSAGE_LANGUAGES)


def _forbidden(request, reason: str):
    return render(request, "backoffice/notifications/forbidden.html", {"reason": reason}, status=403)


def may_work_deliveries(user) -> bool:
    """Whether the user works the office's failed messages (the menu, the case page and these views ask)."""
    return user.role in DELIVERY_ROLES


def _case_url(message: Message) -> str:
    # The case page on the address the staff member is using; ``link`` carries the installation's public
    # address (for e-mails), which need not be the one of this session.
    if message.case_id is not None:
        return reverse("backoffice:case_detail", args=[message.case.registration_number])
    return message.link


def event_label(code: str) -> str:
    event = EVENTS.get(code)
    return str(event.label) if event else code


# --- the inbox ------------------------------------------------------------------------------------------------


@never_cache
@login_required
def inbox(request):
    """The user's in-app notifications, newest first, 25 to a page; unread ones say so in words."""
    office = user_office(request)
    page = page_of(request, selectors.inbox(request.user), PAGE_SIZE)
    for message in page:
        message.target_url = _case_url(message)
    context = {
        "page": page,
        **page_links(page, {}),
        "unread": selectors.unread_count(request.user),
        "time_zone": ZoneInfo(office.time_zone),
        "may_work_deliveries": may_work_deliveries(request.user),
        "may_edit_templates": request.user.role == Role.ADMIN,
    }
    return render(request, "backoffice/notifications/inbox.html", context)


def _back_to_inbox(request):
    page = request.POST.get("halaman", "")
    return redirect(reverse("backoffice:notifications") + (f"?halaman={page}" if page.isdigit() else ""))


@require_POST
@login_required
def inbox_read_all(request):
    """Marks every unread notification of the user read."""
    user_office(request)
    count = inbox_mark_read(user=request.user)
    if count:
        done = ngettext(
            "%(count)s pemberitahuan ditandai sudah dibaca.", "%(count)s pemberitahuan ditandai sudah dibaca.", count
        )
        messages.success(request, done % {"count": count})
    else:
        messages.info(request, _("Tidak ada pemberitahuan yang belum dibaca."))
    return _back_to_inbox(request)


@require_POST
@login_required
def inbox_read(request, pk: int):
    """Marks one of the user's notifications read; anybody else's answers 404."""
    user_office(request)
    message = get_object_or_404(selectors.inbox(request.user), pk=pk)
    inbox_mark_read(user=request.user, ids=[message.pk])
    messages.success(request, _("“%(subject)s” ditandai sudah dibaca.") % {"subject": message.subject})
    return _back_to_inbox(request)


# --- the delivery records -------------------------------------------------------------------------------------


def _refuse_deliveries(request):
    return _forbidden(
        request,
        _(
            "Pesan yang gagal terkirim ditangani oleh Petugas ULT, Kepala, dan Administrator kantor, yang "
            "menghubungi pemohon."
        ),
    )


def _office_message(office, pk: int) -> Message:
    """Returns the office's outgoing message ``pk``. Raises Http404 for another office's message or an
    in-app notification."""
    return get_object_or_404(selectors.deliveries(office).defer("body", "address"), pk=pk)


def deliveries_url(choice: str = "", case_number: str = "") -> str:
    query = {key: value for key, value in (("tampil", choice), ("kasus", case_number)) if value}
    return reverse("backoffice:messages") + (f"?{urlencode(query)}" if query else "")


@never_cache
@login_required
def deliveries(request):
    """The office's outgoing messages: by default those that failed and wait for an officer; or one
    status, or all; optionally of one case (``?kasus=``)."""
    office = user_office(request)
    if not may_work_deliveries(request.user):
        return _refuse_deliveries(request)
    form = DeliveryFilterForm(request.GET)
    case = None
    if form.case_number():
        case = get_object_or_404(Case, office=office, registration_number=form.case_number())
    records = selectors.deliveries(office, case=case, **form.selector_arguments()).defer("body", "address")
    page = page_of(request, records, PAGE_SIZE)
    for message in page:
        message.event_label = event_label(message.event)
        message.target_url = _case_url(message)
    query = {key: value for key, value in (("tampil", form.choice()), ("kasus", form.case_number())) if value}
    context = {
        # Not "form": the base template reads ``form.errors`` as a failed submission.
        "filter_form": form,
        "choice": form.choice(),
        "choice_label": dict(form.fields["tampil"].choices)[form.choice()],
        "case": case,
        "page": page,
        **page_links(page, query),
        "time_zone": ZoneInfo(office.time_zone),
        "may_edit_templates": request.user.role == Role.ADMIN,
    }
    return render(request, "backoffice/notifications/deliveries.html", context)


def _back_to_deliveries(request):
    form = DeliveryFilterForm(request.POST)
    return redirect(deliveries_url(form.choice(), form.case_number()))


@require_POST
@login_required
def delivery_retry(request, pk: int):
    """Sends a failed message again; a refusal (it is not failed any more) is said, and nothing changes."""
    office = user_office(request)
    if not may_work_deliveries(request.user):
        return _refuse_deliveries(request)
    message = _office_message(office, pk)
    try:
        message_retry(message=message, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(what)s dikirim ulang.") % {"what": _message_name(message)})
    return _back_to_deliveries(request)


def _message_name(message: Message) -> str:
    name = _("Pesan “%(event)s”") % {"event": event_label(message.event)}
    if message.case_id is not None:
        name += " " + _("kasus %(number)s") % {"number": message.case.registration_number}
    return name


@login_required
def delivery_handle(request, pk: int):
    """Records how the requester was told what a failed message said (a call, a visit): one required note."""
    office = user_office(request)
    if not may_work_deliveries(request.user):
        return _refuse_deliveries(request)
    message = _office_message(office, pk)
    message.event_label = event_label(message.event)
    message.target_url = _case_url(message)
    open_to_handle = message.status == Status.FAILED and message.handled_at is None
    form = HandledForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message_mark_handled(message=message, actor=request.user, note=form.cleaned_data["note"])
        except InvalidFields as exc:
            for name, error in exc.errors.items():
                form.add_error(name if name in form.fields else None, error)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(deliveries_url())
        else:
            messages.success(request, _("%(what)s tercatat sudah ditangani.") % {"what": _message_name(message)})
            return redirect(deliveries_url())
    context = {
        "message": message,
        "form": form,
        "open_to_handle": open_to_handle,
        "time_zone": ZoneInfo(office.time_zone),
    }
    return render(request, "backoffice/notifications/handle.html", context)


# --- the message templates ------------------------------------------------------------------------------------


def _refuse_templates(request):
    return _forbidden(request, _("Teks pesan kantor diubah oleh Administrator kantor."))


def _event_groups(customised: set[tuple[str, str]]) -> list[dict]:
    """Returns the events grouped by audience (requester, staff), each with a cell per language saying
    whether the office's own text applies."""
    titles = {REQUESTER: _("Pesan kepada pemohon"), STAFF: _("Pemberitahuan kepada petugas")}
    groups = []
    for audience, title in titles.items():
        rows = []
        for event in EVENTS.values():
            if event.audience != audience:
                continue
            cells = [
                {
                    "language": code,
                    "language_name": name,
                    "customised": (event.code, code) in customised,
                    "url": reverse("backoffice:message_template_edit", args=[event.code, code]),
                }
                for code, name in MESSAGE_LANGUAGES
            ]
            rows.append({"event": event, "cells": cells})
        groups.append({"audience": audience, "title": title, "rows": rows})
    return groups


@never_cache
@login_required
def message_templates(request):
    """Every event × language, saying whether the built-in text or the office's own applies."""
    office = user_office(request)
    if request.user.role != Role.ADMIN:
        return _refuse_templates(request)
    customised = set(MessageTemplate.objects.filter(office=office).values_list("event", "language"))
    context = {"groups": _event_groups(customised), "message_languages": MESSAGE_LANGUAGES}
    return render(request, "backoffice/notifications/templates.html", context)


def _preview(event: str, language: str, subject: str, body: str) -> dict:
    """Returns the texts filled in with the event's example values, as the recipient would read them."""
    rendered_subject, rendered_body = message_render.render_texts(
        subject, body, message_render.sample_context(event), language
    )
    return {"subject": rendered_subject, "body": rendered_body}


@never_cache
@login_required
def message_template_edit(request, event: str, language: str):
    """One event's text in one language: the placeholders it may use, and three submits: preview (nothing
    saved), save (refused with the problems when a text is wrong), and back to the built-in text."""
    office = user_office(request)
    if request.user.role != Role.ADMIN:
        return _refuse_templates(request)
    if event not in EVENTS or language not in LANGUAGES:
        raise Http404
    subject, body, customised = message_render.office_texts(office, event, language)
    form = MessageTemplateForm(request.POST or None, initial={"subject": subject, "body": body}, language=language)
    preview = None
    action = request.POST.get("aksi", "")
    if request.method == "POST" and action == "kembalikan":
        try:
            reset = template_reset(office=office, actor=request.user, event=event, language=language)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            what = _template_name(event, language)
            if reset:
                messages.success(request, _("%(what)s kembali memakai teks bawaan.") % {"what": what})
            else:
                messages.info(request, _("%(what)s sudah memakai teks bawaan.") % {"what": what})
        return redirect("backoffice:message_templates")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if action == "simpan":
            try:
                template_save(
                    office=office,
                    actor=request.user,
                    event=event,
                    language=language,
                    subject=data["subject"],
                    body=data["body"],
                )
            except InvalidFields as exc:
                for name, error in exc.errors.items():
                    form.add_error(name if name in form.fields else None, error)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                what = _template_name(event, language)
                messages.success(request, _("%(what)s tersimpan.") % {"what": what})
                return redirect("backoffice:message_templates")
        else:
            # Enter in the subject box submits the first button, the preview: nothing is saved unasked.
            problems = message_render.template_problems(event, data["subject"], data["body"])
            for name, error in problems.items():
                form.add_error(name, error)
            if not problems:
                preview = _preview(event, language, data["subject"], data["body"])
    spec = EVENTS[event]
    context = {
        "form": form,
        "event": spec,
        "language": language,
        "language_name": LANGUAGES[language],
        "customised": customised,
        "placeholders": [(name, PLACEHOLDERS[name][0]) for name in spec.placeholders],
        "preview": preview,
    }
    return render(request, "backoffice/notifications/template_edit.html", context)


def _template_name(event: str, language: str) -> str:
    return _("Teks “%(event)s” (%(language)s)") % {"event": event_label(event), "language": LANGUAGES[language]}
