"""The recap's selector and rows: each filter narrows the office's cases, the period is read in the office's
time zone, another office's cases never appear, and rows carry identifiers only masked."""

from dataclasses import asdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jangkau.cases import services as svc
from jangkau.cases.models import Channel, Status
from jangkau.cases.recap import RecapFilters, recap_cases, recap_rows
from jangkau.core import clock
from jangkau.core.masking import mask_phone
from jangkau.offices.models import ServiceType
from tests.builders import VALID_NIK, intake_data, perform, submit

pytestmark = pytest.mark.django_db

JKT = ZoneInfo("Asia/Jakarta")


def numbers(cases) -> list[str]:
    return [case.registration_number for case in cases]


def selected(world, **filters) -> list[str]:
    return numbers(recap_cases(world.office, RecapFilters(**filters)))


@pytest.fixture
def consultation(world):
    return ServiceType.objects.create(office=world.office, code="konsultasi", name="Konsultasi penjaminan mutu")


@pytest.fixture
def mixed(world, consultation, frozen):
    """Five cases of the office, each differing from the first in one respect."""
    base = submit(world, vulnerabilities=["elderly"])
    blind = submit(world, vulnerabilities=["disability_blind"], accommodations=["braille"])
    by_phone = svc.case_submit(
        office=world.office,
        data=intake_data(world, vulnerabilities=["elderly"]),
        channel=Channel.PHONE,
        actor=world.ult2,
    )
    consult = submit(world, vulnerabilities=["elderly"], service_type=consultation)
    accepted = perform("accept", submit(world, vulnerabilities=["elderly", "disability_physical"]), world)
    return {"base": base, "blind": blind, "by_phone": by_phone, "consult": consult, "accepted": accepted}


def test_no_filter_selects_every_case_of_the_office_oldest_first(world, mixed):
    """Given five cases submitted one after another, when nothing is filtered, then all come in submission order."""
    expected = numbers(sorted(mixed.values(), key=lambda c: (c.submitted_at, c.pk)))

    assert selected(world) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"vulnerability": "disability_blind"}, {"blind"}),
        ({"vulnerability": "elderly"}, {"base", "by_phone", "consult", "accepted"}),
        ({"vulnerability": "disability_physical"}, {"accepted"}),
        ({"vulnerability": "child"}, set()),
        ({"channel": Channel.PHONE}, {"by_phone"}),
        ({"channel": Channel.WEB}, {"base", "blind", "consult", "accepted"}),
        ({"service_type": "konsultasi"}, {"consult"}),
        ({"status": Status.ACCEPTED}, {"accepted"}),
        ({"status": Status.SUBMITTED}, {"base", "blind", "by_phone", "consult"}),
        ({"status": Status.ACCEPTED, "vulnerability": "disability_blind"}, set()),
    ],
)
def test_each_filter_narrows_to_the_matching_cases(world, mixed, filters, expected):
    """Given cases that differ in one respect each, when one filter (or two together) is set, then exactly
    the cases matching all of them are selected."""
    result = set(selected(world, **filters))

    assert result == {mixed[name].registration_number for name in expected}


def test_the_officer_filter_selects_the_cases_the_officer_holds(world, mixed):
    """Given a case recorded by ult2 and one accepted by ult, when filtering by officer, then each sees theirs."""
    assert selected(world, officer=world.ult2.pk) == [mixed["by_phone"].registration_number]
    assert selected(world, officer=world.ult.pk) == [mixed["accepted"].registration_number]
    assert selected(world, officer=world.head.pk) == []


def submit_at(world, moment: datetime):
    with clock.frozen_at(moment):
        return submit(world)


def test_the_period_is_read_in_the_office_time_zone(world):
    """Given cases at 23.30 and 00.30 Jakarta time around midnight (both on 6 January in UTC), when the
    period is 6 January, then only the 23.30 case belongs to it; 7 January holds the other."""
    late = submit_at(world, datetime(2025, 1, 6, 23, 30, tzinfo=JKT))
    after_midnight = submit_at(world, datetime(2025, 1, 7, 0, 30, tzinfo=JKT))
    day = date(2025, 1, 6)

    assert selected(world, date_from=day, date_to=day) == [late.registration_number]
    assert selected(world, date_from=date(2025, 1, 7)) == [after_midnight.registration_number]
    assert selected(world, date_to=day) == [late.registration_number]


