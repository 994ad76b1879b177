"""Data-subject requests (UU 27/2022): finding every case of a person, and answering their request for
access (an export), correction, erasure, restriction of processing or withdrawal of consent.

Who handles them: Tim PPID and the office's head (``PRIVACY_ROLES``). PPID is the office's information and
documentation officer, who in Indonesian public bodies answers requests about information the body holds,
including a person's own data; the head answers for the office as the data controller and signs refusals.
ULT officers receive requests at the front desk and pass them on, as they pass information requests to PPID
(POS step 3); they do not search across every case of a person. Administrators run the system, not its
data.

How a person is found (``subject_find``), each criterion on its own and the results together:
- NIK through its keyed hash (``Case.nik_hash``), never by decrypting identity numbers;
- phone normalised to E.164 (+62...) exactly as intake stores it, so "0812-3456-7890" finds "+6281234567890";
- name by a case-insensitive exact match of the whole name, spaces collapsed. Not "contains": a name alone
  is weak evidence, "Siti" would bring in hundreds of namesakes, and handing one of them over would disclose
  another person's data, which art. 33(b) forbids. The officer still confirms which found cases are the
  person's before they are attached to the request.
Anonymised cases are not found: they no longer hold anyone's data.

Every action runs in one transaction and writes its audit event (``privacy.*``) naming the request, kinds
and field names, never personal values. A correction writes one event per corrected case (so each case's
own history and dossier show it); an erasure writes ``privacy.erased`` plus the ``case.anonymised`` event
of each case (``privacy.anonymise.case_anonymise``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.cases.intake import NIK_MESSAGES, Text, clean_text, normalise_phone
from jangkau.cases.models import Case, Channel
from jangkau.cases.services import office_today
from jangkau.cases.vocabulary import MODES_NEEDING_ADDRESS, NIK_DOCUMENTS, IdType
from jangkau.cases.workflow import OPEN
from jangkau.core import clock
from jangkau.core.crypto import search_hash
from jangkau.core.errors import Conflict, InvalidFields, PermissionDenied
from jangkau.core.masking import mask_identifier, mask_phone
from jangkau.core.models import next_number
from jangkau.core.nik import NikError, normalise_nik, parse_nik
from jangkau.offices.models import Office

from . import deadlines
from .models import DataSubjectRequest, RequestKind, RequestStatus

PRIVACY_ROLES = frozenset({Role.PPID_MEMBER, Role.HEAD})

# UU 27/2022 was enacted on 17 October 2022: no request under it was received earlier.
EARLIEST_RECEIPT = datetime(2022, 10, 17, tzinfo=ZoneInfo("Asia/Jakarta"))

NAME_TEXT = Text(200)
NOTE_TEXT = Text(2000, multiline=True)
REPLY_TEXT = Text(300)

# What a correction may change, with the intake rules each value follows.
CORRECTABLE = ("requester_name", "id_number", "phone", "email", "address", "area")
_CORRECTION_TEXT = {
    "requester_name": Text(200),
    "id_number": Text(40),
    "phone": Text(40),
    "email": Text(254),
    "address": Text(1000, multiline=True),
    "area": Text(200),
}


# --- who may -------------------------------------------------------------------------------------------------


def privacy_may_handle(user) -> bool:
    """True for an active staff member of an office whose role handles data-subject requests."""
    return isinstance(user, User) and user.is_active and user.office_id is not None and user.role in PRIVACY_ROLES


def _check_actor(actor, office_id: int) -> None:
    if not privacy_may_handle(actor):
        raise PermissionDenied(_("Permintaan subjek data ditangani oleh Tim PPID dan Kepala kantor."))
    if actor.office_id != office_id:
        raise PermissionDenied(_("Permintaan ini milik kantor lain."))


def _audit(request: DataSubjectRequest, action: str, actor: User, changes: dict, case: Case | None = None) -> None:
    audit_record(
        action=f"privacy.{action}",
        actor=actor,
        office=request.office,
        case=case,
        changes={"request": request.number, **changes},
    )


def _text(value, spec: Text, field: str, errors: dict, *, missing: str | None = None) -> str:
    text, problem = clean_text(value, spec)
    if problem:
        errors.setdefault(field, problem)
    elif missing and not text:
        errors.setdefault(field, missing)
    return text


# --- finding a person -------------------------------------------------------------------------------------


def _clean_criteria(office: Office, nik, phone, name) -> tuple[dict, dict[str, str]]:
    """Returns ``({"nik": normalised, "phone": E.164, "name": collapsed}, errors)`` for the criteria given."""
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    if nik not in (None, ""):
        value = normalise_nik(str(nik))
        try:
            parse_nik(value, today=office_today(office))
        except NikError as exc:
            errors["nik"] = str(NIK_MESSAGES[exc.code])
        else:
            cleaned["nik"] = value
    if phone not in (None, ""):
        text, problem = clean_text(phone, Text(40))
        if problem:
            errors["phone"] = problem
        else:
            try:
                cleaned["phone"] = normalise_phone(text)
            except ValueError as exc:
                errors["phone"] = exc.args[0]
    if name not in (None, ""):
        text, problem = clean_text(name, NAME_TEXT)
        if problem:
            errors["name"] = problem
        elif text:
            cleaned["name"] = text
    if not cleaned and not errors:
        errors["nik"] = _("Isi paling sedikit satu: NIK, nomor telepon, atau nama lengkap.")
    return cleaned, errors


def _find(office: Office, criteria: dict) -> QuerySet[Case]:
    match = Q()
    if "nik" in criteria:
        match |= Q(nik_hash=search_hash(criteria["nik"], purpose="nik"))
    if "phone" in criteria:
        match |= Q(phone=criteria["phone"])
    if "name" in criteria:
        match |= Q(requester_name__iexact=criteria["name"])
    return (
        Case.objects.filter(office=office, anonymised_at__isnull=True)
        .filter(match)
        .select_related("service_type")
        .order_by("submitted_at", "id")
    )


def subject_find(*, office: Office, nik: str | None = None, phone: str | None = None, name: str | None = None):
    """Returns the office's cases (not anonymised) that match any of the criteria given, oldest first: the
    NIK by its keyed hash, the phone normalised like intake, the whole name case-insensitively.

    Raises InvalidFields ("nik", "phone", "name") for a value that cannot be a NIK or an Indonesian phone
    number, or when no criterion is given.
    """
    criteria, errors = _clean_criteria(office, nik, phone, name)
    if errors:
        raise InvalidFields(errors)
    return _find(office, criteria)


def masked_criteria(criteria: dict) -> dict:
    """Returns what a request keeps of its search: the kinds used and masked forms, never a clear value."""
    kept: dict = {"by": [kind for kind in ("nik", "phone", "name") if kind in criteria]}
    if "nik" in criteria:
        kept["nik"] = mask_identifier(criteria["nik"])
    if "phone" in criteria:
        kept["phone"] = mask_phone(criteria["phone"])
    if "name" in criteria:
        kept["name"] = mask_identifier(criteria["name"])
    return kept


# --- recording a request ----------------------------------------------------------------------------------


def subject_request_open(
    *,
    office: Office,
    actor: User,
    kind: str,
    channel: str,
    requester_name: str,
    identity_check: str,
    received_at: datetime | None = None,
    nik: str | None = None,
    phone: str | None = None,
    name: str | None = None,
    cases: list[Case] | None = None,
    details: str = "",
    reply_to: str = "",
) -> DataSubjectRequest:
    """Records a data subject's request, received at ``received_at`` (default now; earlier moments allowed,
    future ones not), with the cases of the person: those of ``cases`` (each must be among what the
    criteria find), or all found when ``cases`` is None. Its answer is due 3 x 24 hours after receipt
    (``deadlines``). Writes ``privacy.request_opened``.

    Raises PermissionDenied (role or office), InvalidFields keyed by the argument names; nothing is recorded
    then.
    """
    _check_actor(actor, office.pk)
    errors: dict[str, str] = {}
    if kind not in RequestKind.values:
        errors["kind"] = _("Pilih jenis permintaan.")
    if channel not in Channel.values:
        errors["channel"] = _("Pilih saluran permintaan.")
    requester_name = _text(requester_name, NAME_TEXT, "requester_name", errors, missing=_("Tulis nama pemohon."))
    identity_check = _text(
        identity_check,
        NOTE_TEXT,
        "identity_check",
        errors,
        missing=_("Tulis bagaimana identitas pemohon diperiksa, misalnya KTP asli dicocokkan dengan data kasus."),
    )
    details = _text(details, NOTE_TEXT, "details", errors)
    reply_to = _text(reply_to, REPLY_TEXT, "reply_to", errors)
    now = clock.now()
    if received_at is None:
        received_at = now
    elif not isinstance(received_at, datetime) or received_at.tzinfo is None:
        errors["received_at"] = _("Tulis tanggal dan jam permintaan diterima.")
    elif received_at > now:
        errors["received_at"] = _("Waktu diterima tidak boleh di masa depan.")
    elif received_at < EARLIEST_RECEIPT:
        errors["received_at"] = _("Waktu diterima tidak boleh sebelum UU 27/2022 berlaku (17 Oktober 2022).")
    criteria, criteria_errors = _clean_criteria(office, nik, phone, name)
    errors.update(criteria_errors)
    found: list[Case] = []
    if not criteria_errors:
        found = list(_find(office, criteria))
        if cases is not None:
            found_ids = {case.pk for case in found}
            chosen_ids = {case.pk for case in cases}
            if not chosen_ids <= found_ids:
                errors["cases"] = _("Pilih hanya kasus yang ditemukan dengan kriteria pencarian ini.")
            found = [case for case in found if case.pk in chosen_ids]
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic(), clock.frozen_at(now):
        year = now.astimezone(ZoneInfo(office.time_zone)).year
        request = DataSubjectRequest.objects.create(
            office=office,
            number=f"PDP-{year}-{next_number(f'subject-request:{office.pk}:{year}'):04d}",
            kind=kind,
            received_at=received_at,
            channel=channel,
            requester_name=requester_name,
            identity_check=identity_check,
            details=details,
            reply_to=reply_to,
            criteria=masked_criteria(criteria),
            due_at=deadlines.due_at(kind, received_at),
            opened_by=actor,
            created_at=now,
        )
        request.cases.set(found)
        _audit(request, "request_opened", actor, {"kind": kind, "by": request.criteria["by"], "cases": len(found)})
    return request


def _locked(request: DataSubjectRequest, actor: User) -> DataSubjectRequest:
    """Returns the request re-read under a row lock, after checking the actor. Must run in a transaction."""
    _check_actor(actor, request.office_id)
    return DataSubjectRequest.objects.select_for_update(of=("self",)).select_related("office").get(pk=request.pk)


def _require_open(request: DataSubjectRequest, kind: str | None = None) -> None:
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("Permintaan ini sudah dijawab."), code="request_closed")
    if kind is not None and request.kind != kind:
        raise Conflict(
            _("Tindakan ini hanya untuk permintaan jenis “%(kind)s”.") % {"kind": RequestKind(kind).label},
            code="wrong_kind",
        )


def _answer(request: DataSubjectRequest, actor: User, status: str, outcome: str, refused_reason: str = "") -> None:
    request.status = status
    request.responded_at = clock.now()
    request.handled_by = actor
    request.outcome = outcome
    request.refused_reason = refused_reason
    request.save(update_fields=["status", "responded_at", "handled_by", "outcome", "refused_reason"])


def _answer_changes(request: DataSubjectRequest) -> dict:
    return {
        "kind": request.kind,
        "status": request.status,
        "response_minutes": request.response_minutes,
        "overdue": request.is_overdue(clock.now()),
    }


# --- access: the export -----------------------------------------------------------------------------------


def subject_export_file(
    *, request: DataSubjectRequest, actor: User, file_format: str, include_internal_notes: bool = False
):
    """Returns the person's data as one file (``file_format`` "json" or "pdf"): see ``export``. Records the
    export (``privacy.exported``, format and number of cases) and its moment on the request.

    Raises PermissionDenied, Conflict (a refused request), InvalidFields ("format").
    """
    from . import export

    if file_format not in export.CONTENT_TYPES:
        raise InvalidFields({"format": _("Pilih format JSON atau PDF.")})
    with transaction.atomic(), clock.frozen_at(clock.now()):
        request = _locked(request, actor)
        if request.status == RequestStatus.REFUSED:
            raise Conflict(_("Permintaan ini ditolak; datanya tidak diekspor."), code="request_refused")
        payload = export.export_payload(request, include_internal_notes=include_internal_notes)
        content = export.render(payload, file_format)
        request.exported_at = clock.now()
        request.save(update_fields=["exported_at"])
        _audit(
            request,
            "exported",
            actor,
            {"format": file_format, "cases": len(payload["cases"]), "internal_notes": include_internal_notes},
        )
    return export.ExportFile(content, export.CONTENT_TYPES[file_format], export.filename(request, file_format))


def subject_export(
    *, request: DataSubjectRequest, actor: User, include_internal_notes: bool = False
) -> tuple[bytes, bytes]:
    """Returns ``(json_bytes, pdf_bytes)``: every case of the request's person with all its personal and
    case data, and nobody else's (``export``). One transaction, one ``privacy.exported`` event."""
    from . import export

    with transaction.atomic(), clock.frozen_at(clock.now()):
        request = _locked(request, actor)
        if request.status == RequestStatus.REFUSED:
            raise Conflict(_("Permintaan ini ditolak; datanya tidak diekspor."), code="request_refused")
        payload = export.export_payload(request, include_internal_notes=include_internal_notes)
        json_bytes, pdf_bytes = export.render(payload, "json"), export.render(payload, "pdf")
        request.exported_at = clock.now()
        request.save(update_fields=["exported_at"])
        _audit(
            request,
            "exported",
            actor,
            {"format": "json+pdf", "cases": len(payload["cases"]), "internal_notes": include_internal_notes},
        )
    return json_bytes, pdf_bytes


