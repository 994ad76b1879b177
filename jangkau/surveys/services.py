"""Recording a filled SKM: through the requester's private link, or typed in by an officer from a paper form
or an assisted interview. One response per case; the case's step 6 ends with it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from jangkau.accounts.models import Role, User
from jangkau.audit.services import audit_record
from jangkau.cases import services as case_services
from jangkau.cases import workflow
from jangkau.cases.models import Case, Status
from jangkau.core import clock
from jangkau.core.errors import Conflict, Gone, InvalidFields, NotFound, PermissionDenied

from .answers import clean_answers
from .instrument import active_instrument
from .invitations import invitation_for_token
from .models import Invitation, Response


def _record(*, case: Case, mode: str, cleaned: dict, actor, answered_on: date | None = None) -> Response:
    """Creates the case's response and ends its step 6; one transaction and one audit event."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",), no_key=True)
            .select_related("office", "service_type")
            .get(pk=case.pk)
        )
        if Response.objects.filter(case=case).exists():
            raise Conflict(_("Survei untuk layanan ini sudah diisi. Terima kasih."), code="survey_answered")
        response = Response.objects.create(
            office=case.office,
            instrument=active_instrument(case.office),
            case=case,
            mode=mode,
            answered_on=answered_on or case_services.office_today(case.office),
            recorded_by=actor if isinstance(actor, User) else None,
            created_at=clock.now(),
            **cleaned,
        )
        if case.status == Status.DELIVERED:
            case_services.case_record_feedback(case=case, actor=actor, survey_response=response.pk, mode=mode)
        else:
            # Answered in the grace period, after the window had closed step 6: kept, and counted.
            audit_record(
                action="survey.recorded",
                actor=actor if isinstance(actor, User) else None,
                actor_label=actor if isinstance(actor, str) else None,
                case=case,
                changes={"survey_response": response.pk, "mode": mode},
            )
    return response


def survey_answer_online(*, token: str, data: dict) -> Response:
    """Records the requester's answers given through their private link.

    Raises NotFound ("survey_unknown"), Gone ("survey_closed"), Conflict ("survey_not_open",
    "survey_answered") and InvalidFields (one message per field); nothing is recorded then.
    """
    invitation = invitation_check(token)
    cleaned, errors = clean_answers(data)
    if errors:
        raise InvalidFields(errors)
    return _record(case=invitation.case, mode=Response.Mode.ONLINE, cleaned=cleaned, actor=workflow.REQUESTER)


def invitation_check(token: str) -> Invitation:
    """Returns the open invitation of ``token``. Raises NotFound (unknown link), Gone (closed), Conflict
    (answered, not open yet), each with a polite reason."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise NotFound(_("Tautan survei ini tidak dikenal. Periksa kembali tautannya."), code="survey_unknown")
    if Response.objects.filter(case_id=invitation.case_id).exists():
        raise Conflict(_("Survei untuk layanan ini sudah diisi. Terima kasih."), code="survey_answered")
    now = clock.now()
    if now < invitation.opens_at:
        raise Conflict(_("Survei ini belum dibuka."), code="survey_not_open")
    if now > invitation.closes_at:
        raise Gone(_("Waktu pengisian survei ini sudah berakhir. Terima kasih."), code="survey_closed")
    return invitation


def survey_record_by_officer(
    *, case: Case, actor: User, mode: str, data: dict, answered_on: date | None = None
) -> Response:
    """Records a paper form typed in, or an assisted interview, for a delivered case of the officer's office.

    Raises PermissionDenied, InvalidFields, Conflict ("survey_answered", "survey_not_delivered").
    """
    if mode not in (Response.Mode.PAPER, Response.Mode.ASSISTED):
        raise InvalidFields({"mode": _("Pilih cara pengisian: formulir kertas atau wawancara terbantu.")})
    if not isinstance(actor, User) or actor.office_id != case.office_id or actor.role != Role.ULT_OFFICER:
        raise PermissionDenied(_("Hanya Petugas ULT kantor ini yang dapat mencatat survei."))
    if not Invitation.objects.filter(case=case).exists():
        raise Conflict(_("Survei dibuka setelah layanan diberikan."), code="survey_not_delivered")
    cleaned, errors = clean_answers(data)
    if answered_on is not None and answered_on > case_services.office_today(case.office):
        errors["answered_on"] = _("Tanggal pengisian tidak boleh di masa depan.")
    if errors:
        raise InvalidFields(errors)
    return _record(case=case, mode=mode, cleaned=cleaned, actor=actor, answered_on=answered_on)
