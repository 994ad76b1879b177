"""The case page's step 3: the internal thread, PPID's result with its files and their download, the PPID
inbox, and the legal deadline of public-information requests with its one extension."""

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats
from PIL import Image

from jangkau.audit.models import AuditEvent
from jangkau.cases import services as svc
from jangkau.cases.documents import document_store_draft
from jangkau.cases.models import CaseDocument, CaseNote, RequesterNotice, Status
from jangkau.core import clock
from tests.backoffice.test_case_steps import events_of, take, url
from tests.builders import case_in, make_public_information, make_staff, perform, submit

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSV = b"sekolah;nilai\nSD Negeri 01;82\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def section(page: str, anchor: str) -> str:
    """Returns the case page's section whose heading has ``id=anchor``, up to the next heading of its rank."""
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start)
    return page[start : end if end != -1 else len(page)]


def orphan_drafts() -> int:
    return CaseDocument.objects.filter(case__isnull=True).count()


# --- the internal thread -------------------------------------------------------------------------------------


def test_an_officer_writes_in_the_thread_and_lands_on_it(client, world, frozen):
    """The note is kept with its author, one audit event is written, the officer goes back to the thread
    (the success message shown there), and the page shows the author's name, the time and the lines."""
    case = case_in(Status.WITH_PPID, world)
    world.ult.first_name, world.ult.last_name = "Sari", "Wulandari"
    world.ult.save()
    client.force_login(world.ult)
    count = len(events_of(case))

    response = take(client, case, "catatan", {"body": "Data 2024 sudah ada?\nMohon dicetak huruf besar."})

    assert response.status_code == 302 and response["Location"] == url(case) + "#catatan"
    note = CaseNote.objects.get(case=case)
    assert (note.author, note.body) == (world.ult, "Data 2024 sudah ada?\nMohon dicetak huruf besar.")
    assert events_of(case)[count:] == ["case.add_note"]
    page = client.get(url(case)).content.decode()
    thread = section(page, "catatan")
    assert "Catatan internal untuk" in thread  # the success message, inside the thread's section
    assert "Sari Wulandari" in thread
    assert "Data 2024 sudah ada?<br>Mohon dicetak huruf besar." in thread
    assert "Senin, 6 Januari 2025 08:00" in thread


def test_ppid_and_the_head_may_write_on_a_case_a_ult_colleague_holds(client, world, frozen):
    """Anyone of the office writes in the thread, whoever holds the case; the form shows to them all."""
    case = case_in(Status.WITH_PPID, world)

    for author in (world.ppid, world.head, world.ult2):
        client.force_login(author)
        assert 'action="' + url(case, "catatan/") + '"' in client.get(url(case)).content.decode()
        assert take(client, case, "catatan", {"body": f"Dari {author.username}"}).status_code == 302

    assert list(CaseNote.objects.filter(case=case).values_list("author__username", flat=True)) == [
        world.ppid.username,
        world.head.username,
        world.ult2.username,
    ]