# --- correction -------------------------------------------------------------------------------------------


def _clean_changes(changes: dict, cases: list[Case], office: Office) -> tuple[dict, dict[str, dict], dict[str, str]]:
    """Returns ``(common, per_case, errors)``: the cleaned values shared by every case, and the identity
    number's values per case (a NIK for NIK documents, the text otherwise)."""
    errors: dict[str, str] = {}
    common: dict = {}
    per_case: dict[str, dict] = {}
    if not isinstance(changes, dict) or not changes:
        return common, per_case, {"changes": _("Tulis paling sedikit satu data yang diperbaiki.")}
    unknown = [key for key in changes if key not in CORRECTABLE]
    if unknown:
        errors["changes"] = _("Data ini tidak dapat diperbaiki di sini: %(fields)s. Yang dapat: %(allowed)s.") % {
            "fields": ", ".join(map(str, unknown)),
            "allowed": ", ".join(CORRECTABLE),
        }
        return common, per_case, errors
    for field, raw in changes.items():
        text, problem = clean_text(raw, _CORRECTION_TEXT[field])
        if problem:
            errors[field] = problem
            continue
        if field == "requester_name":
            if not text:
                errors[field] = _("Tulis nama lengkap.")
            common[field] = text
        elif field == "phone":
            if text:
                try:
                    text = normalise_phone(text)
                except ValueError as exc:
                    errors[field] = exc.args[0]
            common[field] = text
        elif field == "email":
            if text:
                try:
                    validate_email(text)
                except ValidationError:
                    errors[field] = _("Alamat surel tidak valid. Tulis seperti nama@contoh.id.")
            common[field] = text
        elif field == "address":
            needing = [case.registration_number for case in cases if case.delivery_mode in MODES_NEEDING_ADDRESS]
            if not text and needing:
                errors[field] = _("Alamat diperlukan untuk cara layanan kasus %(numbers)s.") % {
                    "numbers": ", ".join(needing)
                }
            common[field] = text
        elif field == "area":
            common[field] = text
        elif field == "id_number":
            _clean_id_number(text, cases, office, per_case, errors)
    for case in cases:
        phone = common.get("phone", case.phone)
        email = common.get("email", case.email)
        if not phone and not email and "phone" not in errors and "email" not in errors:
            errors["phone"] = _("Kasus %(number)s harus tetap punya nomor telepon atau surel.") % {
                "number": case.registration_number
            }
            break
    return common, per_case, errors


