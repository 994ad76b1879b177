"""The monitoring table and follow-up action (RTL) pages: the head fills in the table and raises actions; the
owner reports progress; other roles read the list and are refused the forms; another office's action is not
found."""

from datetime import date, timedelta

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.core import clock
from jangkau.reports.followups import followup_create
from jangkau.reports.models import FollowUpAction, MonitoringEntry

pytestmark = pytest.mark.django_db

MONITORING = "/staf/evaluasi/pemantauan/"
PERIOD = "?from=2025-01-01&to=2025-01-31"
LIST = "/staf/tindak-lanjut/"
NEW = "/staf/tindak-lanjut/baru/"


def table_data(**overrides):
    data = {}
    for no in range(1, 9):
        data[f"step_{no}_ran_well"] = "baik"
        data[f"step_{no}_notes"] = f"Catatan {no}"
        data[f"step_{no}_action_to_take"] = ""
    data.update(overrides)
    return data


def action_of(world, **extra):
    return followup_create(
        office=world.office,
        actor=world.head,
        title="Latih juru bahasa isyarat",
        description="Pelatihan dua hari untuk petugas ULT.",
        owner=extra.pop("owner", world.ult),
        due_date=date(2025, 2, 28),
        source_start=date(2025, 1, 1),
        source_end=date(2025, 1, 31),
        **extra,
    )


def test_the_head_sees_the_prefilled_table_and_saves_all_eight_rows(client, world, frozen):
    client.force_login(world.head)
    page = client.get(MONITORING + PERIOD).content.decode()
    assert page.count("Terisi otomatis dari angka periode ini") == 8
    assert "Tidak ada kegiatan langkah ini yang selesai dalam periode ini." in page

    before = AuditEvent.objects.count()
    response = client.post(
        MONITORING + PERIOD, table_data(step_4_ran_well="tidak", step_4_action_to_take="Tambah petugas")
    )

    assert response.status_code == 302
    assert response["Location"].endswith(PERIOD)
    assert MonitoringEntry.objects.filter(office=world.office, period_start=date(2025, 1, 1)).count() == 8
    assert MonitoringEntry.objects.get(step_no=4).ran_well is False
    assert AuditEvent.objects.count() == before + 1
    page = client.get(MONITORING + PERIOD).content.decode()
    assert "Terisi otomatis" not in page and "Tambah petugas" in page


def test_a_step_that_did_not_run_well_needs_the_action_and_nothing_is_saved(client, world, frozen):
    client.force_login(world.head)
    response = client.post(MONITORING + PERIOD, table_data(step_2_ran_well="tidak", step_3_ran_well=""))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Galat:" in page and "Ada masalah" in page
    assert 'href="#id_step_3_ran_well_0"' in page
    assert not MonitoringEntry.objects.exists()
    # The form's own check passed step 2 alone; the service reports it once step 3 is answered.
    response = client.post(MONITORING + PERIOD, table_data(step_2_ran_well="tidak"))
    assert "tuliskan tindakan yang harus diambil" in response.content.decode()
    assert 'href="#id_step_2_action_to_take"' in response.content.decode()
    assert not MonitoringEntry.objects.exists()


def test_a_missing_or_wrong_period_asks_for_it(client, world, frozen):
    client.force_login(world.head)
    assert "Buka tabel pemantauan" in client.get(MONITORING).content.decode()
    page = client.get(MONITORING + "?from=2025-02-01&to=2025-01-01").content.decode()
    assert "<title>Galat:" in page and "sesudah tanggal awal" in page


@pytest.mark.parametrize("role", ["ult", "ppid", "admin"])
def test_other_roles_cannot_fill_in_the_table_or_raise_actions(client, world, frozen, role):
    client.force_login(getattr(world, role))
    assert client.get(MONITORING + PERIOD).status_code == 403
    assert client.post(MONITORING + PERIOD, table_data()).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.get(LIST).status_code == 200
    assert not MonitoringEntry.objects.exists()


def test_the_head_raises_an_action_prefilled_from_the_report_link(client, world, frozen):
    client.force_login(world.head)
    page = client.get(NEW + "?from=2025-01-01&to=2025-01-31&step=4").content.decode()
    assert 'value="2025-01-01"' in page and 'value="2025-01-31"' in page
    assert '<option value="4" selected>' in page

    response = client.post(
        NEW,
        {
            "title": "Tambah jadwal kunjungan",
            "description": "Dua kunjungan rumah per minggu.",
            "owner": world.ult2.pk,
            "due_date": "2025-02-28",
            "step_no": "4",
            "source_start": "2025-01-01",
            "source_end": "2025-01-31",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == LIST
    action = FollowUpAction.objects.get()
    assert (action.owner, action.step_no, action.source_period_end) == (world.ult2, 4, date(2025, 1, 31))
    assert "Tambah jadwal kunjungan" in response.content.decode()


def test_wrong_answers_come_back_in_the_summary_and_nothing_is_raised(client, world, other_world, frozen):
    client.force_login(world.head)
    response = client.post(
        NEW,
        {
            "title": "",
            "description": "",
            "owner": other_world.ult.pk,
            "due_date": "2024-12-01",
            "source_start": "2025-01-01",
        },
    )
    page = response.content.decode()
    assert "<title>Galat:" in page
    for message in ("Tuliskan judul tindak lanjut", "Tuliskan tindakan", "Pilih penanggung jawab dari daftar"):
        assert message in page
    assert not FollowUpAction.objects.exists()
    response = client.post(
        NEW,
        {
            "title": "t",
            "description": "d",
            "owner": world.ult.pk,
            "due_date": "2024-12-01",
            "source_start": "2025-01-01",
        },
    )
    assert "Isi tanggal awal dan akhir periode evaluasi" in response.content.decode()
    assert not FollowUpAction.objects.exists()


def test_the_list_flags_overdue_in_words_and_filters_open_or_all(client, world, frozen):
    action = action_of(world)
    done = action_of(world, owner=world.ppid)
    client.force_login(world.ppid)
    client.post(f"{LIST}{done.pk}/status/", {"status": "done", "note": "Sudah dilatih."})
    with clock.frozen_at(clock.now() + timedelta(days=60)):
        page = client.get(LIST).content.decode()
        assert "Lewat batas waktu" in page and page.count("<h3>") == 1
        page = client.get(LIST + "?tampil=semua").content.decode()
        assert page.count("<h3>") == 2 and "Sudah dilatih." in page
    assert action.title in page


def test_the_owner_marks_done_saying_what_was_done_and_others_cannot(client, world, frozen):
    action = action_of(world)
    url = f"{LIST}{action.pk}/status/"
    client.force_login(world.ult2)
    assert client.get(url).status_code == 403
    client.force_login(world.ult)
    page = client.get(url).content.decode()
    assert 'value="done"' in page and 'value="cancelled"' not in page

    response = client.post(url, {"status": "done", "note": ""})
    assert "Tuliskan apa yang sudah dilakukan." in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"

    response = client.post(url, {"status": "done", "note": "Pelatihan 10 Januari."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_note) == ("done", "Pelatihan 10 Januari.")
    assert "tidak dapat diubah lagi" in client.get(url).content.decode()


def test_another_offices_action_is_not_found(client, world, other_world, frozen):
    action = action_of(world)
    client.force_login(other_world.head)
    assert client.get(f"{LIST}{action.pk}/status/").status_code == 404
    assert client.post(f"{LIST}{action.pk}/status/", {"status": "done", "note": "x"}).status_code == 404
    assert action.title not in client.get(LIST).content.decode()
    action.refresh_from_db()
    assert action.status == "open"
