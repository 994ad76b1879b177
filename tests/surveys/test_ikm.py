"""The IKM arithmetic of PermenPANRB 14/2017: worked examples, every grade boundary, Krejcie-Morgan, and a
property test against a plain reference computation."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jangkau.surveys.ikm import grade_for, ikm_from_totals, ikm_of, sample_size

CODES = [f"U{n}" for n in range(1, 10)]


@pytest.mark.parametrize(("population", "sample"), [(10, 10), (50, 44), (300, 169), (1000, 278)])
def test_krejcie_morgan_matches_the_published_table(population, sample):
    assert sample_size(population) == sample


@pytest.mark.parametrize(
    ("converted", "grade", "performance"),
    [
        ("25.00", "D", "Tidak Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("76.61", "B", "Baik"),
        ("88.30", "B", "Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("100.00", "A", "Sangat Baik"),
    ],
)
def test_each_side_of_every_grade_boundary(converted, grade, performance):
    assert grade_for(Decimal(converted)) == (grade, performance)


@pytest.mark.parametrize("converted", ["24.99", "100.01"])
def test_a_value_off_the_scale_is_refused(converted):
    with pytest.raises(ValueError):
        grade_for(Decimal(converted))


def test_a_worked_example_half_very_satisfied_half_satisfied():
    result = ikm_of([[4] * 9, [3] * 9], population_served=2)

    assert [e.nrr for e in result.elements] == [Fraction(7, 2)] * 9
    assert result.elements[0].nrr_weighted == Fraction(7, 18)
    assert result.ikm == Fraction(7, 2)
    assert (result.ikm_converted, result.grade, result.performance) == (Decimal("87.50"), "B", "Baik")
    assert (result.respondents, result.sample_required, result.sample_sufficient) == (2, 2, True)


def test_an_unanswered_element_counts_only_those_who_answered_it():
    # U9 (facilities) was skipped by the second respondent, who was served at home.
    result = ikm_of([[4, 4, 4, 4, 4, 4, 4, 4, 2], [2, 2, 2, 2, 2, 2, 2, 2, None]], population_served=10)

    assert result.elements[8].nrr == 2 and result.elements[8].answered == 1
    assert result.ikm == Fraction(8 * 3 + 2, 9)
    assert result.ikm_converted == Decimal("72.22")  # 2.8888... x 25 = 72.2222...
    assert (result.grade, result.sample_sufficient) == ("C", False)


def test_an_element_nobody_answered_leaves_the_ikm_unset():
    result = ikm_of([[4, 4, 4, 4, 4, 4, 4, 4, None]], population_served=1)

    assert (result.ikm, result.ikm_converted, result.grade) == (None, None, None)


def test_the_converted_value_is_rounded_half_up_from_the_exact_fraction():
    """5000 respondents scoring 17661 on every element: NRR 3.5322, IKM x 25 = 88.305 exactly, which rounds
    to 88.31 and is an A; one point less and it is 88.30, a B."""
    a = ikm_from_totals(codes=CODES, sums=[17661] * 9, counts=[5000] * 9, respondents=5000, population_served=9000)
    one_less = ikm_from_totals(
        codes=CODES, sums=[17661] * 8 + [17660], counts=[5000] * 9, respondents=5000, population_served=9000
    )

    assert (a.ikm, a.ikm_converted, a.grade) == (Fraction(35322, 10000), Decimal("88.31"), "A")
    assert (one_less.ikm_converted, one_less.grade) == (Decimal("88.30"), "B")
    assert a.sample_required == 368 and a.sample_sufficient


def test_a_half_hundredth_rounds_up_not_to_even():
    """Eight respondents scoring 29 on each element: IKM 3.625, converted 90.625, shown as 90.63. Python's
    round() rounds half to even and would show 90.62."""
    result = ikm_from_totals(codes=CODES, sums=[29] * 9, counts=[8] * 9, respondents=8, population_served=8)

    assert round(90.625, 2) == 90.62
    assert (result.ikm, result.ikm_converted) == (Fraction(29, 8), Decimal("90.63"))


def _reference(rows):
    """The regulation's words, done by hand: per element the mean of those who answered, the mean of the
    nine means, times 25, rounded half up to hundredths in integer arithmetic."""
    means = []
    for column in zip(*rows, strict=True):
        given_scores = [score for score in column if score is not None]
        if not given_scores:
            return None
        means.append(Fraction(sum(given_scores), len(given_scores)))
    ikm = sum(means) / 9
    hundredths = math.floor(ikm * 25 * 100 + Fraction(1, 2))
    return ikm, Decimal(hundredths) / 100


answer_sets = st.lists(
    st.lists(st.one_of(st.integers(1, 4), st.none()), min_size=9, max_size=9), min_size=1, max_size=60
)


@settings(max_examples=300, deadline=None)
@given(rows=answer_sets, population=st.integers(1, 5000))
def test_the_ikm_agrees_with_a_plain_reference(rows, population):
    result = ikm_of(rows, population_served=population)
    expected = _reference(rows)

    if expected is None:
        assert result.ikm is None
    else:
        assert (result.ikm, result.ikm_converted) == expected
        assert result.grade == grade_for(expected[1])[0]
    assert result.respondents == len(rows)
    assert result.sample_sufficient == (len(rows) >= sample_size(population))