def _clean_id_number(text: str, cases: list[Case], office: Office, per_case: dict, errors: dict) -> None:
    for case in cases:
        if case.id_document_type in NIK_DOCUMENTS:
            nik = normalise_nik(text)
            if not nik:
                errors["id_number"] = _("Tulis NIK, 16 angka yang tertera pada kartu.")
                return
            try:
                parse_nik(nik, today=office_today(office))
            except NikError as exc:
                errors["id_number"] = str(NIK_MESSAGES[exc.code])
                return
            per_case[case.registration_number] = {
                "id_document_number": nik,
                "nik_hash": search_hash(nik, purpose="nik"),
            }
        elif case.id_document_type == IdType.NONE:
            errors["id_number"] = _(
                "Kasus %(number)s tidak mencatat dokumen identitas; nomornya tidak dapat diperbaiki di sini."
            ) % {"number": case.registration_number}
            return
        else:
            if not text:
                errors["id_number"] = _("Tulis nomor dokumen identitas.")
                return
            per_case[case.registration_number] = {"id_document_number": text, "nik_hash": ""}


def subject_correct(
    *, request: DataSubjectRequest, actor: User, cases: list[Case] | None = None, changes: dict
) -> list[Case]:
    """Corrects the person's data on ``cases`` (default: every case of the request) and returns them.

    ``changes`` maps field names of ``CORRECTABLE`` to new values, checked with intake's rules: the name is
    required, the phone is normalised (+62...), the e-mail must be valid, an identity number of a NIK
    document must be a structurally valid NIK (its keyed hash is recomputed), a case keeps a phone or an
    e-mail, and an address stays where the delivery mode needs one. All cases change or none.

    Writes one ``privacy.corrected`` event per case (field names only). Raises PermissionDenied, Conflict
    (request answered, not a correction request, an anonymised case), InvalidFields keyed by field name
    ("cases" for a case not in the request, "changes" for nothing or unknown fields); nothing changes then.
    """
    with transaction.atomic(), clock.frozen_at(clock.now()):
        request = _locked(request, actor)
        _require_open(request, RequestKind.CORRECTION)
        attached = {case.pk: case for case in request.cases.select_for_update(of=("self",), no_key=True)}
        if cases is None:
            targets = list(attached.values())
        else:
            if not cases or any(case.pk not in attached for case in cases):
                raise InvalidFields({"cases": _("Pilih kasus dari permintaan ini.")})
            targets = [attached[case.pk] for case in cases]
        if not targets:
            raise InvalidFields({"cases": _("Permintaan ini tidak memiliki kasus untuk diperbaiki.")})
        if any(case.anonymised_at for case in targets):
            raise Conflict(_("Kasus yang sudah dianonimkan tidak dapat diperbaiki."), code="anonymised")
        common, per_case, errors = _clean_changes(changes, targets, request.office)
        if errors:
            raise InvalidFields(errors)
        fields = sorted(changes)
        for case in targets:
            updates = {**common, **per_case.get(case.registration_number, {})}
            for field, value in updates.items():
                setattr(case, field, value)
            case.save(update_fields=list(updates))
            _audit(request, "corrected", actor, {"fields": fields}, case=case)
        request.corrected_at = clock.now()
        request.save(update_fields=["corrected_at"])
    return targets


