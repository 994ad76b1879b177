"""The back-office pages of POS steps 3 to 5 in Chromium: the case page with its internal thread, result
files, legal deadline, appointment team, delivery record, notices and holders; the new action forms in their
error states; the PPID inbox; and the day's schedule. axe-core checks every page state (the harness audits
each navigation); most are visited at 320 px too, where nothing may scroll sideways."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from jangkau.cases import services as svc
from jangkau.cases.documents import document_store_draft
from jangkau.cases.models import CaseDocument, CaseNote, Status
from tests.builders import case_in, make_public_information, make_world, perform

from .test_case_flow import sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(transactional_db):
    # Not frozen: the live server reads the real clock.
    return make_world()


def case_url(case, suffix=""):
    return f"/staf/kasus/{case.registration_number}/{suffix}"


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def heading(page):
    return page.get_by_role("heading", level=1)


def public_case(world, status=Status.ACCEPTED):
    case = case_in(status, world)
    make_public_information(case, world)
    case.refresh_from_db()
    return case


def everything_recorded(world):
    """A public-information request taken to delivery with every record of steps 3 to 5: notes, an extended
    deadline, result files, an appointment with a team, a cancelled one, the delivery with cost and proof,
    and a reassignment."""
    case = public_case(world)
    svc.case_forward_to_ppid(case=case, actor=world.ult, ppid_member=world.ppid, note="Mohon rekap mutu SD")
    svc.case_add_note(case=case, actor=world.ppid, body="Data 2024 ada.\nData 2023 menyusul.")
    svc.case_add_note(case=case, actor=world.ult, body="Terima kasih, pemohon butuh huruf besar.")
    svc.case_extend_information_deadline(
        case=case, actor=world.ppid, days=3, reason="Data tersebar", notice="Jawaban kami kirim 3 hari kerja lagi."
    )
    tokens = [
        document_store_draft(kind=CaseDocument.Kind.RESULT, field="files", filename=name, content=content).draft_token
        for name, content in (("rekap.pdf", PDF), ("nilai.csv", b"sekolah;nilai\nSD 01;82\n"))
    ]
    svc.case_record_result(case=case, actor=world.ppid, summary="Rekap data mutu SD 2024", document_tokens=tokens)
    perform("schedule", case, world)
    perform("cancel_appointment", case, world)
    svc.case_schedule(
        case=case,
        actor=world.ult,
        starts_at=datetime.now(ZoneInfo("Asia/Jakarta")) + timedelta(days=2),
        mode="visit",
        place="Balai RW 02",
        officers=[world.ult, world.ppid],
        accommodations=["sign_language", "large_print"],
    )
    svc.case_reassign(case=case, actor=world.head, to=world.ult2, reason="Petugas cuti")
    proof = document_store_draft(
        kind=CaseDocument.Kind.DELIVERY_PROOF, field="proof", filename="tanda-terima.pdf", content=PDF
    )
    svc.case_deliver(
        case=case,
        actor=world.ult2,
        notes="Rekap diserahkan",
        documents_handed_over="1 rekap cetak huruf besar",
        office_cost=25000,
        office_cost_note="Transportasi",
        proof_token=proof.draft_token,
    )
    return case


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
def test_the_case_page_with_every_step_3_to_5_record_is_axe_clean(new_page, axe, world, viewport):
    case = everything_recorded(world)
    page = new_page(**({"viewport": viewport} if viewport else {}))
    sign_in(page, world.ult2)

    page.goto(case_url(case))

    main = page.get_by_role("main")
    for shown in (
        "Tenggat informasi publik",
        "Catatan internal",
        "Data 2023 menyusul.",
        "Unduh nilai.csv",
        "Juru bahasa isyarat",
        "Penyerahan layanan",
        "Rp25.000",
        "Pemberitahuan perpanjangan waktu",
        "Pembatalan jadwal layanan",
        "Pemegang kasus",
        "Alasan: Petugas cuti",
    ):
        expect(main).to_contain_text(shown)
    page.get_by_text("Cara menghitung tenggat informasi publik").click()
    expect(page.locator("details.case-due").first).to_have_attribute("open", "")
    axe.check(page)
    if viewport:
        no_sideways_scroll(page)
    axe.assert_no_violations()


@pytest.mark.parametrize(
    ("make", "who", "slug", "messages"),
    [
        (lambda w: case_in(Status.WITH_PPID, w), "ppid", "catatan", ["Tuliskan isi catatan"]),
        (
            public_case,
            "ult",
            "perpanjang-tenggat",
            ["Tuliskan lama perpanjangan", "Tuliskan alasan perpanjangan", "Tuliskan pemberitahuan untuk pemohon"],
        ),
        (
            lambda w: case_in(Status.SCHEDULED, w),
            "ult",
            "batalkan-jadwal",
            ["Tuliskan alasan pembatalan jadwal", "Tuliskan pemberitahuan untuk pemohon"],
        ),
    ],
    ids=["catatan", "perpanjang-tenggat", "batalkan-jadwal"],
)
def test_each_new_form_sent_empty_at_320px(new_page, axe, world, make, who, slug, messages):
    """The error summary takes the focus and links to the fields; nothing changes; nothing scrolls sideways."""
    case = make(world)
    status = case.status
    page = new_page(viewport=NARROW)
    sign_in(page, getattr(world, who))

    page.goto(case_url(case, f"{slug}/"))
    expect(heading(page)).to_be_visible()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_title(re.compile(r"^Galat: "))
    expect(page.locator(".error-summary")).to_be_focused()
    for message in messages:
        expect(page.locator(".error-summary")).to_contain_text(message)
    no_sideways_scroll(page)
    axe.assert_no_violations()
    case.refresh_from_db()
    assert case.status == status
    assert not CaseNote.objects.exists()


def test_a_refused_result_file_and_a_refused_proof_show_beside_their_fields(new_page, axe, world, tmp_path):
    """A text file passed off as a PDF: the result form and the delivery form come back with the reason by
    the file field (which the summary links to), and nothing is recorded."""
    fake = tmp_path / "bukan.pdf"
    fake.write_text("ini bukan PDF", encoding="utf-8")
    with_ppid = case_in(Status.WITH_PPID, world)
    scheduled = case_in(Status.SCHEDULED, world)
    page = new_page(viewport=NARROW)

    sign_in(page, world.ppid)
    page.goto(case_url(with_ppid, "catat-hasil/"))
    page.get_by_label("Hasil layanan apa yang sudah disiapkan?").fill("Rekap")
    page.locator("#id_files").set_input_files(fake)
    page.get_by_role("button", name="Simpan hasil layanan").click()
    expect(page.locator("#id_files-error")).to_contain_text("bukan.pdf: Berkas harus PDF, JPG, PNG, XLSX, atau CSV.")
    expect(page.locator(".error-summary a[href='#id_files']")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("button", name="Keluar").click()

    sign_in(page, world.ult)
    page.goto(case_url(scheduled, "serahkan/"))
    page.get_by_label("Layanan apa yang diberikan?").fill("Diserahkan")
    page.locator("#id_office_cost").fill("-1")
    page.locator("#id_proof").set_input_files(fake)
    page.get_by_role("button", name="Simpan, layanan sudah diberikan").click()
    expect(page.locator("#id_office_cost-error")).to_contain_text("Biaya tidak boleh kurang dari 0")
    no_sideways_scroll(page)
    axe.assert_no_violations()
    with_ppid.refresh_from_db()
    scheduled.refresh_from_db()
    assert (with_ppid.status, scheduled.status) == (Status.WITH_PPID, Status.SCHEDULED)
    assert not CaseDocument.objects.exists()


def test_the_schedule_and_team_forms_are_axe_clean_at_320px(new_page, axe, world):
    """The scheduling and delivery forms with their new questions (team, accommodations, mode, cost, proof),
    as shown."""
    ready = case_in(Status.READY_TO_SCHEDULE, world)
    scheduled = case_in(Status.SCHEDULED, world)
    page = new_page(viewport=NARROW)
    sign_in(page, world.ult)

    for case, slug, group in (
        (ready, "jadwalkan/", "Petugas yang memberikan layanan"),
        (scheduled, "jadwal-ulang/", "Akomodasi yang disiapkan"),
        (scheduled, "serahkan/", "Bagaimana layanan diberikan?"),
    ):
        page.goto(case_url(case, slug))
        expect(page.get_by_role("group", name=re.compile(re.escape(group)))).to_be_visible()
        no_sideways_scroll(page)
    axe.assert_no_violations()
    assert len([url for url in axe.checked if "/staf/kasus/" in url]) >= 3


def test_the_thread_works_without_javascript(new_page, axe, world):
    case = case_in(Status.WITH_PPID, world)
    page = new_page(java_script_enabled=False)
    sign_in(page, world.ppid)

    page.goto(case_url(case))
    page.get_by_label("Catatan untuk Petugas ULT dan Tim PPID").fill("Tanpa JavaScript pun terkirim.")
    page.get_by_role("button", name="Kirim catatan").click()

    expect(page).to_have_url(re.compile(r"#catatan$"))
    expect(page.get_by_role("status").filter(has_text="Catatan internal")).to_be_visible()
    expect(page.locator("ol.case-thread")).to_contain_text("Tanpa JavaScript pun terkirim.")
    assert CaseNote.objects.get().author == world.ppid
    axe.assert_no_violations()


# --- the queue: the PPID inbox and the legal deadline -----------------------------------------------------------


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
def test_the_ppid_inbox_with_rows_and_empty_is_axe_clean(new_page, axe, world, viewport):
    forwarded = public_case(world)
    svc.case_forward_to_ppid(case=forwarded, actor=world.ult, ppid_member=world.ppid, note="Mohon rekap mutu SD")
    page = new_page(**({"viewport": viewport} if viewport else {}))
    sign_in(page, world.ppid)

    page.goto("/staf/kasus/")
    tabs = page.get_by_role("navigation", name="Tampilan antrean")
    expect(tabs.get_by_role("link", name="Kotak masuk PPID")).to_have_attribute("aria-current", "page")
    row = page.get_by_role("row").filter(has_text=forwarded.registration_number)
    expect(row).to_contain_text("Mohon rekap mutu SD")
    expect(row).to_contain_text("Tenggat informasi publik")
    if viewport:
        no_sideways_scroll(page)

    svc.case_record_result(case=forwarded, actor=world.ppid, summary="Rekap")
    page.goto("/staf/kasus/?tampilan=kotak-ppid")
    expect(page.get_by_role("main")).to_contain_text("Tidak ada kasus yang menunggu Anda.")
    axe.assert_no_violations()


# --- the schedule of a day ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["wide", "320px"])
def test_the_days_schedule_with_rows_empty_and_a_bad_date_is_axe_clean(new_page, axe, world, viewport):
    """With appointments, an empty day reached by the "next day" link, and a bad date typed (the error
    summary takes the focus); the date form is reached with the keyboard."""
    case = case_in(Status.READY_TO_SCHEDULE, world)
    starts_at = (datetime.now(ZoneInfo("Asia/Jakarta")) + timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    svc.case_schedule(case=case, actor=world.ult, starts_at=starts_at, mode="visit", officers=[world.ult, world.ppid])
    page = new_page(**({"viewport": viewport} if viewport else {}))
    sign_in(page, world.ult)

    page.goto(f"/staf/jadwal/?tanggal={starts_at.date().isoformat()}")
    row = page.get_by_role("row").filter(has_text=case.registration_number)
    expect(row).to_contain_text("10:00")
    expect(row.get_by_role("link", name=re.compile(r"Unduh \.ics"))).to_be_visible()
    if viewport:
        no_sideways_scroll(page)

    page.get_by_role("link", name="Hari berikutnya").click()
    expect(page.get_by_role("main")).to_contain_text("Tidak ada jadwal layanan pada tanggal ini.")

    page.get_by_label(re.compile("Jadwal tanggal berapa")).fill("31/02/2025")
    page.get_by_label(re.compile("Jadwal tanggal berapa")).press("Enter")
    expect(page).to_have_title(re.compile(r"^Galat: "))
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan tanggal seperti 15/12/2026")
    if viewport:
        no_sideways_scroll(page)
    axe.assert_no_violations()
    assert sum("/staf/jadwal/" in url for url in axe.checked) >= 3
