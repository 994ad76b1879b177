"""Absences and assignment letters: the open cases move to the delegate, the letter is numbered per office
and year, its PDF names what it must and nothing personal, and bad input records nothing."""

from datetime import date, datetime
from io import BytesIO

import pytest
from PIL import Image

from jangkau.audit.models import AuditEvent
from jangkau.cases.models import Status
from jangkau.core import clock
from jangkau.core.errors import InvalidFields, PermissionDenied
from jangkau.scheduling.absences import absence_record, letter_attach_signed_scan, signed_scan_bytes
from jangkau.scheduling.letters import assignment_letter_pdf
from jangkau.scheduling.models import Absence, AssignmentLetter
from tests.builders import VALID_NIK, case_in
from tests.conftest import JKT
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def record(world, **overrides):
    args = {
        "office": world.office,
        "officer": world.ult,
        "kind": Absence.Kind.LEAVE,
        "starts_on": date(2025, 1, 7),
        "ends_on": date(2025, 1, 10),
        "delegate": world.ult2,
        "reason": "Cuti tahunan",
        "actor": world.head,
    }
    args.update(overrides)
    return absence_record(**args)


def png_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_open_cases_and_their_open_steps_move_to_the_delegate(world, frozen):
    """Every open case the absent officer holds, and each open officer step, passes to the delegate."""
    # Given two open cases and one closed case held by the officer
    accepted = case_in(Status.ACCEPTED, world)
    ready = case_in(Status.READY_TO_SCHEDULE, world)
    closed = case_in(Status.CLOSED, world)
    # When the head records the officer's leave
    absence, letter = record(world)
    # Then the open cases and their open officer steps are the delegate's
    for case in (accepted, ready):
        case.refresh_from_db()
        assert case.assigned_to == world.ult2
        open_steps = case.steps.filter(done_at__isnull=True, is_officer_step=True)
        assert open_steps.exists()
        assert set(open_steps.values_list("responsible", flat=True)) == {world.ult2.pk}
        # And the case's history names both holders
        event = AuditEvent.objects.get(case=case, action="case.reassign")
        assert event.changes["assigned_to"] == [world.ult.username, world.ult2.username]
        assert letter.number in event.changes["reason"]
    # And the closed case stays with the officer
    closed.refresh_from_db()
    assert closed.assigned_to == world.ult
    assert not AuditEvent.objects.filter(case=closed, action="case.reassign").exists()
    # And the letter lists exactly the moved cases
    assert set(letter.cases.all()) == {accepted, ready}
    assert (letter.from_officer, letter.to_officer, letter.signer, letter.absence) == (
        world.ult,
        world.ult2,
        world.head,
        absence,
    )
    # And the absence has one audit event of its own
    event = AuditEvent.objects.get(action="absence.record")
    assert event.changes["letter"] == letter.number
    assert sorted(event.changes["cases"]) == sorted([accepted.registration_number, ready.registration_number])


def test_letters_are_numbered_per_office_and_year(world, other_world, frozen):
    """Each office counts its own letters, from 001, and starts again in a new year."""
    # Given two absences in one office and one in another, in January 2025
    _a, first = record(world)
    _b, second = record(world, officer=world.ult2, delegate=world.ult)
    _c, elsewhere = record(other_world, officer=other_world.ult, delegate=other_world.ult2, actor=other_world.head)
    # When a year passes
    with clock.frozen_at(datetime(2026, 1, 5, 9, 0, tzinfo=JKT)):
        _d, next_year = record(world, starts_on=date(2026, 1, 6), ends_on=date(2026, 1, 6))
    # Then the numbers follow the office's own count per year
    assert first.number == "001/ULT/ST/2025"
    assert second.number == "002/ULT/ST/2025"
    assert elsewhere.number == "001/ULT/ST/2025"
    assert next_year.number == "001/ULT/ST/2026"
    assert first.issued_on == date(2025, 1, 6)


def test_the_pdf_names_the_number_both_officers_and_every_moved_case(world, frozen):
    """The letter's text holds its title, number, both officers, the head and each moved case; no NIK."""
    # Given a letter moving two cases
    cases = [case_in(Status.SUBMITTED, world, full_name="Siti Aminah"), case_in(Status.WITH_PPID, world)]
    for case in cases:
        case.assigned_to = world.ult
        case.save(update_fields=["assigned_to"])
    world.ult.first_name, world.ult.last_name = "Budi", "Santoso"
    world.ult.save()
    _absence, letter = record(world, reason="Dinas ke Bogor")
    # When the PDF is made
    pdf = assignment_letter_pdf(letter)
    text = pdf_text(pdf).replace("\n", " ")
    # Then it reads as the letter
    assert pdf.startswith(b"%PDF-")
    for expected in (
        "SURAT PENUGASAN",
        letter.number,
        "Budi Santoso",
        str(world.ult2),
        str(world.head),
        world.office.name,
        "Dinas ke Bogor",
        *(case.registration_number for case in cases),
    ):
        assert expected in text, expected
    # And it holds nothing that identifies the requesters
    assert VALID_NIK not in text
    assert "Siti Aminah" not in text