# --- erasure, restriction, withdrawal, closing ------------------------------------------------------------


def subject_erase(*, request: DataSubjectRequest, actor: User, outcome: str = "") -> DataSubjectRequest:
    """Anonymises every case of an erasure request (``privacy.anonymise.case_anonymise``, one
    ``case.anonymised`` event each; already anonymised cases are left as they are) and answers the request
    as done. Writes ``privacy.erased``. All or nothing.

    Raises PermissionDenied, Conflict (request answered, not an erasure request, or a case still being
    served: cancel or finish it first, so the service is not left without the data it needs),
    InvalidFields ("outcome").
    """
    from .anonymise import case_anonymise

    errors: dict[str, str] = {}
    outcome = _text(outcome, NOTE_TEXT, "outcome", errors)
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic(), clock.frozen_at(clock.now()):
        request = _locked(request, actor)
        _require_open(request, RequestKind.ERASURE)
        cases = list(request.cases.select_for_update(of=("self",), no_key=True).order_by("submitted_at", "id"))
        running = [case.registration_number for case in cases if case.status in OPEN and not case.anonymised_at]
        if running:
            raise Conflict(
                _("Kasus %(numbers)s masih berjalan. Batalkan atau selesaikan dahulu, lalu hapus datanya.")
                % {"numbers": ", ".join(running)},
                code="case_open",
            )
        erased = 0
        for case in cases:
            if case.anonymised_at is None:
                case_anonymise(case=case, actor=actor, reason="erasure")
                erased += 1
        _answer(request, actor, RequestStatus.DONE, outcome or _("Data pribadi pada semua kasus telah dihapus."))
        _audit(request, "erased", actor, {"cases": len(cases), "anonymised": erased, **_answer_changes(request)})
    return request


