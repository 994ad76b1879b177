"""The queue page /staf/kasus/: queue order with the reason for each position, the work views, search by
registration number, name, phone and NIK, office scoping, and a query count that does not grow with the queue."""

import re
from datetime import timedelta

import pytest

from jangkau.cases import services as svc
from jangkau.cases.models import Status
from jangkau.core import clock
from tests.builders import VALID_NIK, case_in, perform, submit

pytestmark = pytest.mark.django_db

URL = "/staf/kasus/"
OTHER_NIK = "3171011203850002"


def page_of(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def order_in(page: str, *numbers: str) -> list[str]:
    """Returns the given registration numbers in the order the page's table rows show them."""
    found = re.findall(r'<th scope="row"><a href="/staf/kasus/([^/"]+)/">', page)
    return [number for number in found if number in numbers]


def row_of(page: str, number: str) -> str:
    start = page.index(f'<a href="/staf/kasus/{number}/">')
    return page[start : page.index("</tr>", start)]


def test_login_is_required(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/staf/masuk/")


def test_the_queue_follows_the_rule_and_shows_each_reason(client, world, frozen):
    """Given cases with different deadlines, submission times and an urgent flag, the page lists them in queue
    order and each row says why it stands there."""
    # Submitted first (08:00) but accepted at 08:02: step 3 (10 min) is due at 08:12.
    early = submit(world, full_name="Ani Early")
    clock.advance(timedelta(minutes=2))
    perform("accept", early, world)
    # Submitted at 08:03: step 2 (5 min) is due at 08:08, before the earlier case's deadline.
    clock.advance(timedelta(minutes=1))
    near = submit(world, full_name="Budi Near")
    # Submitted last (08:04), due 08:09, but urgent: it leads.
    clock.advance(timedelta(minutes=1))
    urgent = submit(world, full_name="Citra Urgent", urgent=True, urgent_reason="Pendaftaran sekolah besok")
    # Waiting for the requester: no running deadline, so it goes last although submitted at 08:04.
    waiting = case_in(Status.AWAITING_INFO, world, full_name="Dedi Waiting")
    numbers = [c.registration_number for c in (early, near, urgent, waiting)]

    page = page_of(client, world.ult)

    assert order_in(page, *numbers) == [
        urgent.registration_number,
        near.registration_number,
        early.registration_number,
        waiting.registration_number,
    ]
    assert "Mendesak: didahulukan dari kasus biasa" in row_of(page, urgent.registration_number)
    assert "Alasan mendesak: Pendaftaran sekolah besok." in row_of(page, urgent.registration_number)
    assert "Batas waktu terdekat: 6 Jan 2025 08:08." in row_of(page, near.registration_number)
    assert "Batas waktu terdekat: 6 Jan 2025 08:12." in row_of(page, early.registration_number)
    assert (
        "Tanpa batas waktu berjalan (menunggu pemohon melengkapi data) — diurutkan menurut waktu pengajuan"
        in row_of(page, waiting.registration_number)
    )


def test_a_row_shows_labels_step_and_sla_state_but_never_phone_or_nik(client, world, frozen):
    case = submit(world)
    clock.advance(timedelta(minutes=7))

    page = page_of(client, world.ult)

    row = row_of(page, case.registration_number)
    assert "Siti Aminah" in row
    assert "Penyandang disabilitas fisik" in row and "Lanjut usia (60 tahun ke atas)" in row
    assert "Akses kursi roda" in row
    assert "Data dan informasi mutu" in row
    assert re.search(r"Langkah 2: \S", row)
    assert "Terlambat 2 menit waktu kerja (batas 6 Jan 2025 08:05)" in row
    assert VALID_NIK not in page and "3171" not in row
    assert "81234567890" not in page and "7890" not in row
    assert "Jl. Kenanga" not in page


def test_the_table_has_a_caption_scoped_headers_and_a_labelled_scroll_region(client, world, frozen):
    submit(world)

    page = page_of(client, world.ult)

    assert 'role="region" aria-labelledby="antrean-judul" tabindex="0"' in page
    assert '<caption id="antrean-judul">' in page
    assert page.count('<th scope="col"') == 9
    assert '<label class="label" for="id_q">' in page
    assert re.search(r'<form class="queue-search" method="get"', page)


def test_the_current_view_tab_is_marked_and_the_breaches_page_is_linked(client, world):
    page = page_of(client, world.ult, tampilan="ppid")

    assert re.search(r'<a href="/staf/kasus/\?tampilan=ppid" aria-current="page">Menunggu Tim PPID</a>', page)
    assert '<a href="/staf/kasus/">Semua</a>' in page
    assert '<a href="/staf/pelanggaran-waktu/">Pelanggaran waktu</a>' in page


def test_an_unknown_view_shows_the_whole_queue(client, world):
    page = page_of(client, world.ult, tampilan="apa-saja")

    assert re.search(r'<a href="/staf/kasus/" aria-current="page">Semua</a>', page)


def test_my_work_lists_the_cases_whose_open_work_is_mine(client, world, frozen):
    """The officer who accepted a case holds it; unassigned new requests and a colleague's cases are not theirs."""
    mine = submit(world, full_name="Punya Saya")
    perform("accept", mine, world)
    unassigned = submit(world, full_name="Belum Dipegang")
    colleagues = submit(world, full_name="Punya Rekan")
    svc.case_accept(case=colleagues, actor=world.ult2)

    page = page_of(client, world.ult, tampilan="saya")

    assert mine.registration_number in page
    assert unassigned.registration_number not in page
    assert colleagues.registration_number not in page
    assert '<a href="/staf/kasus/?tampilan=saya" aria-current="page">' in page


def test_my_work_of_a_ppid_member_lists_the_cases_forwarded_to_them(client, world, frozen):
    forwarded = case_in(Status.WITH_PPID, world)
    other = submit(world)

    page = page_of(client, world.ppid, tampilan="saya")

    assert forwarded.registration_number in page
    assert other.registration_number not in page


def test_my_work_when_nothing_waits_shows_a_helpful_sentence(client, world, frozen):
    submit(world)

    page = page_of(client, world.ult2, tampilan="saya")

    assert "<table" not in page
    assert "Tidak ada kasus yang menunggu Anda." in page
    assert "Permohonan baru ada di tampilan Semua." in page


def test_the_ppid_view_lists_cases_with_tim_ppid_only(client, world, frozen):
    with_ppid = case_in(Status.WITH_PPID, world)
    accepted = case_in(Status.ACCEPTED, world)

    page = page_of(client, world.ult, tampilan="ppid")

    assert with_ppid.registration_number in page
    assert accepted.registration_number not in page


def test_the_scheduled_view_lists_scheduled_cases_with_their_start(client, world, frozen):
    scheduled = case_in(Status.SCHEDULED, world)
    ready = case_in(Status.READY_TO_SCHEDULE, world)

    page = page_of(client, world.ult, tampilan="terjadwal")

    assert scheduled.registration_number in page
    assert ready.registration_number not in page
    assert "Belum dimulai: dapat dikerjakan mulai" in row_of(page, scheduled.registration_number)


@pytest.mark.parametrize("status", ["ppid", "terjadwal", "semua"])
def test_each_empty_view_says_so(client, world, status):
    page = page_of(client, world.ult, tampilan=status)

    assert "<table" not in page
    assert {
        "ppid": "Tidak ada kasus yang sedang menunggu Tim PPID.",
        "terjadwal": "Belum ada kasus dengan jadwal layanan yang disepakati.",
        "semua": "Tidak ada kasus yang sedang berjalan di kantor ini.",
    }[status] in page


def test_ended_cases_leave_the_queue(client, world, frozen):
    rejected = case_in(Status.REJECTED, world)

    assert rejected.registration_number not in page_of(client, world.ult)


# --- search ---------------------------------------------------------------------------------------------------


@pytest.fixture
def two_cases(world, frozen):
    wanted = submit(world, full_name="Siti Aminah", phone="0812-3456-7890", nik=VALID_NIK)
    other = submit(world, full_name="Rudi Hartono", phone="0813-9999-0000", nik=OTHER_NIK)
    return wanted, other


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("amin", id="part of the name"),
        pytest.param("0812-3456-7890", id="phone as typed with dashes"),
        pytest.param("+62 812 3456 7890", id="phone in international form"),
        pytest.param("3171 0152 0385 0001", id="NIK with spaces"),
    ],
)
def test_search_finds_the_case_by_name_phone_and_nik(client, world, two_cases, typed):
    wanted, other = two_cases

    page = page_of(client, world.ult, q=typed)

    assert wanted.registration_number in page
    assert other.registration_number not in page
    assert "1 kasus cocok dengan" in page


