"""The data-subject request pages: PPID finds a person's cases (masked), records the request, exports,
corrects, erases and answers it; the list shows deadlines and overdue requests; other roles and other
offices are kept out."""

import json
import re
from datetime import timedelta

import pytest

from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Status
from jangkau.core import clock
from jangkau.privacy import services as privacy
from jangkau.privacy.models import DataSubjectRequest, RequestKind, RequestStatus
from tests.builders import VALID_NIK, case_in, reload, submit
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

LIST = "/staf/data-pribadi/"
NEW = "/staf/data-pribadi/baru/"
OTHER_NIK = "3171014505900002"


def detail_url(req):
    return f"/staf/data-pribadi/{req.pk}/"


@pytest.fixture
def cases(world, frozen):
    """Two cases of Siti (one rejected, one cancelled) and one of Budi."""
    siti = [case_in(Status.REJECTED, world), case_in(Status.CANCELLED, world, phone="0812-3456-7891")]
    budi = submit(world, full_name="Budi Santoso", nik=OTHER_NIK, phone="0857-1111-2222")
    return {"siti": siti, "budi": budi}


def request_data(**overrides):
    data = {
        "nik": VALID_NIK,
        "phone": "",
        "name": "",
        "kind": RequestKind.ACCESS,
        "received_on": "06/01/2025",
        "received_time": "07.15",
        "channel": "walk_in",
        "requester_name": "Siti Aminah",
        "identity_check": "KTP asli dicocokkan",
        "details": "",
        "reply_to": "",
    }
    data.update(overrides)
    return data


def search(client, **overrides):
    return client.post(NEW, {**request_data(**overrides), "action": "search"})


def record(client, response, **overrides):
    """Records from the page a search returned: its hidden search key and the cases it ticked."""
    form = response.context["form"]
    data = {**request_data(**overrides), "action": "record", "searched": form["searched"].value()}
    data["cases"] = overrides.pop("cases", form["cases"].value())
    return client.post(NEW, data)


def open_request(world, kind=RequestKind.ACCESS, **overrides):
    return privacy.subject_request_open(
        office=world.office,
        actor=world.ppid,
        kind=kind,
        channel="walk_in",
        requester_name="Siti Aminah",
        identity_check="KTP asli",
        nik=VALID_NIK,
        **overrides,
    )


def test_ppid_finds_the_person_s_cases_masked_and_records_the_request(client, world, cases):
    """The search shows Siti's two cases with NIK and phone masked (Budi's not at all); recording with a
    receipt earlier than now sets the deadline 72 hours after that receipt."""
    client.force_login(world.ppid)
    response = search(client)
    page = response.content.decode()
    assert response.status_code == 200
    for case in cases["siti"]:
        assert case.registration_number in page
    assert cases["budi"].registration_number not in page and "Budi" not in page
    assert "3171********0001" in page
    assert page.count(VALID_NIK) == 1  # only in the NIK box the officer typed it in
    assert "+6281234567890" not in page and "+62812****7890" in page

    response = record(client, response)
    req = DataSubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(req)
    assert set(req.cases.all()) == set(cases["siti"])
    assert req.received_at.isoformat() == "2025-01-06T00:15:00+00:00"  # 07.15 WIB
    assert req.due_at - req.received_at == timedelta(hours=72)

    page = client.get(detail_url(req)).content.decode()
    assert req.number in page and "Pasal 32 ayat (2)" in page
    assert all(case.registration_number in page for case in cases["siti"])
    assert VALID_NIK not in page


def test_the_officer_can_untick_a_case_that_is_not_the_person_s(client, world, cases):
    client.force_login(world.ppid)
    response = search(client)
    keep = str(cases["siti"][0].pk)
    response = record(client, response, cases=[keep])
    assert response.status_code == 302
    assert list(DataSubjectRequest.objects.get().cases.all()) == [cases["siti"][0]]


def test_criteria_changed_after_the_search_are_searched_again_not_recorded(client, world, cases):
    """Recording with another NIK than the one searched shows that NIK's cases first."""
    client.force_login(world.ppid)
    response = search(client)
    response = record(client, response, nik=OTHER_NIK)
    assert response.status_code == 200
    assert cases["budi"].registration_number in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_errors_come_back_in_the_summary_and_nothing_is_recorded(client, world, cases):
    """A bad NIK at the search, then missing answers at recording: the error summary lists them."""
    client.force_login(world.ppid)
    response = search(client, nik="12345")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ada masalah" in page and "NIK harus 16 angka." in page
    assert re.search(r"<title>Galat: ", page)

    response = search(client)
    response = record(client, response, requester_name="", identity_check="", received_on="31/02/2025")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tulis nama pemohon" in page and "Tuliskan tanggal seperti 15/12/2026" in page
    assert 'href="#id_requester_name"' in page
    assert not DataSubjectRequest.objects.exists()


def test_a_future_receipt_is_refused_beside_its_field(client, world, cases):
    client.force_login(world.ppid)
    response = search(client)
    response = record(client, response, received_on="07/01/2025")
    assert response.status_code == 400
    assert "Waktu diterima tidak boleh di masa depan." in response.content.decode()


