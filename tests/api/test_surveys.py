"""The survey in the API: the private link's questions and answer, and officers' paper and assisted entries."""

from datetime import timedelta

import pytest

from jangkau.cases import services as svc
from jangkau.cases.models import Case, Status
from jangkau.core import clock
from jangkau.surveys.models import Invitation, Response
from tests.builders import case_in

pytestmark = pytest.mark.django_db

BODY = {**{f"u{n}": 1 + n % 4 for n in range(1, 10)}, "sex": "P", "age": 67, "education": "sd", "occupation": "other"}


def _token(world):
    case = svc.case_deliver(case=case_in(Status.SCHEDULED, world), actor=world.ult, notes="Diantar")
    return case, Invitation.objects.get(case=case).token


def test_the_link_gives_the_questions_in_the_chosen_language(client, world, frozen):
    _case, token = _token(world)

    indonesian = client.get(f"/api/v1/surveys/{token}").json()
    english = client.get(f"/api/v1/surveys/{token}", headers={"Accept-Language": "en"}).json()

    assert [e["code"] for e in indonesian["elements"]] == [f"U{n}" for n in range(1, 10)]
    assert indonesian["elements"][3]["answers"] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert english["elements"][3]["answers"] == ["Very expensive", "Fairly expensive", "Cheap", "Free"]
    assert english["sexes"] == {"L": "Male", "P": "Female"}


def test_answering_once_records_it_and_a_second_answer_is_refused(client, world, frozen):
    case, token = _token(world)

    first = client.post(f"/api/v1/surveys/{token}", BODY, content_type="application/json")
    second = client.post(f"/api/v1/surveys/{token}", BODY, content_type="application/json")

    assert (first.status_code, first.json()) == (201, {"received": True, "mode": "online"})
    assert Case.objects.get(pk=case.pk).status == Status.FEEDBACK_RECEIVED
    assert (second.status_code, second.json()["code"]) == (409, "survey_answered")
    assert Response.objects.count() == 1


def test_bad_answers_come_back_per_field_and_nothing_is_recorded(client, world, frozen):
    _case, token = _token(world)

    response = client.post(
        f"/api/v1/surveys/{token}", {**BODY, "u3": 5, "sex": "X", "age": None}, content_type="application/json"
    )

    assert response.status_code == 422
    assert sorted(error["field"] for error in response.json()["errors"]) == ["age", "sex", "u3"]
    assert not Response.objects.exists()


def test_unknown_and_closed_links(client, world, frozen):
    _case, token = _token(world)

    assert client.get("/api/v1/surveys/tidak-ada").status_code == 404
    clock.advance(timedelta(days=20))
    closed = client.post(f"/api/v1/surveys/{token}", BODY, content_type="application/json")
    assert (closed.status_code, closed.json()["code"]) == (410, "survey_closed")


def test_an_officer_records_a_paper_form_through_the_api(client, world, other_world, frozen):
    case, _token_ = _token(world)
    client.force_login(world.ult)
    url = f"/api/v1/cases/{case.registration_number}/survey"

    recorded = client.post(url, {**BODY, "mode": "paper", "answered_on": "2025-01-03"}, content_type="application/json")
    again = client.post(url, {**BODY, "mode": "assisted"}, content_type="application/json")

    assert (recorded.status_code, recorded.json()["mode"]) == (201, "paper")
    assert str(Response.objects.get(case=case).answered_on) == "2025-01-03"
    assert again.status_code == 409
    client.force_login(other_world.ult)
    assert client.post(url, {**BODY, "mode": "paper"}, content_type="application/json").status_code == 403
