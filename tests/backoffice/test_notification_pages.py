"""The notification pages of the back office: each staff member's inbox, the office's delivery records with
sending again and marking handled, the case page's messages, the menu's counts, and the administrators'
message templates. Another office's messages never show; refusals change nothing."""

from itertools import count

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from jangkau.audit.models import AuditEvent
from jangkau.core import clock
from jangkau.notifications.context_processors import NotificationCounts
from jangkau.notifications.events import EVENTS
from jangkau.notifications.models import Channel, Message, MessageTemplate, Status

from ..builders import submit

pytestmark = pytest.mark.django_db

INBOX = "/staf/pemberitahuan/"
DELIVERIES = "/staf/pesan/"
TEMPLATES = "/staf/pemberitahuan/templat/"
_keys = count()


def outgoing(world, *, case=None, status=Status.FAILED, phone="+6281100000001", **extra) -> Message:
    """A message to a requester by SMS with its delivery record, written as the worker leaves it."""
    fields = {
        "office": world.office,
        "case": case,
        "event": "received",
        "idempotency_key": f"test:{next(_keys)}",
        "channel": Channel.SMS,
        "address": phone,
        "address_masked": phone[:6] + "****" + phone[-4:],
        "subject": "Permohonan sudah kami terima",
        "body": "Isi pesan",
        "status": status,
        "attempts": 5 if status == Status.FAILED else 1,
        "last_error": "Gerbang SMS menjawab 503" if status == Status.FAILED else "",
        "created_at": clock.now(),
    }
    fields.update(extra)
    return Message.objects.create(**fields)


def inbox_of(user):
    return Message.objects.filter(recipient_user=user, channel=Channel.IN_APP)


# --- the inbox ------------------------------------------------------------------------------------------------


def test_the_inbox_lists_only_the_users_own_notifications_unread_in_words(client, world, other_world, frozen):
    """A new request notifies every ULT officer of its office; nobody else's inbox shows it."""
    case = submit(world)
    elsewhere = submit(other_world)
    assert inbox_of(world.ult).count() == 1

    client.force_login(world.ult)
    page = client.get(INBOX).content.decode()

    assert f"Permohonan baru {case.registration_number}" in page
    assert "Belum dibaca:" in page
    assert f'href="/staf/kasus/{case.registration_number}/"' in page
    # Registration numbers run per office: the other office's notification is told apart by its own id.
    theirs = inbox_of(other_world.ult).get(case=elsewhere)
    assert page.count("Belum dibaca:") == 1 and f"/{theirs.pk}/dibaca/" not in page
    assert "Pemberitahuan (1 belum dibaca)" in page
    # Times in office time: submitted at 08:00 Jakarta time.
    assert "08:00" in page

    client.force_login(world.ppid)
    page = client.get(INBOX).content.decode()
    assert "Belum ada pemberitahuan." in page and case.registration_number not in page


def test_marking_one_read_then_all(client, world, frozen):
    first, second = submit(world), submit(world)
    mine = {m.case_id: m for m in inbox_of(world.ult)}
    colleagues = inbox_of(world.ult2).get(case=first)
    client.force_login(world.ult)

    response = client.post(f"{INBOX}{mine[first.pk].pk}/dibaca/")

    assert response.status_code == 302
    mine[first.pk].refresh_from_db()
    mine[second.pk].refresh_from_db()
    colleagues.refresh_from_db()
    assert mine[first.pk].read_at is not None
    assert mine[second.pk].read_at is None and colleagues.read_at is None
    page = client.get(INBOX).content.decode()
    assert "ditandai sudah dibaca" in page
    assert page.count("Belum dibaca:") == 1 and "Pemberitahuan (1 belum dibaca)" in page

    client.post(f"{INBOX}dibaca/")
    assert not inbox_of(world.ult).filter(read_at__isnull=True).exists()
    assert inbox_of(world.ult2).filter(read_at__isnull=True).count() == 2
    page = client.get(INBOX).content.decode()
    assert "Belum dibaca:" not in page and "Tandai semua sudah dibaca" not in page


def test_another_users_notification_cannot_be_marked(client, world, frozen):
    submit(world)
    colleagues = inbox_of(world.ult2).get()
    client.force_login(world.ult)

    assert client.post(f"{INBOX}{colleagues.pk}/dibaca/").status_code == 404
    assert client.get(f"{INBOX}dibaca/").status_code == 405
    colleagues.refresh_from_db()
    assert colleagues.read_at is None


