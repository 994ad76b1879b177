"""The case page's steps 6 to 8: ending the survey window, recording the recap, and the closing evaluation
with its error states; the closed case shows its evaluation."""

from datetime import timedelta

import pytest

from jangkau.cases.models import Status
from jangkau.core import clock
from tests.backoffice.test_case_steps import events_of, take, url
from tests.builders import case_in, reload

pytestmark = pytest.mark.django_db

CLOSE = {"need_met": "met", "mode_right": "yes", "accommodations_provided": "provided", "evaluation": ""}


def test_the_recap_then_the_evaluation_close_the_case(client, world, frozen):
    case = case_in(Status.FEEDBACK_RECEIVED, world)
    client.force_login(world.ult)

    assert take(client, case, "rekap-survei", {}).status_code == 302
    case = reload(case)
    assert case.status == Status.RECAPPED
    page = client.get(url(case)).content.decode()
    assert url(case, "tutup/") in page

    response = take(client, case, "tutup", {**CLOSE, "need_met": "partly", "evaluation": "Data 2024 belum ada."})

    assert response.status_code == 302
    case = reload(case)
    assert (case.status, case.evaluation_need_met, case.evaluation_mode_right) == (Status.CLOSED, "partly", True)
    assert events_of(case)[-2:] == ["case.recap_feedback", "case.close"]
    page = client.get(url(case)).content.decode()
    assert 'id="evaluasi"' in page and "Sebagian terpenuhi" in page and "Data 2024 belum ada." in page


def test_an_empty_evaluation_lists_every_question_and_changes_nothing(client, world, frozen):
    case = case_in(Status.RECAPPED, world)
    client.force_login(world.head)

    response = take(client, case, "tutup", {})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pilih apakah kebutuhan pemohon terpenuhi" in page
    assert "Pilih apakah cara layanan sudah tepat" in page
    assert "Pilih apakah akomodasi sudah disediakan" in page
    assert reload(case).status == Status.RECAPPED


def test_a_need_not_met_without_notes_is_refused_beside_the_notes(client, world, frozen):
    case = case_in(Status.RECAPPED, world)
    client.force_login(world.ult)

    response = take(client, case, "tutup", {**CLOSE, "need_met": "not_met"})

    assert response.status_code == 200
    assert "Jelaskan apa yang belum berjalan baik dan mengapa." in response.content.decode()
    assert reload(case).status == Status.RECAPPED


def test_a_late_evaluation_asks_why_and_requires_the_answer(client, world, frozen):
    case = case_in(Status.RECAPPED, world)
    clock.advance(timedelta(days=30))  # far past step 8's standard time
    client.force_login(world.ult)

    form = client.get(url(case, "tutup/")).content.decode()
    refused = take(client, case, "tutup", CLOSE)
    accepted = take(client, case, "tutup", {**CLOSE, "late_explanation": "Menunggu rapat evaluasi bulanan"})

    assert 'name="late_explanation"' in form
    assert refused.status_code == 200
    assert "Tuliskan mengapa langkah 8 melewati waktu standar" in refused.content.decode()
    assert accepted.status_code == 302
    assert reload(case).steps.get(step_no=8).breach_explanation == "Menunggu rapat evaluasi bulanan"


def test_an_evaluation_on_time_does_not_ask_about_lateness(client, world, frozen):
    case = case_in(Status.RECAPPED, world)
    client.force_login(world.ult)

    assert 'name="late_explanation"' not in client.get(url(case, "tutup/")).content.decode()


def test_the_survey_window_ends_only_after_it_is_over(client, world, frozen):
    case = case_in(Status.DELIVERED, world)
    client.force_login(world.ult)

    early = take(client, case, "akhiri-survei", {})
    assert early.status_code == 200 and "Jangka waktu survei belum berakhir." in early.content.decode()
    assert reload(case).status == Status.DELIVERED

    clock.advance(timedelta(days=10))
    assert take(client, case, "akhiri-survei", {}).status_code == 302
    assert reload(case).status == Status.FEEDBACK_RECEIVED
    assert reload(case).steps.get(step_no=6).outcome == "expired"