def test_the_period_follows_the_office_zone_not_the_server_zone(world):
    """Given an office in Jayapura (UTC+9), when a case comes at 23.30 Jakarta time on 6 January (01.30 on
    7 January in Jayapura), then it counts for 7 January, as the office's own calendar says."""
    world.office.time_zone = "Asia/Jayapura"
    world.office.save()
    afternoon = submit_at(world, datetime(2025, 1, 6, 16, 30, tzinfo=JKT))
    night = submit_at(world, datetime(2025, 1, 6, 23, 30, tzinfo=JKT))

    assert selected(world, date_from=date(2025, 1, 6), date_to=date(2025, 1, 6)) == [afternoon.registration_number]
    assert selected(world, date_from=date(2025, 1, 7), date_to=date(2025, 1, 7)) == [night.registration_number]
    row = recap_rows(recap_cases(world.office, RecapFilters()))[1]
    assert (row.submitted_at.day, row.submitted_at.hour, row.submitted_at.tzname()) == (7, 1, "WIT")


def test_both_ends_of_the_period_are_included(world):
    """Given cases on the first and last day of January, when the period is January, then both are in."""
    first = submit_at(world, datetime(2025, 1, 1, 0, 0, tzinfo=JKT))
    last = submit_at(world, datetime(2025, 1, 31, 23, 59, tzinfo=JKT))
    submit_at(world, datetime(2025, 2, 1, 0, 0, tzinfo=JKT))

    january = selected(world, date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))

    assert january == [first.registration_number, last.registration_number]


def test_another_office_cases_never_appear(world, other_world, frozen):
    """Given both offices have a service coded "data-informasi", when one office filters by it, then only
    its own case is selected."""
    own = submit(world)
    submit(other_world)

    assert selected(world) == [own.registration_number]
    assert selected(world, service_type="data-informasi") == [own.registration_number]
    assert selected(world, officer=other_world.ult.pk) == []


def test_rows_mask_the_nik_and_the_phone_and_carry_labels(world, frozen):
    """Given a case with a NIK and a mobile number, when its row is built, then the NIK and phone are masked,
    codes are labels and nothing in the row holds the full identifiers."""
    case = svc.case_submit(
        office=world.office, data=intake_data(world, urgent=False), channel=Channel.PHONE, actor=world.ult
    )

    [row] = recap_rows(recap_cases(world.office, RecapFilters()))

    assert row.registration_number == case.registration_number
    assert row.id_number == "3171********0001"
    assert row.phone == "+62812****7890"
    assert row.requester_name == "Siti Aminah"
    assert row.channel == "Telepon"
    assert row.status == "Diajukan"
    assert row.service == "Data dan informasi mutu"
    assert row.officer == "Bpmp-Dki-Ult"
    assert row.vulnerabilities == ("Penyandang disabilitas fisik", "Lanjut usia (60 tahun ke atas)")
    assert row.current_step == 2 and row.current_step_text == "Langkah 2"
    assert row.submitted_at == datetime(2025, 1, 6, 8, 0, tzinfo=JKT)
    flat = repr(asdict(row))
    assert VALID_NIK not in flat
    assert "81234567890" not in flat


def test_a_requester_without_identity_document_or_phone_shows_dashes(world, frozen):
    """Given a case without an identity document and with e-mail only, then both columns show a dash."""
    submit(world, id_type="none", nik="", no_id_reason="Hilang saat banjir", phone="", email="siti@example.id")

    [row] = recap_rows(recap_cases(world.office, RecapFilters()))

    assert (row.id_number, row.phone) == ("—", "—")


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+6281234567890", "+62812****7890"),
        ("+628123456789", "+6281****6789"),
        ("+62215551234", "+622****1234"),
        ("+6221555123", "+62****5123"),
        ("12345", "***45"),
        ("", ""),
    ],
)
def test_mask_phone_hides_at_least_four_digits(phone, masked):
    """The operator prefix and the last four digits stay; at least four digits in between are hidden."""
    assert mask_phone(phone) == masked


def test_building_rows_makes_no_query_per_case(world, frozen):
    """Given two cases and then five, when their rows are built, then the number of queries is the same."""

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            recap_rows(recap_cases(world.office, RecapFilters()))
        return len(queries)

    for _ in range(2):
        submit(world)
    few = count_queries()
    for _ in range(3):
        perform("accept", submit(world), world)

    assert count_queries() == few == 1


def test_filters_as_params_hold_only_codes_and_dates():
    """The filters become query-string values: dates as YYYY-MM-DD, the officer as a number, unset ones left out."""
    filters = RecapFilters(date_from=date(2025, 1, 1), channel="phone", officer=7)

    assert filters.as_params() == {"date_from": "2025-01-01", "channel": "phone", "officer": "7"}
    assert filters.as_query() == "date_from=2025-01-01&channel=phone&officer=7"
