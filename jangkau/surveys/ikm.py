"""The Indeks Kepuasan Masyarakat of PermenPANRB 14/2017, as pure arithmetic (DOMAIN.md "SKM").

Offices publish this number, so it is computed exactly: every NRR and the IKM are fractions (no float ever
enters), and only what is shown is rounded, half up, as the regulation's worked examples do. The recap and
the reports add up the answers in the database and hand the totals to ``ikm_from_totals``; ``ikm_of`` does
the adding for a list of answer sets (tests, imports).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ELEMENTS = 9
WEIGHT = Fraction(1, ELEMENTS)
CONVERSION = 25

# (lowest converted value, grade, performance), highest first. The converted value is compared after
# rounding to two decimals: 88.305 rounds to 88.31 and is an A.
GRADES = [
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
]


@dataclass(frozen=True)
class ElementScore:
    code: str
    answered: int
    nrr: Fraction | None  # None when nobody answered the element
    nrr_weighted: Fraction | None


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: list[ElementScore]
    ikm: Fraction | None  # 1-4 scale, exact; None while an element has no answer
    ikm_converted: Decimal | None  # 25-100 scale, rounded to two decimals
    grade: str | None
    performance: str | None
    population_served: int
    sample_required: int
    sample_sufficient: bool


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Returns ``value`` rounded half up to ``places`` decimals, from the exact fraction (no float)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    # 28 significant digits are far beyond what a sum of a few million small integers needs.
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grade_for(converted: Decimal) -> tuple[str, str]:
    """Returns (grade, performance) for a converted IKM rounded to two decimals. Raises ValueError outside
    25.00-100.00."""
    if not Decimal("25.00") <= converted <= Decimal("100.00"):
        raise ValueError(f"a converted IKM lies between 25 and 100, not {converted}")
    for lowest, grade, performance in GRADES:
        if converted >= lowest:
            return grade, performance
    raise AssertionError("unreachable")  # pragma: no cover


def sample_size(population: int) -> int:
    """Returns the Krejcie-Morgan sample for ``population`` people served (chi-square 3.841, P 0.5, d 0.05).

    s = 3.841·N·0.25 ÷ (0.0025·(N−1) + 3.841·0.25), rounded to the nearest whole respondent, half up. DOMAIN.md
    says "rounded up", but its own examples (and Krejcie and Morgan's published table: N=50 -> 44, where
    rounding up would give 45) round to the nearest; the examples win.
    """
    if population <= 0:
        return 0
    chi, p, d = Fraction("3.841"), Fraction(1, 4), Fraction("0.05")
    exact = chi * population * p / (d * d * (population - 1) + chi * p)
    return int(round_half_up(exact, 0))


def ikm_from_totals(
    *, codes: Sequence[str], sums: Sequence[int], counts: Sequence[int], respondents: int, population_served: int
) -> IkmResult:
    """Returns the IKM from each element's sum of scores and number of answers (in ``codes`` order)."""
    if not len(codes) == len(sums) == len(counts) == ELEMENTS:
        raise ValueError("the SKM has nine elements")
    elements = []
    for code, total, answered in zip(codes, sums, counts, strict=True):
        nrr = Fraction(total, answered) if answered else None
        elements.append(ElementScore(code, answered, nrr, nrr * WEIGHT if nrr is not None else None))
    complete = all(element.nrr is not None for element in elements)
    ikm = sum((element.nrr_weighted for element in elements), Fraction(0)) if complete else None
    converted = round_half_up(ikm * CONVERSION, 2) if ikm is not None else None
    grade, performance = grade_for(converted) if converted is not None else (None, None)
    required = sample_size(population_served)
    return IkmResult(
        respondents=respondents,
        elements=elements,
        ikm=ikm,
        ikm_converted=converted,
        grade=grade,
        performance=performance,
        population_served=population_served,
        sample_required=required,
        sample_sufficient=respondents >= required,
    )


def ikm_of(
    answers: Iterable[Sequence[int | None]], *, population_served: int, codes: Sequence[str] | None = None
) -> IkmResult:
    """Returns the IKM of answer sets: nine scores each, 1-4, or None for an element left unanswered."""
    sums, counts, respondents = [0] * ELEMENTS, [0] * ELEMENTS, 0
    for row in answers:
        if len(row) != ELEMENTS:
            raise ValueError("each answer set has nine scores")
        respondents += 1
        for index, score in enumerate(row):
            if score is None:
                continue
            if score not in (1, 2, 3, 4):
                raise ValueError(f"a score is 1 to 4, not {score!r}")
            sums[index] += score
            counts[index] += 1
    return ikm_from_totals(
        codes=codes or [f"U{n}" for n in range(1, ELEMENTS + 1)],
        sums=sums,
        counts=counts,
        respondents=respondents,
        population_served=population_served,
    )