def test_search_finds_a_case_by_its_registration_number_typed_loosely(client, world, two_cases):
    _wanted, other = two_cases
    typed = other.registration_number.lower()

    page = page_of(client, world.ult, q=f" {typed} ")

    assert order_in(page, *(c.registration_number for c in two_cases)) == [other.registration_number]


def test_search_with_a_partial_nik_finds_nothing(client, world, two_cases):
    """NIKs are encrypted: only a whole NIK matches, through its keyed hash."""
    page = page_of(client, world.ult, q=VALID_NIK[:10])

    assert "<table" not in page
    assert "Tidak ada kasus yang cocok dengan" in page


def test_search_in_the_default_view_also_finds_ended_cases(client, world, frozen):
    rejected = case_in(Status.REJECTED, world, full_name="Yanto Ditolak")

    page = page_of(client, world.ult, q="yanto")

    assert "Tidak dalam antrean: kasus sudah berakhir (Ditolak)." in row_of(page, rejected.registration_number)


def test_search_stays_inside_the_chosen_view(client, world, frozen):
    with_ppid = case_in(Status.WITH_PPID, world, full_name="Sari PPID")
    new = submit(world, full_name="Sari Baru")

    page = page_of(client, world.ult, tampilan="ppid", q="sari")

    assert with_ppid.registration_number in page
    assert new.registration_number not in page
    assert 'name="tampilan" value="ppid"' in page


