from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jangkau.core.nik import NikError, parse_nik, province_codes

TODAY = date(2026, 11, 24)


def test_a_woman_adds_40_to_her_birth_day():
    facts = parse_nik("3171015203850001", today=TODAY)

    assert (facts.province, facts.birth_date, facts.female) == ("DKI Jakarta", date(1985, 3, 12), True)


def test_a_man_born_this_century():
    facts = parse_nik("3273011508100003", today=TODAY)

    assert (facts.birth_date, facts.female) == (date(2010, 8, 15), False)


def test_grouping_characters_are_ignored():
    assert parse_nik("3171 0152 0385 0001", today=TODAY).female


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("317101520385000", "length"),
        ("31710152038500011", "length"),
        ("31710152038500A1", "digits"),
        ("2071015203850001", "province"),  # 20 is no province
        ("3100015203850001", "area"),
        ("3171013202850001", "birth_date"),  # 32 February
        ("3171017203850001", "birth_date"),  # day 72 - 40 = 32
        ("3171011513850001", "birth_date"),  # month 13
        ("3171015203850000", "serial"),
    ],
)
def test_structural_errors_are_named(nik, code):
    with pytest.raises(NikError) as error:
        parse_nik(nik, today=TODAY)
    assert error.value.code == code


def test_the_papua_provinces_of_2022_are_known():
    assert {"91", "92", "93", "94", "95", "96"} <= set(province_codes())


@given(
    province=st.sampled_from(sorted(province_codes())),
    born=st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
    female=st.booleans(),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_well_formed_nik_parses_back_to_its_parts(province, born, female, serial):
    day = born.day + (40 if female else 0)
    nik = f"{province}0101{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"

    facts = parse_nik(nik, today=TODAY)

    assert (facts.birth_date, facts.female) == (born, female)


def test_a_birthday_later_in_the_year_a_century_ago_is_not_read_as_the_future():
    """On 24 November 2026, "20 12 26" cannot be 20 December 2026 (still ahead): it is 1926, a person of 99."""
    facts = parse_nik("3171012012260001", today=TODAY)

    assert facts.birth_date == date(1926, 12, 20)