def test_the_pdf_fetches_nothing(world, frozen):
    """A URL typed into the reason is text, never fetched while rendering."""
    _absence, letter = record(world, reason='<img src="http://example.invalid/x.png"> https://example.invalid')
    text = pdf_text(assignment_letter_pdf(letter))
    assert "example.invalid" in text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": date(2025, 1, 6), "starts_on": date(2025, 1, 8)}, "ends_on"),
        ({"delegate": "self"}, "delegate"),
        ({"delegate": "ppid"}, "delegate"),
        ({"delegate": "other_office"}, "delegate"),
        ({"delegate": "inactive"}, "delegate"),
        ({"officer": "ppid"}, "officer"),
        ({"kind": "holiday"}, "kind"),
        ({"reason": "   "}, "reason"),
    ],
)
def test_invalid_input_records_nothing(world, other_world, frozen, overrides, field):
    """Dates out of order, a wrong delegate or officer, an unknown kind or no reason: nothing changes."""
    # Given an open case held by the officer
    case = case_in(Status.ACCEPTED, world)
    people = {
        "self": world.ult,
        "ppid": world.ppid,
        "other_office": other_world.ult,
        "inactive": world.ult2,
    }
    if overrides.get("delegate") == "inactive":
        world.ult2.is_active = False
        world.ult2.save()
    overrides = {key: people.get(value, value) if isinstance(value, str) else value for key, value in overrides.items()}
    # When the absence is recorded
    with pytest.raises(InvalidFields) as caught:
        record(world, **overrides)
    # Then the error names the field, and nothing was recorded or moved
    assert field in caught.value.errors
    assert not Absence.objects.exists() and not AssignmentLetter.objects.exists()
    case.refresh_from_db()
    assert case.assigned_to == world.ult
    assert not AuditEvent.objects.filter(action__in=["absence.record", "case.reassign"]).exists()


@pytest.mark.parametrize("who", ["ult", "ppid", "admin", "other_head"])
def test_only_the_offices_head_records(world, other_world, frozen, who):
    """Officers (even about themselves), PPID, the administrator and another office's head are refused."""
    actor = other_world.head if who == "other_head" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        record(world, actor=actor)
    assert not Absence.objects.exists()


def test_a_failure_while_moving_cases_gives_the_number_back(world, frozen, monkeypatch):
    """One transaction: when a move fails midway, no absence, letter, number or move is kept."""
    case_in(Status.ACCEPTED, world)
    case_in(Status.WITH_PPID, world)
    import jangkau.scheduling.absences as absences

    real = absences.case_reassign
    calls = []

    def fail_second(**kwargs):
        calls.append(kwargs["case"])
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(absences, "case_reassign", fail_second)
    with pytest.raises(RuntimeError):
        record(world)
    assert not Absence.objects.exists()
    assert not AuditEvent.objects.filter(action="case.reassign").exists()
    monkeypatch.setattr(absences, "case_reassign", real)
    _absence, letter = record(world)
    assert letter.number == "001/ULT/ST/2025"


def test_the_signed_scan_is_checked_and_stored(world, frozen):
    """A real PNG is stored encrypted and marks the letter signed; the upload is audited."""
    _absence, letter = record(world)
    content = png_bytes()
    letter = letter_attach_signed_scan(letter=letter, filename="../ttd.png", content=content, actor=world.head)
    letter.refresh_from_db()
    assert letter.signed_at == clock.now()
    assert signed_scan_bytes(letter) == content
    assert (letter.signed_scan_type, letter.signed_scan_name) == ("image/png", "ttd.png")
    assert AuditEvent.objects.get(action="assignment_letter.signed_scan").changes["letter"] == letter.number


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"%PDF-1.4 truncated",
        b"\x89PNG\r\n\x1a\nnot really",
        b"MZ\x90\x00" * 10,
        b"%PDF-" + b"0" * (5 * 1024 * 1024),
    ],
    ids=["empty", "truncated-pdf", "fake-png", "exe", "too-big"],
)
def test_the_signed_scan_refuses_bad_files(world, frozen, content):
    """Empty, disguised, unknown or oversized files are refused; the letter stays unsigned."""
    _absence, letter = record(world)
    with pytest.raises(InvalidFields) as caught:
        letter_attach_signed_scan(letter=letter, filename="ttd.pdf", content=content, actor=world.head)
    assert "signed_scan" in caught.value.errors
    letter.refresh_from_db()
    assert letter.signed_at is None and letter.signed_scan == ""


def test_only_the_head_attaches_the_scan(world, frozen):
    """The officer cannot mark their own letter signed."""
    _absence, letter = record(world)
    with pytest.raises(PermissionDenied):
        letter_attach_signed_scan(letter=letter, filename="t.png", content=png_bytes(), actor=world.ult)
