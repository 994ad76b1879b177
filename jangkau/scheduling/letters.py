"""The assignment letter (surat penugasan) as a PDF, made by WeasyPrint from an HTML template.

It lists the moved cases by registration number, service and current step only: no NIK, no address, no
contact details, since the letter is printed, signed and passed around the office.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from jangkau.core.pdf import html_to_pdf

from .models import AssignmentLetter


@dataclass(frozen=True)
class LetterCase:
    registration_number: str
    service: str
    current_step: str


def letter_cases(letter: AssignmentLetter) -> list[LetterCase]:
    """Returns the letter's cases in registration order with their service and the step now open."""
    rows = []
    cases = letter.cases.select_related("service_type").prefetch_related("steps").order_by("registration_number")
    for case in cases:
        open_steps = sorted((s for s in case.steps.all() if s.done_at is None), key=lambda s: s.step_no)
        step = f"{open_steps[0].step_no}. {open_steps[0].activity}" if open_steps else case.get_status_display()
        service = case.service_type.display_name if case.service_type_id else ""
        rows.append(LetterCase(case.registration_number, service, str(step)))
    return rows


def letter_context(letter: AssignmentLetter) -> dict:
    return {
        "letter": letter,
        "office": letter.office,
        "absence": letter.absence,
        "cases": letter_cases(letter),
    }


def assignment_letter_html(letter: AssignmentLetter) -> str:
    return render_to_string("scheduling/assignment_letter.html", letter_context(letter))


def assignment_letter_pdf(letter: AssignmentLetter) -> bytes:
    return html_to_pdf(assignment_letter_html(letter))