def test_an_empty_note_comes_back_with_the_error_and_nothing_is_written(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    client.force_login(world.ppid)
    count = len(events_of(case))

    response = take(client, case, "catatan", {"body": "   "})

    page = response.content.decode()
    assert response.status_code == 200 and "<title>Galat: " in page
    assert page.count("Tuliskan isi catatan") >= 2
    assert not CaseNote.objects.exists()
    assert len(events_of(case)) == count


def test_no_thread_form_on_an_ended_case_and_a_post_is_refused(client, world, frozen):
    case = case_in(Status.REJECTED, world)
    client.force_login(world.ult)

    assert url(case, "catatan/") not in client.get(url(case)).content.decode()
    response = take(client, case, "catatan", {"body": "Masih bisa?"})

    assert response.status_code == 302 and response["Location"] == url(case)
    assert not CaseNote.objects.exists()


def test_another_offices_staff_cannot_read_or_write_the_thread(client, world, other_world, frozen):
    case = case_in(Status.WITH_PPID, world)
    svc.case_add_note(case=case, actor=world.ppid, body="Rahasia kantor")
    client.force_login(other_world.ult)

    assert client.get(url(case)).status_code == 404
    assert client.get(url(case, "catatan/")).status_code == 404
    assert take(client, case, "catatan", {"body": "Halo"}).status_code == 404
    assert CaseNote.objects.count() == 1


def test_the_note_is_not_in_the_requesters_tracking_page(client, world, frozen):
    """The thread is internal: the requester's own view of the case never carries it."""
    case = case_in(Status.WITH_PPID, world)
    svc.case_add_note(case=case, actor=world.ppid, body="Catatan internal khusus petugas")
    opened = client.post("/lacak/", {"nomor": case.registration_number, "kode": case.tracking_code}, follow=True)

    page = opened.content.decode()
    assert case.registration_number in page  # the requester's own page did open
    assert "Catatan internal khusus petugas" not in page


# --- the result with its files ------------------------------------------------------------------------------


def test_ppid_records_the_result_with_several_files_and_staff_download_them(client, world, other_world, frozen):
    """A PDF, a PNG and a CSV are attached as result documents; the page lists them with a link each; the
    download is the file as an attachment; another office gets 404."""
    case = case_in(Status.WITH_PPID, world)
    client.force_login(world.ppid)
    count = len(events_of(case))

    response = take(
        client,
        case,
        "catat-hasil",
        {
            "summary": "Rekap data mutu SD 2024",
            "files": [upload("rekap.pdf", PDF), upload("foto.png", png_bytes()), upload("nilai.csv", CSV)],
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.READY_TO_SCHEDULE
    assert events_of(case)[count:] == ["case.record_result"]
    results = {d.filename: d for d in case.documents.filter(kind=CaseDocument.Kind.RESULT)}
    assert set(results) == {"rekap.pdf", "foto.png", "nilai.csv"}
    assert orphan_drafts() == 0

    client.force_login(world.ult)
    page = client.get(url(case)).content.decode()
    for name, document in results.items():
        assert f'href="{url(case, f"hasil/{document.pk}/")}"' in page
        assert f"Unduh {name}" in page
    download = client.get(url(case, f"hasil/{results['nilai.csv'].pk}/"))
    assert download.status_code == 200 and download.content == CSV
    assert download["Content-Disposition"].startswith("attachment") and "nilai.csv" in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]

    client.force_login(other_world.ppid)
    assert client.get(url(case, f"hasil/{results['rekap.pdf'].pk}/")).status_code == 404


def test_the_result_download_serves_no_other_kind_of_file(client, world, frozen):
    """The requester's own documents open only through the logged personal-data view, never this link."""
    draft = document_store_draft(
        kind=CaseDocument.Kind.POWER_OF_ATTORNEY, field="power_of_attorney", filename="kuasa.pdf", content=PDF
    )
    case = svc.case_submit(office=world.office, data=_intake(world), document_tokens=[draft.draft_token])
    other = submit(world)
    client.force_login(world.ult)

    assert client.get(url(case, f"hasil/{case.documents.get().pk}/")).status_code == 404
    assert client.get(url(other, f"hasil/{case.documents.get().pk}/")).status_code == 404


def _intake(world):
    from tests.builders import intake_data

    return intake_data(world)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("catatan.txt", b"halo apa kabar")], "catatan.txt: Berkas harus PDF, JPG, PNG, XLSX, atau CSV."),
        ([upload("rekap.pdf", PDF), upload("palsu.pdf", b"%PDF-1.4 rusak")], "palsu.pdf: Berkas harus PDF"),
        ([upload("kosong.pdf", b"")], "Berkas kosong"),
        ([upload(f"b{i}.pdf", PDF) for i in range(11)], "Pilih paling banyak 10 berkas sekaligus."),
    ],
)
def test_a_refused_file_shows_beside_the_field_and_nothing_is_recorded(client, world, frozen, files, message):
    """The form comes back with the message by the file field; the status, the documents and the audit trail
    are unchanged, and no draft is left behind (also of a good file sent with a bad one)."""
    case = case_in(Status.WITH_PPID, world)
    client.force_login(world.ppid)
    count = len(events_of(case))

    response = take(client, case, "catat-hasil", {"summary": "Rekap", "files": files})

    page = response.content.decode()
    assert response.status_code == 200 and "<title>Galat: " in page
    assert 'id="id_files-error"' in page and message in page
    case.refresh_from_db()
    assert case.status == Status.WITH_PPID
    assert not case.documents.exists() and orphan_drafts() == 0
    assert len(events_of(case)) == count


def test_the_result_form_takes_several_files_and_says_which_kinds(client, world, frozen):
    case = case_in(Status.WITH_PPID, world)
    client.force_login(world.ppid)

    page = client.get(url(case, "catat-hasil/")).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="files"' in page and "multiple" in page
    assert "Berkas hasil layanan (opsional)" in page
    assert "PDF, JPG, PNG, XLSX, atau CSV" in page


def test_a_ppid_colleague_cannot_record_the_result_and_leaves_no_file(client, world, frozen):
    """The case was forwarded to another PPID member: the refusal says who holds it; no file is kept."""
    case = case_in(Status.WITH_PPID, world)
    colleague = make_staff(world.office, "ppid_member", "ppid-lain")
    client.force_login(colleague)

    response = take(client, case, "catat-hasil", {"summary": "Rekap", "files": [upload("rekap.pdf", PDF)]})

    assert response.status_code == 302
    assert "dipegang" in client.get(url(case)).content.decode()
    case.refresh_from_db()
    assert case.status == Status.WITH_PPID
    assert not CaseDocument.objects.exists()