def test_a_search_without_results_explains_what_to_try(client, world, two_cases):
    page = page_of(client, world.ult, q="Tidak Ada Orangnya")

    assert "0 kasus cocok dengan “Tidak Ada Orangnya”." in page
    assert "Periksa ejaannya" in page
    assert '<a href="/staf/kasus/">Hapus pencarian</a>' in page


# --- office scoping and query count ---------------------------------------------------------------------------


def test_officers_see_only_their_office(client, world, other_world, frozen):
    ours = submit(world, full_name="Warga Dki")
    theirs = submit(other_world, full_name="Warga Jatim", phone="0813-9999-0000", nik=OTHER_NIK)

    # Numbers run per office, so both offices have the same first number: the rows show whose case it is.
    assert ours.registration_number == theirs.registration_number
    page = page_of(client, world.ult)
    assert "<td>Warga Dki</td>" in page
    assert "<td>Warga Jatim</td>" not in page
    for typed in ("Warga Jatim", "0813-9999-0000", OTHER_NIK):
        found = page_of(client, world.ult, q=typed)
        assert "<td>Warga Jatim</td>" not in found
        assert "0 kasus cocok dengan" in found

    assert "<td>Warga Jatim</td>" in page_of(client, other_world.ult, q="jatim")


def test_a_user_without_an_office_gets_not_found(client, world):
    world.admin.office = None
    world.admin.save()
    client.force_login(world.admin)

    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("view", ["semua", "saya", "ppid", "terjadwal"])
def test_the_number_of_queries_does_not_grow_with_the_queue(client, world, frozen, django_assert_max_num_queries, view):
    """Ten cases in every open status cost no more queries than the page's fixed handful."""
    for status in (Status.SUBMITTED, Status.AWAITING_INFO, Status.ACCEPTED, Status.WITH_PPID, Status.SCHEDULED):
        case_in(status, world)
        case_in(status, world, urgent=True, urgent_reason="Segera")
    client.force_login(world.ult)

    # Three of them are fixed: the menu's counts, the session's second-factor device, and the pager's count.
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"tampilan": view, "q": ""})

    assert response.status_code == 200
    assert (
        response.content.decode().count('<th scope="row">') == {"semua": 10, "saya": 6, "ppid": 2, "terjadwal": 2}[view]
    )


def test_a_long_queue_is_shown_a_page_at_a_time_with_running_positions(client, world, frozen):
    """Twenty-five rows a page: the second page goes on from position 26 in the same order, the pager says where the
    officer is and links both ways keeping the view, and a page number that is not one shows a real page."""
    for index in range(28):
        submit(world, full_name=f"Warga {index:02d}")
        clock.advance(timedelta(seconds=30))

    first = page_of(client, world.ult, tampilan="semua")
    second = page_of(client, world.ult, tampilan="semua", halaman=2)

    positions = re.findall(r'<td class="queue-table__position">(\d+)</td>', first + second)
    assert positions == [str(n) for n in range(1, 29)]
    assert "Halaman 1 dari 2" in first and "Halaman 2 dari 2" in second
    assert 'href="?tampilan=semua&amp;halaman=2" rel="next"' not in first  # "semua" is the default view
    assert 'href="?halaman=2" rel="next"' in first
    assert 'href="?" rel="prev"' in second
    # The earliest submission with the nearest deadline comes first; the page break keeps that order.
    names = re.findall(r"<td>(Warga \d\d)</td>", first + second)
    assert names == [f"Warga {n:02d}" for n in range(28)]
    assert page_of(client, world.ult, halaman="abc").count('<th scope="row">') == 25
    assert page_of(client, world.ult, halaman=99).count('<th scope="row">') == 3


def test_a_queue_longer_than_the_count_cap_still_pages_to_its_end(client, world, frozen, monkeypatch):
    """Beyond the cap the pager does not count the queue (too costly at 100,000 cases) but says "more than";
    every page stays reachable, and a page past the end shows the last one."""
    from jangkau.backoffice import queue_views

    monkeypatch.setattr(queue_views, "QUEUE_COUNT_CAP", 10)
    for index in range(28):
        submit(world, full_name=f"Warga {index:02d}")
        clock.advance(timedelta(seconds=30))

    first = page_of(client, world.ult)
    second = page_of(client, world.ult, halaman=2)
    beyond = page_of(client, world.ult, halaman=7)
    searched = page_of(client, world.ult, q="Warga")

    assert "Halaman 1 (lebih dari 10 kasus)" in first and 'href="?halaman=2" rel="next"' in first
    assert re.findall(r'<td class="queue-table__position">(\d+)</td>', second) == ["26", "27", "28"]
    assert 'rel="next"' not in second
    assert "Halaman 2 dari 2" in beyond and beyond.count('<th scope="row">') == 3
    assert "Lebih dari 10 kasus cocok dengan “Warga”." in searched