def test_the_inbox_pages_by_25(client, world, frozen):
    for _ in range(26):
        submit(world)
    client.force_login(world.ult)
    first = client.get(INBOX).content.decode()
    assert first.count("Belum dibaca:") == 25 and "Halaman 1 dari 2" in first and "?halaman=2" in first
    second = client.get(INBOX + "?halaman=2").content.decode()
    assert second.count("Belum dibaca:") == 1 and "Halaman sebelumnya" in second


# --- the menu's counts ----------------------------------------------------------------------------------------


def test_the_menu_counts_unread_notifications_and_failed_messages(client, world, other_world, frozen):
    submit(world)
    outgoing(world)
    outgoing(world, handled_at=clock.now(), handled_by=world.ult, handled_note="Ditelepon")
    outgoing(other_world)

    client.force_login(world.ult)
    page = client.get("/staf/").content.decode()
    assert "Pemberitahuan (1 belum dibaca)" in page
    assert "Pesan gagal (1 perlu tindakan)" in page

    client.force_login(world.ppid)
    page = client.get("/staf/").content.decode()
    assert ">Pemberitahuan</a>" in page and "Pesan gagal" not in page


def test_pages_for_the_public_never_count(client, world, frozen):
    """The counts are read only where the back office's menu is drawn, and only for staff with an office."""
    counts = NotificationCounts(RequestFactory().get("/"))
    counts._request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert (counts.unread, counts.failed, counts.may_work_deliveries) == (0, 0, False)
    assert not queries.captured_queries

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "notifications_message" in q["sql"]]


# --- the delivery records -------------------------------------------------------------------------------------


@pytest.fixture
def records(world, other_world, frozen):
    """A failed message waiting for an officer, a failed one handled, a sent one, and another office's."""
    case = submit(world)
    return {
        "case": case,
        "waiting": outgoing(world, case=case, phone="+6281100000001"),
        "handled": outgoing(
            world,
            case=case,
            phone="+6281100000002",
            handled_at=clock.now(),
            handled_by=world.head,
            handled_note="Pemohon ditelepon dan sudah tahu.",
        ),  # fmt: skip
        "sent": outgoing(world, case=case, status=Status.SENT, phone="+6281100000003", event="accepted"),
        "elsewhere": outgoing(other_world, case=submit(other_world), phone="+6281100000004"),
    }


def shown(page: str, records: dict) -> set[str]:
    return {name for name, message in records.items() if name != "case" and message.address_masked in page}


def test_the_delivery_records_need_action_by_default_and_filter(client, world, records):
    client.force_login(world.ult)
    page = client.get(DELIVERIES).content.decode()
    assert shown(page, records) == {"waiting"}
    assert "Gerbang SMS menjawab 503" in page and str(EVENTS["received"].label) in page
    assert f'href="/staf/kasus/{records["case"].registration_number}/"' in page
    assert "Kirim ulang" in page and f'href="{DELIVERIES}{records["waiting"].pk}/tangani/"' in page

    assert shown(client.get(DELIVERIES + "?tampil=failed").content.decode(), records) == {"waiting", "handled"}
    assert shown(client.get(DELIVERIES + "?tampil=sent").content.decode(), records) == {"sent"}
    every = client.get(DELIVERIES + "?tampil=semua").content.decode()
    assert shown(every, records) == {"waiting", "handled", "sent"}
    assert "Pemohon ditelepon dan sudah tahu." in every and str(world.head) in every
    # Something unknown shows what needs action, not an error.
    unknown = client.get(DELIVERIES + "?tampil=rusak")
    assert shown(unknown.content.decode(), records) == {"waiting"} and "Galat:" not in unknown.content.decode()


def test_the_delivery_records_of_one_case(client, world, records):
    other_case = submit(world)
    outgoing(world, case=other_case, phone="+6281100000009")
    client.force_login(world.head)
    page = client.get(DELIVERIES + f"?tampil=semua&kasus={records['case'].registration_number}").content.decode()
    assert shown(page, records) == {"waiting", "handled", "sent"} and "****0009" not in page
    assert client.get(DELIVERIES + "?kasus=JB-2025-999999").status_code == 404


def test_sending_again_and_its_audit_event(client, world, records):
    message = records["waiting"]
    client.force_login(world.ult)

    response = client.post(f"{DELIVERIES}{message.pk}/kirim-ulang/", {"tampil": "failed"})

    assert response.status_code == 302 and response["Location"] == DELIVERIES + "?tampil=failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 0)
    event = AuditEvent.objects.get(action="message.retry")
    assert (event.actor, event.case, event.changes["message"]) == (world.ult, records["case"], message.pk)
    page = client.get(response["Location"]).content.decode()
    assert "dikirim ulang" in page and 'role="status"' in page