def _record_only(
    *, request: DataSubjectRequest, actor: User, outcome: str, kind: str, action: str
) -> DataSubjectRequest:
    errors: dict[str, str] = {}
    outcome = _text(outcome, NOTE_TEXT, "outcome", errors, missing=_("Tulis apa yang telah dilakukan."))
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic(), clock.frozen_at(clock.now()):
        request = _locked(request, actor)
        _require_open(request, kind)
        _answer(request, actor, RequestStatus.DONE, outcome)
        _audit(request, action, actor, _answer_changes(request))
    return request


def subject_restrict(*, request: DataSubjectRequest, actor: User, outcome: str) -> DataSubjectRequest:
    """Records that processing of the person's data was postponed or restricted as asked (art. 41) and
    answers the request as done; ``outcome`` says what was done. Writes ``privacy.restricted``.

    Jangkau records the answer and its deadline; the restriction itself is the office's to apply (for
    instance not contacting the person, or cancelling a case at their wish). Raises PermissionDenied,
    Conflict, InvalidFields ("outcome").
    """
    return _record_only(
        request=request, actor=actor, outcome=outcome, kind=RequestKind.RESTRICTION, action="restricted"
    )


def subject_withdraw(*, request: DataSubjectRequest, actor: User, outcome: str) -> DataSubjectRequest:
    """Records that processing based on the person's consent stopped (art. 40) and answers the request as
    done; ``outcome`` says what was done (a running case is cancelled through the case's own action). Writes
    ``privacy.consent_withdrawn``. Raises PermissionDenied, Conflict, InvalidFields ("outcome")."""
    return _record_only(
        request=request, actor=actor, outcome=outcome, kind=RequestKind.WITHDRAWAL, action="consent_withdrawn"
    )


