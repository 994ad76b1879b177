"""The scheduled users of one day (/staf/jadwal/, the POS's "daftar pengguna terjadwal secara daring"): the
office's current appointments of the day in time order, with their team and what to prepare; a bad date is
an error beside the field, not a crash."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jangkau.cases import services as svc
from jangkau.cases.models import Status
from tests.builders import case_in

pytestmark = pytest.mark.django_db

URL = "/staf/jadwal/"
JKT = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=JKT)


def scheduled(world, starts_at, **kwargs):
    case = case_in(Status.READY_TO_SCHEDULE, world, **kwargs.pop("intake", {}))
    return svc.case_schedule(case=case, actor=world.ult, starts_at=starts_at, mode="visit", **kwargs)


def numbers_in(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/staf/kasus/([^/"]+)/">', page)


def row_of(page: str, number: str) -> str:
    """Returns the table row of the case numbered ``number``."""
    at_number = page.index(f"/staf/kasus/{number}/")
    return page[page.rindex("<tr>", 0, at_number) : page.index("</tr>", at_number)]


def test_login_is_required_and_an_office_too(client, world):
    assert "/staf/masuk/" in client.get(URL)["Location"]
    client.force_login(world.admin)
    world.admin.office = None
    world.admin.save()
    assert client.get(URL).status_code == 404


def test_today_lists_the_offices_appointments_in_time_order(client, world, other_world, frozen):
    """Today (Monday 6 January, office time) by default: the afternoon visit after the morning one, each
    with its number, name, service, mode, place, officers, accommodations and calendar link; not tomorrow's,
    not another office's, not a superseded one, not one of a withdrawn case."""
    afternoon = scheduled(world, at(6, 14), place="Balai RW 02", officers=[world.ult, world.ppid])
    morning = scheduled(world, at(6, 9, 30), intake={"full_name": "Budi Santoso", "accommodations": ["sign_language"]})
    tomorrow = scheduled(world, at(7, 9))
    moved = scheduled(world, at(6, 10))
    svc.case_reschedule(case=moved, actor=world.ult, starts_at=at(8, 10), mode="phone", reason="Pemohon sakit")
    withdrawn = scheduled(world, at(6, 11))
    svc.case_cancel(case=withdrawn, actor=world.ult, reason="Sudah tidak perlu")
    elsewhere = case_in(Status.READY_TO_SCHEDULE, other_world)
    svc.case_schedule(case=elsewhere, actor=other_world.ult, starts_at=at(6, 9), mode="visit")
    client.force_login(world.ult)

    page = client.get(URL).content.decode()

    assert numbers_in(page) == [morning.registration_number, afternoon.registration_number]
    for absent in (tomorrow, moved, withdrawn):
        assert absent.registration_number not in page
    assert "Senin, 6 Januari 2025 (hari ini)" in page
    row = row_of(page, afternoon.registration_number)
    for shown in ("14:00", "Siti Aminah", world.service.name, "Kunjungan ke rumah", "Balai RW 02", str(world.ppid)):
        assert shown in row, shown
    assert "Akses kursi roda" in row  # the requester asked for it, so it is prepared by default
    morning_row = row_of(page, morning.registration_number)
    assert "09:30" in morning_row and "Budi Santoso" in morning_row and "Juru bahasa isyarat" in morning_row
    assert f"/staf/kasus/{afternoon.registration_number}/jadwal.ics" in row


@pytest.mark.parametrize("typed", ["2025-01-08", "08/01/2025", "8-1-2025"])
def test_another_day_is_chosen_by_its_date(client, world, frozen, typed):
    rescheduled = scheduled(world, at(8, 13))
    today = scheduled(world, at(6, 13))
    client.force_login(world.ult)

    page = client.get(URL, {"tanggal": typed}).content.decode()

    assert numbers_in(page) == [rescheduled.registration_number]
    assert today.registration_number not in page
    assert "Rabu, 8 Januari 2025" in page
    assert 'href="/staf/jadwal/?tanggal=2025-01-07"' in page and 'href="/staf/jadwal/?tanggal=2025-01-09"' in page
    assert 'href="/staf/jadwal/?tanggal=2025-01-06">Hari ini' in page


@pytest.mark.parametrize("typed", ["2025-13-45", "besok", "31/02/2025"])
def test_a_bad_date_is_an_error_beside_the_field(client, world, frozen, typed):
    scheduled(world, at(6, 13))
    client.force_login(world.ult)

    response = client.get(URL, {"tanggal": typed})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Galat: " in page and "Ada masalah" in page
    assert page.count("Tuliskan tanggal seperti 15/12/2026") >= 2
    assert f'value="{typed}"' in page
    assert numbers_in(page) == []


def test_a_day_without_appointments_says_so(client, world, frozen):
    client.force_login(world.ult)

    page = client.get(URL, {"tanggal": "2025-01-11"}).content.decode()

    assert "Tidak ada jadwal layanan pada tanggal ini." in page
    assert "<table" not in page


def test_an_appointment_late_in_the_evening_stays_on_its_office_day(client, world, frozen):
    """23:30 in Jakarta is 16:30 UTC the same day; 00:30 the next day belongs to the next day."""
    late = scheduled(world, at(7, 23, 30))
    after_midnight = scheduled(world, at(7, 23, 30) + timedelta(hours=1))
    client.force_login(world.ult)

    assert numbers_in(client.get(URL, {"tanggal": "2025-01-07"}).content.decode()) == [late.registration_number]
    assert numbers_in(client.get(URL, {"tanggal": "2025-01-08"}).content.decode()) == [
        after_midnight.registration_number
    ]


def test_the_navigation_links_the_page(client, world, frozen):
    client.force_login(world.ppid)

    page = client.get(URL).content.decode()

    assert '<a href="/staf/jadwal/" aria-current="page">Jadwal</a>' in page
    assert '<a href="/staf/jadwal/">Jadwal per hari</a>' in client.get("/staf/kasus/").content.decode()


def test_the_number_of_queries_does_not_grow_with_the_day(client, world, frozen, django_assert_max_num_queries):
    for hour in range(9, 15):
        scheduled(world, at(6, hour), officers=[world.ult, world.ppid])
    client.force_login(world.ult)

    # Two of them are fixed: the menu's counts, and the session's second-factor device.
    with django_assert_max_num_queries(10):
        page = client.get(URL).content.decode()

    assert len(numbers_in(page)) == 6