def test_sending_again_a_message_that_did_not_fail_is_refused_and_changes_nothing(client, world, records):
    sent = records["sent"]
    client.force_login(world.ult)
    before = AuditEvent.objects.count()

    response = client.post(f"{DELIVERIES}{sent.pk}/kirim-ulang/", follow=True)

    assert "Hanya pesan yang gagal terkirim yang dapat dikirim ulang." in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (Status.SENT, 1)
    assert AuditEvent.objects.count() == before
    assert client.post(f"{DELIVERIES}{records['elsewhere'].pk}/kirim-ulang/").status_code == 404
    records["elsewhere"].refresh_from_db()
    assert records["elsewhere"].status == Status.FAILED


def test_marking_handled_with_a_note_and_its_audit_event(client, world, records):
    message = records["waiting"]
    client.force_login(world.ult)
    url = f"{DELIVERIES}{message.pk}/tangani/"
    page = client.get(url).content.decode()
    assert "Bagaimana pemohon dikabari?" in page and "Gerbang SMS menjawab 503" in page

    response = client.post(url, {"note": "Pemohon ditelepon Senin pukul 10.00."})

    assert response.status_code == 302 and response["Location"] == DELIVERIES
    message.refresh_from_db()
    assert (message.handled_by, message.handled_note) == (world.ult, "Pemohon ditelepon Senin pukul 10.00.")
    assert AuditEvent.objects.get(action="message.handled").changes["message"] == message.pk
    assert shown(client.get(DELIVERIES).content.decode(), records) == set()
    # Handled already: the page says so and offers no form.
    page = client.get(url).content.decode()
    assert "Pesan ini sudah ditangani." in page and 'name="note"' not in page


@pytest.mark.parametrize("note", ["", "   ", "x" * 1001])
def test_a_bad_handled_note_changes_nothing(client, world, records, note):
    message = records["waiting"]
    client.force_login(world.ult)
    before = AuditEvent.objects.count()

    response = client.post(f"{DELIVERIES}{message.pk}/tangani/", {"note": note})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Galat:" in page and "Ada masalah" in page and 'href="#id_note"' in page
    message.refresh_from_db()
    assert message.handled_at is None and message.handled_note == ""
    assert AuditEvent.objects.count() == before


def test_marking_handled_twice_is_refused(client, world, records):
    client.force_login(world.ult)
    response = client.post(f"{DELIVERIES}{records['handled'].pk}/tangani/", {"note": "Lagi"}, follow=True)
    assert "Pesan ini sudah ditangani." in response.content.decode()
    records["handled"].refresh_from_db()
    assert records["handled"].handled_note == "Pemohon ditelepon dan sudah tahu."


def test_a_ppid_member_does_not_work_the_delivery_records(client, world, records):
    message = records["waiting"]
    client.force_login(world.ppid)

    assert client.get(DELIVERIES).status_code == 403
    assert "Petugas ULT, Kepala, dan Administrator" in client.get(DELIVERIES).content.decode()
    assert client.post(f"{DELIVERIES}{message.pk}/kirim-ulang/").status_code == 403
    assert client.post(f"{DELIVERIES}{message.pk}/tangani/", {"note": "Ditelepon"}).status_code == 403
    message.refresh_from_db()
    assert (message.status, message.handled_at) == (Status.FAILED, None)


# --- the case page --------------------------------------------------------------------------------------------


def test_the_case_page_lists_the_cases_messages(client, world, records):
    case = records["case"]
    client.force_login(world.ult)
    page = client.get(f"/staf/kasus/{case.registration_number}/").content.decode()
    section = page.split("Pesan kepada pemohon", 1)[1].split("Permohonan</h2>", 1)[0]
    assert shown(section, records) == {"waiting", "handled", "sent"}
    assert "Gerbang SMS menjawab 503" in section and "sudah ditangani" in section
    assert f"/staf/pesan/?tampil=failed&amp;kasus={case.registration_number}" in section

    client.force_login(world.ppid)
    section = client.get(f"/staf/kasus/{case.registration_number}/").content.decode().split("Pesan kepada pemohon")[1]
    assert "/staf/pesan/" not in section


# --- the message templates ------------------------------------------------------------------------------------


def edit_url(event="new_request", language="id"):
    return f"{TEMPLATES}{event}/{language}/"