# --- the PPID inbox -----------------------------------------------------------------------------------------


def test_a_ppid_members_queue_opens_on_their_inbox_with_the_forwarding_notes(client, world, frozen):
    """Cases forwarded to them and still with PPID, each with the note it was forwarded with; not a
    colleague's, not one whose result is recorded."""
    mine = case_in(Status.ACCEPTED, world)
    svc.case_forward_to_ppid(case=mine, actor=world.ult, ppid_member=world.ppid, note="Mohon rekap mutu SD 01")
    colleague = make_staff(world.office, "ppid_member", "ppid-lain")
    theirs = case_in(Status.ACCEPTED, world)
    svc.case_forward_to_ppid(case=theirs, actor=world.ult, ppid_member=colleague, note="Untuk rekan")
    done = case_in(Status.READY_TO_SCHEDULE, world)
    client.force_login(world.ppid)

    page = client.get("/staf/kasus/").content.decode()

    assert '<a href="/staf/kasus/" aria-current="page">Kotak masuk PPID</a>' in page
    assert '<a href="/staf/kasus/?tampilan=semua">Semua</a>' in page
    assert mine.registration_number in page and "Mohon rekap mutu SD 01" in page
    assert theirs.registration_number not in page and "Untuk rekan" not in page
    assert done.registration_number not in page
    assert "Catatan dari Petugas ULT" in page

    everything = client.get("/staf/kasus/", {"tampilan": "semua"}).content.decode()
    assert theirs.registration_number in everything and done.registration_number in everything
    assert "Catatan dari Petugas ULT" not in everything


def test_the_inbox_shows_the_latest_forwarding_note(client, world, frozen):
    """A case can reach PPID twice (the head moves it to another member, who is forwarded it again): the
    latest note is the one shown."""
    case = case_in(Status.ACCEPTED, world)
    svc.case_forward_to_ppid(case=case, actor=world.ult, ppid_member=world.ppid, note="Catatan pertama")
    event = AuditEvent.objects.get(case=case, action="case.forward_to_ppid")
    # A second forwarding event, as the trail would hold it; its note wins.
    from jangkau.audit.services import audit_record

    audit_record(
        action="case.forward_to_ppid",
        actor=world.ult,
        case=case,
        changes={**event.changes, "note": "Catatan kedua, lebih baru"},
    )
    client.force_login(world.ppid)

    page = client.get("/staf/kasus/", {"tampilan": "kotak-ppid"}).content.decode()

    assert "Catatan kedua, lebih baru" in page and "Catatan pertama" not in page


def test_the_inbox_when_empty_says_so_and_is_not_offered_to_ult(client, world, frozen):
    case_in(Status.WITH_PPID, world)  # forwarded to world.ppid
    colleague = make_staff(world.office, "ppid_member", "ppid-kosong")
    client.force_login(colleague)
    assert "Tidak ada kasus yang menunggu Anda." in client.get("/staf/kasus/").content.decode()

    client.force_login(world.ult)
    page = client.get("/staf/kasus/", {"tampilan": "kotak-ppid"}).content.decode()
    assert "Kotak masuk PPID" not in page
    assert '<a href="/staf/kasus/" aria-current="page">Semua</a>' in page


# --- the legal deadline of a public-information request -----------------------------------------------------


def public_case(world, status=Status.ACCEPTED):
    case = case_in(status, world)
    make_public_information(case, world)
    case.refresh_from_db()
    return case


def test_the_case_page_shows_the_legal_deadline_and_how_it_was_computed(client, world, frozen):
    """Received Monday 6 January 2025 08:00: ten working days later is Monday 20 January, at closing time."""
    case = public_case(world)
    client.force_login(world.ult)

    page = client.get(url(case)).content.decode()

    legal = section(page, "tenggat-informasi")
    assert "Senin, 20 Januari 2025 16:00" in legal
    assert "Sisa 11 hari kerja" in legal  # today counts: the office is open until 16:00
    assert "Belum diperpanjang" in legal
    assert "UU 14/2008 pasal 22" in legal  # the explanation's first line
    assert url(case, "perpanjang-tenggat/") in page


def test_no_legal_deadline_for_other_services(client, world, frozen):
    case = case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    page = client.get(url(case)).content.decode()

    assert 'id="tenggat-informasi"' not in page
    assert url(case, "perpanjang-tenggat/") not in page
    response = client.get(url(case, "perpanjang-tenggat/"))
    assert response.status_code == 302 and response["Location"] == url(case)


