"""The period's IKM from the database, through ``manage.py ikm`` (JSON and text)."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jangkau.cases import services as svc
from jangkau.cases.models import Status
from jangkau.core import clock
from jangkau.surveys.ikm import ikm_of
from jangkau.surveys.instrument import active_instrument
from jangkau.surveys.models import Response
from jangkau.surveys.services import survey_record_by_officer
from tests.builders import case_in, public_info_service
from tests.surveys.test_answering import ANSWERS

pytestmark = pytest.mark.django_db

ROWS = [[4, 4, 3, 4, 4, 3, 4, 2, 3], [3, 3, 3, 4, 3, 3, 4, 3, 2], [2, 3, 4, 4, 3, 4, 4, 3, 3]]


def _answers(row):
    return {**ANSWERS, **{f"u{n}": str(score) for n, score in enumerate(row, start=1)}}


def _delivered(world, **overrides):
    case = case_in(Status.SCHEDULED, world, **overrides)
    return svc.case_deliver(case=case, actor=world.ult, notes="Diantar")


def _run(*args) -> str:
    out = StringIO()
    call_command("ikm", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_period_in_the_published_shape(world, frozen):
    for row in ROWS:
        survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="paper", data=_answers(row))
    _delivered(world)  # served, not answered: counts in N only

    report = json.loads(_run("--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31"))

    expected = ikm_of(ROWS, population_served=4)
    assert list(report) == [
        "office", "from", "to", "respondents", "unsur", "ikm", "ikm_converted", "grade", "performance",
        "population_served", "sample_required", "sample_sufficient",
    ]  # fmt: skip
    assert (report["office"], report["from"], report["to"]) == (world.office.code, "2025-01-01", "2025-01-31")
    assert (report["respondents"], report["population_served"], report["sample_required"]) == (3, 4, 4)
    assert report["sample_sufficient"] is False
    assert [u["code"] for u in report["unsur"]] == [f"U{n}" for n in range(1, 10)]
    assert report["unsur"][3] == {"code": "U4", "name": "Biaya/Tarif", "nrr": 4.0, "nrr_weighted": 0.4444444444}
    assert report["unsur"][0]["nrr"] == 3.0 and report["unsur"][8]["nrr"] == pytest.approx(8 / 3, abs=1e-9)
    assert report["ikm"] == pytest.approx(float(expected.ikm), abs=1e-9)
    assert report["ikm"] == 3.2962962963  # 89/27 to ten decimals: at least six are kept
    assert (report["ikm_converted"], report["grade"], report["performance"]) == (82.41, "B", "Baik")


def test_the_period_and_the_service_choose_the_responses(world, frozen):
    survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="paper", data=_answers([4] * 9))
    public = _delivered(world, service_type=public_info_service(world))
    survey_record_by_officer(case=public, actor=world.ult, mode="assisted", data=_answers([1] * 9))
    # A paper form typed in without a case, answered the year before: outside the period.
    Response.objects.create(
        office=world.office,
        instrument=active_instrument(world.office),
        mode="paper",
        answered_on=date(2024, 12, 31),
        sex="L",
        age=40,
        education="sma",
        occupation="private",
        created_at=clock.now(),
        **{f"u{n}": 2 for n in range(1, 10)},
    )

    january = json.loads(_run("--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31"))
    public_only = json.loads(
        _run(
            "--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31", "--service", "informasi-publik"
        )
    )

    assert (january["respondents"], january["ikm"]) == (2, 2.5)
    assert (public_only["respondents"], public_only["population_served"], public_only["ikm_converted"]) == (1, 1, 25.0)
    assert public_only["grade"] == "D"


def test_a_period_without_answers_has_no_ikm(world, frozen):
    report = json.loads(_run("--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31"))

    assert (report["respondents"], report["ikm"], report["grade"]) == (0, None, None)
    assert report["unsur"][0]["nrr"] is None


def test_the_text_format_names_the_grade(world, frozen):
    survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="paper", data=_answers([4] * 9))

    text = _run("--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31", "--format", "text")

    assert "IKM 100.00: A (Sangat Baik)" in text and "U4  Biaya/Tarif" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--office", "nowhere", "--from", "2025-01-01", "--to", "2025-01-31"], "Unknown office"),
        (["--from", "2025-13-01", "--to", "2025-01-31"], "not a date"),
        (["--from", "2025-02-01", "--to", "2025-01-31"], "before"),
        (["--from", "2025-01-01", "--to", "2025-01-31", "--service", "none"], "no service"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(world, args, message):
    if "--office" not in args:
        args = ["--office", world.office.code, *args]
    with pytest.raises(CommandError, match=message):
        _run(*args)


def _bearer(user) -> dict:
    from jangkau.accounts.tokens import api_token_issue

    _token, secret = api_token_issue(user=user, name="laporan")
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_answers_what_the_command_prints(client, world, frozen):
    for row in ROWS:
        survey_record_by_officer(case=_delivered(world), actor=world.ult, mode="paper", data=_answers(row))
    period = {"office": world.office.code, "from": "2025-01-01", "to": "2025-01-31"}

    response = client.get("/api/v1/reports/ikm", period, headers=_bearer(world.head))

    assert response.status_code == 200, response.content
    printed = json.loads(_run("--office", world.office.code, "--from", "2025-01-01", "--to", "2025-01-31"))
    assert response.json() == printed


def test_the_api_refuses_another_office_and_a_backwards_period(client, world, other_world, frozen):
    headers = _bearer(world.ult)

    other = client.get(
        "/api/v1/reports/ikm",
        {"office": other_world.office.code, "from": "2025-01-01", "to": "2025-01-31"},
        headers=headers,
    )
    backwards = client.get(
        "/api/v1/reports/ikm", {"office": world.office.code, "from": "2025-02-01", "to": "2025-01-31"}, headers=headers
    )
    anonymous = client.get(
        "/api/v1/reports/ikm", {"office": world.office.code, "from": "2025-01-01", "to": "2025-01-31"}
    )

    assert other.status_code == 403
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "to"
    assert anonymous.status_code == 401