@pytest.mark.parametrize("role", ["ult", "ppid", "head"])
def test_only_administrators_edit_the_message_templates(client, world, role, frozen):
    client.force_login(getattr(world, role))
    assert client.get(TEMPLATES).status_code == 403
    response = client.post(edit_url(), {"subject": "X {{ nomor_registrasi }}", "body": "Y", "aksi": "simpan"})
    assert response.status_code == 403
    assert not MessageTemplate.objects.exists()


def test_the_template_list_says_built_in_or_changed_per_language(client, world, frozen):
    client.force_login(world.admin)
    page = client.get(TEMPLATES).content.decode()
    # One cell per event and language, each with its edit link; none changed yet.
    assert page.count('Ubah<span class="visually-hidden">') == 2 * len(EVENTS)
    assert "<strong>Diubah kantor</strong>" not in page
    assert "Pesan kepada pemohon" in page and "Pemberitahuan kepada petugas" in page
    assert f'href="{edit_url("received", "en")}"' in page
    assert client.get(edit_url("tidak_ada")).status_code == 404
    assert client.get(edit_url(language="fr")).status_code == 404


def test_the_edit_page_is_prefilled_and_a_preview_saves_nothing(client, world, frozen):
    client.force_login(world.admin)
    page = client.get(edit_url("received", "en")).content.decode()
    assert "<code>{{ kode_lacak }}</code></dt><dd>Kode lacak pribadi pemohon</dd>" in page
    assert 'name="subject" value="' in page and "{{ nomor_registrasi }}" in page
    assert page.count('lang="en"') >= 2  # the subject and body boxes hold English text

    response = client.post(
        edit_url("received", "en"),
        {"subject": "Request {{ nomor_registrasi }} received", "body": "Hello.\nCode: {{ kode_lacak }}", "aksi": ""},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Request JB-2026-000123 received" in page and "Code: K7MP3QX9TA" in page
    assert '<div class="case-message" lang="en">' in page
    assert not MessageTemplate.objects.exists()


def test_a_preview_with_an_unknown_placeholder_shows_the_problem(client, world, frozen):
    client.force_login(world.admin)
    response = client.post(edit_url(), {"subject": "Baru {{ nomor_tiket }}", "body": "Isi", "aksi": "pratinjau"})
    page = response.content.decode()
    assert "<title>Galat:" in page and "nomor_tiket" in page and 'href="#id_subject"' in page
    assert "Pratinjau</h2>" not in page


def test_saving_an_unknown_placeholder_is_refused_and_changes_nothing(client, world, frozen):
    client.force_login(world.admin)
    before = AuditEvent.objects.count()

    response = client.post(edit_url(), {"subject": "Baru", "body": "Lihat {{ tautan_lacak }}", "aksi": "simpan"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada masalah" in page and "Tempat isian tidak dikenal: tautan_lacak" in page
    assert 'href="#id_body"' in page
    assert not MessageTemplate.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_saved_text_is_used_by_the_next_message_and_reset_brings_the_built_in_back(client, world, frozen):
    client.force_login(world.admin)
    response = client.post(
        edit_url(),
        {
            "subject": "Ada permohonan {{ nomor_registrasi }}",
            "body": "Segera periksa.\r\n{{ tautan_kasus }}",
            "aksi": "simpan",
        },
    )

    assert response.status_code == 302 and response["Location"] == TEMPLATES
    template = MessageTemplate.objects.get(office=world.office, event="new_request", language="id")
    assert template.body.startswith("Segera periksa.\n")
    assert AuditEvent.objects.filter(action="message_template.save").count() == 1
    page = client.get(TEMPLATES).content.decode()
    assert "tersimpan" in page and page.count("<strong>Diubah kantor</strong>") == 1

    case = submit(world)
    message = inbox_of(world.ult).get(case=case)
    assert message.subject == f"Ada permohonan {case.registration_number}"
    assert message.body.startswith("Segera periksa.\n")

    page = client.get(edit_url()).content.decode()
    assert "Ada permohonan {{ nomor_registrasi }}" in page and "Kembalikan ke teks bawaan" in page
    response = client.post(edit_url(), {"aksi": "kembalikan"})
    assert response.status_code == 302
    assert not MessageTemplate.objects.exists()
    assert AuditEvent.objects.filter(action="message_template.reset").count() == 1
    assert "kembali memakai teks bawaan" in client.get(TEMPLATES).content.decode()
    later = submit(world)
    assert inbox_of(world.ult).get(case=later).subject == f"Permohonan baru {later.registration_number}"