def test_a_late_and_a_met_deadline_are_said_so(client, world, frozen):
    late = public_case(world)
    met = public_case(world, Status.SCHEDULED)
    perform("deliver", met, world)
    clock.advance(timedelta(days=16))  # past Monday 20 January 16:00
    client.force_login(world.ult)

    late_page = client.get(url(late)).content.decode()
    met_page = client.get(url(met)).content.decode()

    assert '<strong class="queue-table__late">Terlambat ' in late_page
    assert "Dijawab tepat waktu, 6 Jan 2025 08:00" in met_page


def test_extending_the_deadline_records_it_and_sends_the_notice(client, world, frozen):
    case = public_case(world)
    client.force_login(world.ult)
    form = client.get(url(case, "perpanjang-tenggat/")).content.decode()
    assert "halaman lacak" in form  # the notice's hint says where the requester reads it
    assert "Senin, 20 Januari 2025 16:00" in form  # the deadline being extended
    count = len(events_of(case))

    response = take(
        client,
        case,
        "perpanjang-tenggat",
        {"days": "5", "reason": "Data tersebar di tiga unit", "notice": "Jawaban kami kirim paling lambat 27 Januari."},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.information_extension_days, case.information_extension_reason) == (5, "Data tersebar di tiga unit")
    assert events_of(case)[count:] == ["case.extend_information_deadline"]
    notice = RequesterNotice.objects.get(case=case)
    assert notice.kind == RequesterNotice.Kind.INFORMATION_EXTENSION and notice.sent_by == world.ult
    page = client.get(url(case)).content.decode()
    due = formats.date_format(case.information_due_at.astimezone(JAKARTA), "l, j F Y H:i")
    assert due in section(page, "tenggat-informasi")
    assert "5 hari kerja, dicatat Senin, 6 Januari 2025 08:00" in page
    assert "Data tersebar di tiga unit" in page
    notices = section(page, "pemberitahuan")
    assert "Pemberitahuan perpanjangan waktu" in notices and "paling lambat 27 Januari" in notices
    # Once only: the button is gone.
    assert url(case, "perpanjang-tenggat/") not in page


@pytest.mark.parametrize(
    ("answers", "messages"),
    [
        ({"days": "0", "reason": "x", "notice": "y"}, ["Perpanjangan 1 sampai 7 hari kerja"]),
        ({"days": "8", "reason": "x", "notice": "y"}, ["Perpanjangan 1 sampai 7 hari kerja"]),
        ({"days": "lima", "reason": "x", "notice": "y"}, ["Tuliskan lama perpanjangan sebagai angka"]),
        ({"days": "3", "reason": "Data tersebar"}, ["Tuliskan pemberitahuan untuk pemohon"]),
        (
            {},
            [
                "Tuliskan lama perpanjangan dalam hari kerja",
                "Tuliskan alasan perpanjangan",
                "Tuliskan pemberitahuan untuk pemohon",
            ],
        ),
    ],
)
def test_a_bad_extension_comes_back_beside_its_fields(client, world, frozen, answers, messages):
    case = public_case(world)
    client.force_login(world.ult)
    count = len(events_of(case))

    response = take(client, case, "perpanjang-tenggat", answers)

    page = response.content.decode()
    assert response.status_code == 200 and "<title>Galat: " in page
    for message in messages:
        assert page.count(message) >= 2
    case.refresh_from_db()
    assert case.information_extension_days is None
    assert not RequesterNotice.objects.exists()
    assert len(events_of(case)) == count


def test_an_extension_after_the_deadline_is_refused_plainly(client, world, frozen):
    case = public_case(world)
    clock.advance(timedelta(days=16))
    client.force_login(world.ult)

    response = take(client, case, "perpanjang-tenggat", {"days": "3", "reason": "x", "notice": "y"})

    assert response.status_code == 302
    assert "Tenggat sudah lewat" in client.get(url(case)).content.decode()
    case.refresh_from_db()
    assert case.information_extension_days is None


def test_the_queue_row_shows_the_legal_deadline(client, world, frozen):
    case = public_case(world)
    plain = case_in(Status.ACCEPTED, world)
    client.force_login(world.ult)

    page = client.get("/staf/kasus/").content.decode()

    row = page[page.index(f'<a href="/staf/kasus/{case.registration_number}/">') :]
    row = row[: row.index("</tr>")]
    assert "Tenggat informasi publik: 20 Jan 2025 16:00" in row and "Sisa 11 hari kerja" in row
    plain_row = page[page.index(f'<a href="/staf/kasus/{plain.registration_number}/">') :]
    assert "Tenggat informasi publik" not in plain_row[: plain_row.index("</tr>")]
