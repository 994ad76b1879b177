"""Anonymising a case (UU 27/2022): its personal data goes, its statistics stay.

Two callers share this: the retention command (``manage.py apply_retention``, a case closed longer ago than
the office's ``retention_years``) and a data-subject erasure request. Both end with a case that still counts
in every report (status, dates, service, channel, vulnerability categories, area, delivery mode,
accommodations, step records with their times, breaches and explanations, the closing evaluation, the survey
answers, the office's cost) but no longer says who the person was.

What goes, and why (the rule: whatever the person gave, and whatever was written *about* them):

- On the case: the name (a placeholder, since the field is required), identity number and its search hash,
  the reason for having no identity document, phone, e-mail, address, disability details, the need and the
  urgency reason in their own words, the companion's name and relation; the delivery notes, the documents
  handed over and the result summary (officers write them about this person: "diantar ke rumah Bu ...");
  a cancellation reason the requester wrote themselves; the idempotency key and its fingerprint (a keyed
  hash of the submitted data, NIK included). The private tracking code is replaced by a random value that
  no typed code can match (typed codes are upper-cased, the new one is lower case), so the tracking page
  and the public API answer as for an unknown case.
- Every ``CaseDocument`` is deleted: powers of attorney, the data the requester sent, proofs of delivery
  (a signed receipt or a photo of the person) and also PPID's results. A result is prepared for this one
  requester (their data extract, their legalised copy, a letter addressed to them); the office keeps its
  sources in its own systems, and the audit trail still records how many documents were attached.
- The requester's messages (body and preferred times), the office's written notices to them, the internal
  notes between ULT and PPID, the notes of contact attempts, the appointments' place (often the home
  address) and notes (a reschedule's reason), and the reason of step 2's pauses (what the officer asked
  the person for).

What stays, and why: the area (a district, not an address; the periodic evaluation counts volumes by it),
the identity document's *type* (a category), and officer text about the office's own work that the periodic
evaluation reads: the rejection reason and referral, an officer's cancellation reason, breach explanations,
the information-deadline extension reason, an appointment's cancellation reason, the closing evaluation.
Also the registration number (the office's record number) and the survey response (anonymous by design:
answers, respondent profile and suggestion, with no name).

The audit trail is append-only and hash-chained: the case's earlier events keep their place, action, actor
and codes; only their free text and source address are erased, through ``audit.services.audit_redact_case``,
which the chain is built to allow and the anonymisation event records.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from jangkau.accounts.models import User
from jangkau.audit.services import SYSTEM, audit_redact_case
from jangkau.cases.models import Case, CaseDocument, CaseNote, RequesterMessage, RequesterNotice, StepPause
from jangkau.core import clock
from jangkau.core.errors import InvalidInput, PermissionDenied
from jangkau.notifications.models import Message
from jangkau.scheduling.models import Appointment, ContactAttempt

# What a scrubbed required or descriptive text becomes. Stored data, not a page string, so it is not
# translated when written (a page may translate it when it shows it).
PLACEHOLDER = "Dianonimkan"

AUDIT_ACTION = "case.anonymised"

# Case fields emptied (contact details, identifiers and the encrypted columns: these become "", not a
# placeholder, so no ciphertext remains).
_BLANKED = (
    "id_document_number",
    "nik_hash",
    "phone",
    "email",
    "address",
    "disability_details",
    "companion_name",
    "companion_relation",
    "idempotency_fingerprint",
)
# Case fields that always hold a value (required by the form): replaced by the placeholder.
_ALWAYS_REPLACED = ("requester_name", "need")
# Free text that may name or describe the person: replaced by the placeholder when it held anything, so the
# case still shows that something had been written.
_REPLACED_WHEN_SET = ("no_id_reason", "urgent_reason", "delivery_notes", "documents_handed_over", "result_summary")


def _unmatchable_tracking_code() -> str:
    # Lower case never equals a typed code (``selectors.normalise_code`` upper-cases it); 19 characters fit
    # the column, and 72 random bits keep it unique.
    return "x" + secrets.token_hex(9)


def _requester_wrote_cancellation(case: Case) -> bool:
    """True when the requester (not an officer) gave the cancellation reason: the cancel event then has no
    staff actor (and records only that a reason was given, ``cases.services.case_cancel``)."""
    return case.audit_events.filter(action="case.cancel", actor__isnull=True).exists()


def _scrub_case(case: Case) -> list[str]:
    changed: list[str] = []

    def put(field: str, value) -> None:
        if getattr(case, field) != value:
            setattr(case, field, value)
            changed.append(field)

    for field in _ALWAYS_REPLACED:
        put(field, PLACEHOLDER)
    for field in _BLANKED:
        put(field, "")
    for field in _REPLACED_WHEN_SET:
        if getattr(case, field):
            put(field, PLACEHOLDER)
    if case.cancellation_reason and _requester_wrote_cancellation(case):
        put("cancellation_reason", PLACEHOLDER)
    put("idempotency_key", None)
    if not case.tracking_code.islower():
        case.tracking_code = _unmatchable_tracking_code()
        changed.append("tracking_code")
    if changed:
        case.save(update_fields=changed)
    return changed


def _scrub_rows(rows, values: dict, *, keep_empty: tuple[str, ...] = ()) -> bool:
    """Sets ``values`` on each row of ``rows`` where they differ; a field listed in ``keep_empty`` is left
    alone while empty (an optional note nobody wrote stays empty). Returns whether any row changed."""
    any_changed = False
    for row in rows:
        fields = [
            field
            for field, value in values.items()
            if getattr(row, field) != value and not (field in keep_empty and not getattr(row, field))
        ]
        for field in fields:
            setattr(row, field, values[field])
        if fields:
            row.save(update_fields=fields)
            any_changed = True
    return any_changed


def anonymise_case_data(case: Case) -> list[str]:
    """Scrubs every personal datum of ``case`` and of its related rows, in place, and returns the names of
    what was scrubbed: case field names, and for related rows "documents", "requester_messages",
    "notices", "notes", "contact_attempts", "appointments", "step_pauses", "messages". Returns [] when nothing was left
    to scrub.

    Must run inside the caller's transaction with the case row locked (``select_for_update``). It neither
    sets ``case.anonymised_at`` nor writes the audit event: the calling service does both (see
    ``case_anonymise``). See the module's docstring for what goes and what stays.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("anonymise_case_data must run inside the caller's transaction")
    scrubbed = _scrub_case(case)
    deleted, _by_model = CaseDocument.objects.filter(case=case).delete()
    if deleted:
        scrubbed.append("documents")
    related = [
        ("requester_messages", RequesterMessage.objects.filter(case=case), {"body": "", "preferred_times": ""}, ()),
        ("notices", RequesterNotice.objects.filter(case=case), {"body": PLACEHOLDER}, ()),
        ("notes", CaseNote.objects.filter(case=case), {"body": ""}, ()),
        ("contact_attempts", ContactAttempt.objects.filter(case=case), {"notes": PLACEHOLDER}, ("notes",)),
        (
            "appointments",
            Appointment.objects.filter(case=case),
            {"place": "", "notes": PLACEHOLDER},
            ("notes",),
        ),
        # Only step 2's pauses hold an officer's words to the person (what data was missing); the others
        # hold fixed texts ("Pemohon tidak dapat dihubungi").
        ("step_pauses", StepPause.objects.filter(step__case=case, step__step_no=2), {"reason": PLACEHOLDER}, ()),
        # Messages about the case: the requester's address and every body (a forwarding note may name the
        # person); the delivery record itself (event, channel, status, times) stays for the statistics.
        ("messages", Message.objects.filter(case=case, recipient_user=None), {"address": "", "body": PLACEHOLDER}, ()),
        ("messages", Message.objects.filter(case=case, recipient_user__isnull=False), {"body": PLACEHOLDER}, ()),
    ]
    for name, rows, values, keep_empty in related:
        if _scrub_rows(rows, values, keep_empty=keep_empty) and name not in scrubbed:
            scrubbed.append(name)
    return scrubbed