def test_the_export_downloads_json_and_pdf_and_is_audited(client, world, cases):
    client.force_login(world.ppid)
    req = open_request(world)
    response = client.post(f"{detail_url(req)}ekspor/", {"format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert f"data-pribadi-{req.number}.json" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [case["registration_number"] for case in data["cases"]] == [c.registration_number for c in cases["siti"]]
    assert "Budi" not in response.content.decode()

    response = client.post(f"{detail_url(req)}ekspor/", {"format": "pdf", "include_internal_notes": "on"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert VALID_NIK in text and "Budi" not in text
    formats = list(AuditEvent.objects.filter(action="privacy.exported").values_list("changes", flat=True))
    assert [(c["format"], c["internal_notes"]) for c in formats] == [("json", False), ("pdf", True)]


def test_the_export_is_post_only(client, world, cases):
    client.force_login(world.ppid)
    req = open_request(world)
    assert client.get(f"{detail_url(req)}ekspor/?format=json").status_code == 405


def test_a_bad_correction_changes_nothing_and_a_good_one_is_saved(client, world, cases):
    client.force_login(world.ppid)
    req = open_request(world, kind=RequestKind.CORRECTION)
    url = f"{detail_url(req)}perbaiki/"
    page = client.get(url).content.decode()
    assert "Perbaiki data pemohon" in page and "3171********0001" in page

    everything = [str(case.pk) for case in cases["siti"]]
    response = client.post(url, {"cases": everything, "id_number": "3171019999850001"})
    assert response.status_code == 400
    assert "Tanggal lahir pada NIK" in response.content.decode()
    assert reload(cases["siti"][0]).id_document_number == VALID_NIK

    response = client.post(url, {"cases": everything})
    assert response.status_code == 400 and "Tulis paling sedikit satu data" in response.content.decode()

    response = client.post(url, {"cases": everything, "area": "Jakarta Timur"})
    assert response.status_code == 302
    assert {reload(case).area for case in cases["siti"]} == {"Jakarta Timur"}
    assert reload(cases["budi"]).area == "Jakarta Pusat"


def test_erasure_asks_for_confirmation_then_anonymises(client, world, cases):
    client.force_login(world.head)
    req = open_request(world, kind=RequestKind.ERASURE)
    url = f"{detail_url(req)}hapus/"
    page = client.get(url).content.decode()
    assert "tidak dapat dikembalikan" in page and cases["siti"][0].registration_number in page

    response = client.post(url, {})
    assert response.status_code == 400
    assert "Centang konfirmasi untuk menghapus data pribadi" in response.content.decode()
    assert reload(cases["siti"][0]).anonymised_at is None

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert all(reload(case).anonymised_at for case in cases["siti"])
    assert reload(cases["budi"]).anonymised_at is None
    req.refresh_from_db()
    assert req.status == RequestStatus.DONE


def test_an_access_request_is_answered_after_the_export(client, world, cases):
    client.force_login(world.ppid)
    req = open_request(world)
    url = f"{detail_url(req)}jawab/"
    response = client.post(url, {"status": "done", "outcome": "Salinan diserahkan"})
    assert response.status_code == 400
    assert "Ekspor data pemohon dahulu" in response.content.decode()
    response = client.post(url, {"status": "refused"})
    assert response.status_code == 400 and "Tulis alasan penolakan." in response.content.decode()

    client.post(f"{detail_url(req)}ekspor/", {"format": "json"})
    clock.advance(timedelta(hours=2))
    response = client.post(url, {"status": "done", "outcome": "Salinan diserahkan"}, follow=True)
    page = response.content.decode()
    assert "Jawaban permintaan" in page and "waktu jawab 2 jam" in page
    assert reload(cases["siti"][0]).status == Status.REJECTED


def test_a_restriction_is_recorded_as_carried_out(client, world, cases):
    client.force_login(world.ppid)
    req = open_request(world, kind=RequestKind.RESTRICTION)
    response = client.post(f"{detail_url(req)}jawab/", {"status": "done", "outcome": "Tidak dihubungi lagi"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="privacy.restricted").count() == 1


def test_the_list_shows_deadlines_and_overdue_requests(client, world, cases):
    client.force_login(world.head)
    late = open_request(world, kind=RequestKind.WITHDRAWAL)
    clock.advance(timedelta(hours=73))
    fresh = open_request(world)
    page = client.get(LIST).content.decode()
    assert late.number in page and fresh.number in page
    assert page.index(late.number) < page.index(fresh.number)  # nearest deadline first
    assert "1 permintaan melewati batas waktu." in page and "Terlambat" in page


@pytest.mark.parametrize("role", ["ult", "admin"])
def test_other_roles_are_told_whom_to_pass_requests_to(client, world, cases, role):
    client.force_login(getattr(world, role))
    req = open_request(world)
    for url in (LIST, NEW, detail_url(req), f"{detail_url(req)}hapus/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Tim PPID" in response.content.decode()


def test_another_office_does_not_find_the_request(client, world, other_world, cases):
    req = open_request(world)
    client.force_login(other_world.ppid)
    assert client.get(detail_url(req)).status_code == 404
    assert client.post(f"{detail_url(req)}ekspor/", {"format": "json"}).status_code == 404
    response = client.post(NEW, {**request_data(), "action": "search"})
    assert cases["siti"][0].registration_number not in response.content.decode()