def subject_request_close(
    *, request: DataSubjectRequest, actor: User, status: str, outcome: str = "", refused_reason: str = ""
) -> DataSubjectRequest:
    """Answers the request: "done" for an access request once exported, or a correction request; "refused"
    for any kind with the reason (art. 33 for access, e.g. it would disclose another person's data).
    Erasure, restriction and withdrawal are answered "done" by their own actions. Records the answer's
    moment, so the response time and whether it was late follow. Writes ``privacy.request_closed``.

    Raises PermissionDenied, Conflict (already answered, not exported yet, an action of its own),
    InvalidFields ("status", "outcome", "refused_reason").
    """
    errors: dict[str, str] = {}
    if status not in (RequestStatus.DONE, RequestStatus.REFUSED):
        errors["status"] = _("Pilih selesai atau ditolak.")
    outcome = _text(outcome, NOTE_TEXT, "outcome", errors)
    refused_reason = _text(refused_reason, NOTE_TEXT, "refused_reason", errors)
    if status == RequestStatus.REFUSED and not refused_reason and "refused_reason" not in errors:
        errors["refused_reason"] = _("Tulis alasan penolakan.")
    if status == RequestStatus.DONE and not outcome and "outcome" not in errors:
        errors["outcome"] = _("Tulis jawaban yang diberikan kepada pemohon.")
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic(), clock.frozen_at(clock.now()):
        request = _locked(request, actor)
        _require_open(request)
        if status == RequestStatus.DONE:
            if request.kind in (RequestKind.ERASURE, RequestKind.RESTRICTION, RequestKind.WITHDRAWAL):
                raise Conflict(
                    _("Permintaan jenis ini diselesaikan dengan tindakannya sendiri."), code="use_kind_action"
                )
            if request.kind == RequestKind.ACCESS and request.exported_at is None:
                raise Conflict(_("Ekspor data pemohon dahulu, lalu selesaikan permintaan."), code="not_exported")
        else:
            outcome = outcome or refused_reason
        _answer(request, actor, status, outcome, refused_reason if status == RequestStatus.REFUSED else "")
        _audit(request, "request_closed", actor, _answer_changes(request))
    return request


# --- reading ----------------------------------------------------------------------------------------------


def subject_requests_for(office: Office) -> list[DataSubjectRequest]:
    """Returns the office's requests: open ones first, nearest deadline first, then answered ones, newest
    answer first."""
    requests = DataSubjectRequest.objects.filter(office=office).prefetch_related("cases")
    open_ = list(requests.filter(status=RequestStatus.OPEN).order_by("due_at", "id"))
    answered = list(requests.exclude(status=RequestStatus.OPEN).order_by("-responded_at", "-id"))
    return open_ + answered