def case_anonymise(*, case: Case, actor: User | str, reason: str) -> Case:
    """Anonymises ``case`` (``anonymise_case_data``), sets ``anonymised_at``, erases the personal payload of
    the case's earlier audit events and writes one audit event ``case.anonymised`` with
    ``{"reason": reason, "fields": [names], "redacted_events": [numbers]}`` (names only, never values); one
    transaction, with the case row locked. Returns the case.

    An already anonymised case is returned unchanged, with no event: running it again is harmless.
    ``actor`` is a staff user of the case's office or ``"system"`` (the retention command); ``reason`` is a
    short code such as "retention" or "erasure_request". Raises PermissionDenied, InvalidInput.
    """
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Alasan anonimisasi wajib diisi."))
    if isinstance(actor, str) and actor != SYSTEM:
        raise PermissionDenied(_("Hanya staf kantor atau sistem yang dapat menganonimkan data."))
    with transaction.atomic(), clock.frozen_at(clock.now()):
        case = Case.objects.select_for_update(of=("self",), no_key=True).get(pk=case.pk)
        if isinstance(actor, User) and (actor.office_id != case.office_id or not actor.is_active):
            raise PermissionDenied(_("Kasus ini milik kantor lain."))
        if case.anonymised_at is not None:
            return case
        fields = anonymise_case_data(case)
        case.anonymised_at = clock.now()
        case.save(update_fields=["anonymised_at"])
        # The one event of this action also erases the free text and source addresses of the case's earlier
        # events (officers may have named the person in a delivery note) and lists them; the chain still
        # verifies, since it links each payload's keyed digest (``audit.services.audit_redact_case``).
        audit_redact_case(
            case=case,
            action=AUDIT_ACTION,
            actor=actor if isinstance(actor, User) else None,
            actor_label=actor if isinstance(actor, str) else None,
            changes={"reason": reason, "fields": fields},
        )
    return case
