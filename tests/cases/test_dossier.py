"""The case dossier for the archive (issue 6 item 4): a case that went through every step, with the clock
moved between the steps, printed with each step's times and actors, its schedule, delivery, survey,
reassignment and letter, and its audit events with the result of verifying the whole chain. Masked by
default; the unmasked dossier is a logged personal-data view; every download is audited."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.db import transaction

from jangkau.audit.models import AuditEvent
from jangkau.audit.services import ChainProblem, audit_redact_case, verify_chain
from jangkau.cases import services as svc
from jangkau.cases.dossier import (
    ChainCheck,
    chain_sentence,
    change_summary,
    dossier_export,
    dossier_gather,
    problem_words,
    standard_words,
)
from jangkau.cases.models import Case, Status
from jangkau.core import clock
from jangkau.core.errors import Gone, InvalidFields, PermissionDenied
from jangkau.scheduling.absences import absence_record
from jangkau.scheduling.models import Absence
from jangkau.surveys.services import survey_record_by_officer
from tests.builders import VALID_NIK, case_in, submit
from tests.conftest import JKT
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

EMAIL = "siti.aminah@contoh.id"
ADDRESS = "Jl. Kenanga No. 5, Cempaka Putih"
DISABILITY = "Pengguna kursi roda"
PHONE_STORED = "+6281234567890"
PHONE_DIGITS = "81234567890"
SURVEY = {
    **{f"u{n}": 4 for n in range(1, 10)},
    "u3": 3,
    "sex": "P",
    "age": 67,
    "education": "sma",
    "occupation": "other",
    "suggestion": "Petugas sabar sekali",
}


def compact(text: str) -> str:
    """The text without any whitespace: table cells wrap at spaces and hyphens in the PDF."""
    return re.sub(r"\s+", "", text)


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=JKT)


@pytest.fixture
def served(world, frozen):
    """A case walked through all eight steps at known moments (Monday 6 and Tuesday 7 January 2025):

    08.00 submitted; 08.03 accepted (ULT); 08.05 forwarded; 08.18 result (PPID: 15 minutes against 10, a
    breach PPID explains); 08.20 a failed contact attempt; 08.22 scheduled for Tuesday 09.00 at the
    requester's address; 08.30 the officer's absence moves the case to ult2 with letter 001/ULT/ST/2025;
    08.40 rescheduled to Tuesday 10.00; Tuesday 10.04 delivered (ult2); 11.00 an assisted survey; 11.03
    recapped; 11.07 closed by the head with the evaluation.
    """
    case = submit(world, email=EMAIL)
    clock.advance(timedelta(minutes=3))
    svc.case_accept(case=case, actor=world.ult)
    clock.advance(timedelta(minutes=2))
    svc.case_forward_to_ppid(case=case, actor=world.ult, ppid_member=world.ppid, note="Mohon data mutu SD")
    clock.advance(timedelta(minutes=13))
    svc.case_record_result(case=case, actor=world.ppid, summary="Rapor mutu 2025")
    late = case.steps.get(step_no=3)
    svc.step_explain_breach(step=late, actor=world.ppid, explanation="Data tersebar di dua unit")
    clock.advance(timedelta(minutes=2))
    svc.case_record_contact_attempt(case=case, actor=world.ult, channel="phone", result="no_answer")
    clock.advance(timedelta(minutes=2))
    svc.case_schedule(case=case, actor=world.ult, starts_at=at(7, 9, 0), mode="visit", place=ADDRESS)
    clock.advance(timedelta(minutes=8))
    _absence, letter = absence_record(
        office=world.office,
        officer=world.ult,
        kind=Absence.Kind.SICK,
        starts_on=date(2025, 1, 6),
        ends_on=date(2025, 1, 8),
        delegate=world.ult2,
        reason="Sakit",
        actor=world.head,
    )
    clock.advance(timedelta(minutes=10))
    svc.case_reschedule(
        case=case, actor=world.ult2, starts_at=at(7, 10, 0), mode="visit", place=ADDRESS, reason="Minta lebih siang"
    )
    with clock.frozen_at(at(7, 10, 4)):
        svc.case_deliver(case=case, actor=world.ult2, notes="Rapor diserahkan dan dijelaskan", office_cost=25000)
    with clock.frozen_at(at(7, 11, 0)):
        survey_record_by_officer(case=case, actor=world.ult2, mode="assisted", data=SURVEY)
    with clock.frozen_at(at(7, 11, 3)):
        svc.case_recap_feedback(case=case, actor=world.ult2)
    with clock.frozen_at(at(7, 11, 7)):
        case = svc.case_close(
            case=case,
            actor=world.head,
            need_met="met",
            mode_right=True,
            accommodations_provided="provided",
            evaluation="Kursi roda disiapkan, berjalan baik",
        )
    assert case.status == Status.CLOSED
    case.letter_number = letter.number
    return case


# --- what it gathers --------------------------------------------------------------------------------------


def test_each_step_has_its_times_actors_worked_minutes_and_pos_standard(world, served):
    dossier = dossier_gather(served, viewer=world.head)

    steps = {step.no: step for step in dossier.steps}
    assert sorted(steps) == list(range(1, 9))
    expected = {
        # no: (opened, done, worked minutes, done by, standard)
        2: ("06/01/2025 08.00", "06/01/2025 08.03", 3, "Bpmp-Dki-Ult (bpmp-dki-ult)", "5 menit"),
        3: ("06/01/2025 08.03", "06/01/2025 08.18", 15, "Bpmp-Dki-Ppid (bpmp-dki-ppid)", "10 menit"),
        4: ("06/01/2025 08.18", "06/01/2025 08.22", 4, "Bpmp-Dki-Ult (bpmp-dki-ult)", "5 menit"),
        5: ("07/01/2025 10.00", "07/01/2025 10.04", 4, "Bpmp-Dki-Ult2 (bpmp-dki-ult2)", "10 menit"),
        7: ("07/01/2025 11.00", "07/01/2025 11.03", 3, "Bpmp-Dki-Ult2 (bpmp-dki-ult2)", "5 menit"),
        8: ("07/01/2025 11.03", "07/01/2025 11.07", 4, "Bpmp-Dki-Head (bpmp-dki-head)", "5 menit"),
    }
    for no, (opened, done, minutes, by, standard) in expected.items():
        step = steps[no]
        assert (step.opened_at, step.done_at, step.worked_minutes, step.done_by, step.standard) == (
            opened,
            done,
            minutes,
            by,
            standard,
        ), no
        assert step.pos_output and step.pos_output != "—"
    assert steps[1].done_by == "Pemohon"
    # The assisted interview was typed in by the officer, who so finished the requester's step 6.
    assert (steps[6].done_at, steps[6].done_by) == ("07/01/2025 11.00", "Bpmp-Dki-Ult2 (bpmp-dki-ult2)")
    assert steps[6].standard.endswith("hari kerja")
    # Step 5 was the first officer's until the absence moved it.
    assert steps[5].responsible == "Bpmp-Dki-Ult2 (bpmp-dki-ult2)"
    assert [b.no for b in dossier.breaches] == [3]
    assert dossier.breaches[0].breach_explanation == "Data tersebar di dua unit"
    assert dossier.breaches[0].explained.startswith("Bpmp-Dki-Ppid")


def test_the_history_around_the_steps_is_gathered(world, served):
    dossier = dossier_gather(served, viewer=world.head)

    assert [(a["at"], a["result"]) for a in dossier.contact_attempts] == [("06/01/2025 08.20", "Tidak dijawab")]
    assert [(a["starts_at"], a["state"]) for a in dossier.appointments] == [
        ("07/01/2025 09.00", "Dijadwalkan ulang 06/01/2025 08.40"),
        ("07/01/2025 10.00", "Berlaku"),
    ]
    delivery = dict(dossier.delivery)
    assert delivery["Diberikan"] == "07/01/2025 10.04"
    assert delivery["Biaya yang ditanggung kantor"].startswith("Rp25.000")
    survey = dict(dossier.survey)
    assert survey["Wawancara terbantu"] == "Ya"
    assert [(a.code, a.value) for a in dossier.survey_answers][:3] == [("U1", 4), ("U2", 4), ("U3", 3)]
    assert [(h["name"], h["how"]) for h in dossier.holdings] == [
        ("Bpmp-Dki-Ult (bpmp-dki-ult)", "Menerima permohonan"),
        ("Bpmp-Dki-Ppid (bpmp-dki-ppid)", "Diteruskan kepadanya"),
        ("Bpmp-Dki-Ult2 (bpmp-dki-ult2)", "Dialihkan kepadanya"),
    ]
    assert [letter["number"] for letter in dossier.letters] == [served.letter_number]
    evaluation = dict(dossier.evaluation)
    assert evaluation["Kebutuhan terpenuhi"] == "Terpenuhi"
    assert evaluation["Cara layanan tepat"] == "Ya"
    assert evaluation["Akomodasi disediakan"] == "Semua disediakan"
    actions = [e.action for e in dossier.events]
    assert actions[:3] == ["case.submit", "case.accept", "case.forward_to_ppid"]
    assert "case.reassign" in actions and actions[-1] == "case.close"
    assert dossier.chain.intact and dossier.chain.checked == AuditEvent.objects.count()


def test_the_dossier_reads_a_fixed_number_of_queries(world, served, django_assert_max_num_queries):
    """However long the history, the queries do not grow with it (the chain check reads in batches)."""
    with django_assert_max_num_queries(30):
        dossier_gather(served, viewer=world.head)


# --- the PDF ------------------------------------------------------------------------------------------------


def test_the_pdf_shows_every_step_with_its_times_and_actors_and_the_chain_result(world, served):
    export = dossier_export(case=served, actor=world.head)

    assert export.content_type == "application/pdf"
    assert export.filename == f"berkas-kasus-{served.registration_number}.pdf"
    text = compact(pdf_text(export.content))
    for moment in [
        "06/01/2025 08.00",
        "06/01/2025 08.03",
        "06/01/2025 08.18",
        "06/01/2025 08.22",
        "07/01/2025 10.00",
        "07/01/2025 10.04",
        "07/01/2025 11.00",
        "07/01/2025 11.03",
        "07/01/2025 11.07",
    ]:
        assert compact(moment) in text, moment
    for actor in [world.ult, world.ult2, world.ppid, world.head]:
        assert compact(f"{actor.get_full_name()} ({actor.username})") in text
    for words in [
        "15 menit",  # step 3's worked time
        "Data tersebar di dua unit",  # its explanation
        served.letter_number,
        "Dijadwalkan ulang 06/01/2025 08.40",
        "Wawancara terbantu",
        "Kursi roda disiapkan, berjalan baik",
        "case.close",
    ]:
        assert compact(words) in text, words
    checked = AuditEvent.objects.count() - 1  # the download's own event is written after the check
    assert compact(f"Rantai jejak audit utuh: diperiksa {checked} peristiwa, tidak ada masalah.") in text


def test_the_masked_dossier_holds_no_clear_identifier_and_its_download_is_audited(world, served):
    before = AuditEvent.objects.count()

    export = dossier_export(case=served, actor=world.ppid)

    text = compact(pdf_text(export.content))
    for raw in [VALID_NIK, PHONE_STORED, PHONE_DIGITS, EMAIL, ADDRESS, DISABILITY, "67 tahun"]:
        assert compact(raw) not in text, raw
    assert compact("3171********0001") in text
    assert compact("+62812****7890") in text
    assert compact("s**********@contoh.id") in text
    # The forwarding note is free text in the trail: its name is printed, not its words.
    assert compact("Mohon data mutu SD") not in text
    [event] = AuditEvent.objects.filter(seq__gt=before)
    assert (event.action, event.actor, event.case_id) == ("case.dossier_exported", world.ppid, served.pk)
    assert event.changes["masked"] is True and event.changes["chain_intact"] is True
    assert list(verify_chain()) == []


def test_the_unmasked_dossier_needs_a_purpose_and_is_logged_like_a_personal_data_view(world, served):
    before = AuditEvent.objects.count()

    with pytest.raises(InvalidFields) as refused:
        dossier_export(case=served, actor=world.ult, unmasked=True, purpose="   ")
    assert "purpose" in refused.value.errors
    assert AuditEvent.objects.count() == before

    export = dossier_export(case=served, actor=world.ult, unmasked=True, purpose="Salinan untuk pemohon")

    text = compact(pdf_text(export.content))
    for raw in [VALID_NIK, PHONE_STORED, EMAIL, ADDRESS, DISABILITY, "Salinan untuk pemohon"]:
        assert compact(raw) in text, raw
    assert export.filename.endswith("-lengkap.pdf")
    viewed, exported = AuditEvent.objects.filter(seq__gt=before).order_by("seq")
    assert viewed.action == "case.personal_data_viewed" and viewed.actor == world.ult
    assert viewed.changes["purpose"].startswith("Salinan untuk pemohon")
    assert (exported.action, exported.changes["masked"]) == ("case.dossier_exported", False)


def test_a_tampered_chain_is_reported_in_the_dossier(world, served):
    """Someone with database access rewrites who made an event of the case: the dossier names the event."""
    target = AuditEvent.objects.filter(case=served, action="case.accept").get()
    # QuerySet.update bypasses the model's append-only save(), as a direct write to the table would.
    AuditEvent.objects.filter(pk=target.pk).update(actor_label="someone-else")

    dossier = dossier_gather(served, viewer=world.head)
    export = dossier_export(case=served, actor=world.head)

    assert not dossier.chain.intact
    assert dossier.chain.problems == ((target.seq, f"Peristiwa #{target.seq}: isinya berubah sejak dicatat"),)
    assert [e.problem for e in dossier.events if e.problem] == [dossier.chain.problems[0][1]]
    text = compact(pdf_text(export.content))
    assert compact("Rantai jejak audit TIDAK utuh") in text
    assert compact(f"Peristiwa #{target.seq}: isinya berubah sejak dicatat") in text
    assert compact("Rantai jejak audit utuh") not in text
    exported = AuditEvent.objects.filter(action="case.dossier_exported").get()
    assert exported.changes["chain_intact"] is False


def test_another_offices_staff_cannot_have_the_dossier(world, other_world, frozen):
    case = case_in("accepted", world)

    with pytest.raises(PermissionDenied):
        dossier_export(case=case, actor=other_world.head)
    assert not AuditEvent.objects.filter(action="case.dossier_exported").exists()


def test_a_case_early_in_its_life_prints_too(world, frozen):
    """A just-submitted case has open steps, no schedule, no delivery and no survey: all said plainly."""
    case = submit(world)

    export = dossier_export(case=case, actor=world.admin)

    text = compact(pdf_text(export.content))
    assert compact("Belum ada jadwal layanan.") in text
    assert compact("Belum ada jawaban survei.") in text
    assert compact("berjalan") in text


def test_an_anonymised_case_keeps_its_masked_dossier_but_has_nothing_to_unmask(world, frozen):
    """After an anonymisation erased the payloads of the case's events, the chain still verifies, the
    erased events say so, and the unmasked dossier is refused before anything is built or logged."""
    case = case_in("closed", world)
    with transaction.atomic():
        audit_redact_case(case=case, action="case.anonymised", actor_label="system", changes={})
    Case.objects.filter(pk=case.pk).update(anonymised_at=clock.now())
    before = AuditEvent.objects.count()

    with pytest.raises(Gone):
        dossier_export(case=case, actor=world.head, unmasked=True, purpose="Salinan")
    assert AuditEvent.objects.count() == before
    dossier = dossier_gather(case, viewer=world.head)

    assert dossier.chain.intact
    forwarded = next(e for e in dossier.events if e.action == "case.forward_to_ppid")
    assert forwarded.summary.endswith("[dianonimkan 06/01/2025 08.00]")
    assert "Mohon data mutu SD" not in forwarded.summary
    assert dict(dossier.request)["Data pribadi dianonimkan"] == "06/01/2025 08.00"


# --- the pure helpers ---------------------------------------------------------------------------------------


def test_change_summaries_hide_free_text_and_personal_fields_when_masked():
    changes = {"status": ["accepted", "with_ppid"], "ppid_member": "ani", "note": "NIK 3171015203850001"}

    assert change_summary(changes, masked=True) == "status: Diterima → Diproses Tim PPID; ppid_member: ani; note"
    assert "3171015203850001" in change_summary(changes, masked=False)
    assert change_summary({"channel": "+6281234567890", "result": "no_answer"}, masked=True) == (
        "channel; result: no_answer"
    )
    assert change_summary({}, masked=True) == "—"


def test_chain_results_in_words():
    assert problem_words(ChainProblem(7, "does not link to the previous event")) == (
        "Peristiwa #7: tidak tersambung ke peristiwa sebelumnya"
    )
    assert problem_words(ChainProblem(9, "missing (deleted?); next present event is #11")) == (
        "Peristiwa #9: hilang (dihapus?); peristiwa berikutnya yang ada #11"
    )
    assert problem_words(ChainProblem(4, "content erased without a recorded anonymisation")) == (
        "Peristiwa #4: isinya dihapus tanpa anonimisasi yang tercatat"
    )
    assert chain_sentence(ChainCheck(checked=12, last_seq=12, problems=())) == (
        "Rantai jejak audit utuh: diperiksa 12 peristiwa, tidak ada masalah."
    )
    assert "ditemukan 1 masalah" in chain_sentence(ChainCheck(12, 12, ((3, "x"),)))


def test_standard_times_in_words():
    assert standard_words(5, None) == "5 menit"
    assert standard_words(None, 3) == "3 hari kerja"
    assert standard_words(None, None) == "—"
