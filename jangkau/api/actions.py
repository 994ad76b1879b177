"""The case actions the API offers: each name of ``workflow.TRANSITIONS`` mapped to its service call.

Absent body fields are passed as empty values, so the service, not the API, decides what is required
and says so in its own words (InvalidInput, 422).
"""

from __future__ import annotations

from collections.abc import Callable

from jangkau.accounts.models import User
from jangkau.cases import services as svc
from jangkau.cases.models import Case

from .schemas import ActionIn

ActionCall = Callable[[Case, User, ActionIn], Case]


def _text(value: str | None) -> str:
    return value or ""


def _colleague(actor: User, username: str | None) -> User | None:
    # Looked up inside the actor's office only: a username from another office reads as unknown, and
    # the service answers "choose someone from this office" for None.
    if not username:
        return None
    return User.objects.filter(office_id=actor.office_id, username=username).first()


def _team(actor: User, usernames: list[str] | None) -> list[User | None] | None:
    """Returns the users named by ``usernames`` inside the actor's office, in the order given, with None for
    a name the office does not know (the service refuses the list with its "officers" field error). None or
    an empty list leaves the team to the service's default."""
    if not usernames:
        return None
    known = {user.username: user for user in User.objects.filter(office_id=actor.office_id, username__in=usernames)}
    return [known.get(name) for name in dict.fromkeys(usernames)]


ACTIONS: dict[str, ActionCall] = {
    "request_info": lambda case, user, body: svc.case_request_info(case=case, actor=user, missing=_text(body.missing)),
    "provide_info": lambda case, user, body: svc.case_provide_info(case=case, actor=user, note=_text(body.note)),
    "reject": lambda case, user, body: svc.case_reject(
        case=case, actor=user, reason=_text(body.reason), referral=_text(body.referral)
    ),
    "accept": lambda case, user, body: svc.case_accept(case=case, actor=user),
    "forward_to_ppid": lambda case, user, body: svc.case_forward_to_ppid(
        case=case, actor=user, ppid_member=_colleague(user, body.ppid_member), note=_text(body.note)
    ),
    "record_result": lambda case, user, body: svc.case_record_result(
        case=case, actor=user, summary=_text(body.summary), document_tokens=body.document_tokens
    ),
    "add_note": lambda case, user, body: (svc.case_add_note(case=case, actor=user, body=_text(body.body)), case)[1],
    "extend_information_deadline": lambda case, user, body: svc.case_extend_information_deadline(
        case=case, actor=user, days=body.days, reason=_text(body.reason), notice=_text(body.notice)
    ),
    "cancel_appointment": lambda case, user, body: svc.case_cancel_appointment(
        case=case, actor=user, reason=_text(body.reason), notice=_text(body.notice)
    ),
    "record_contact_attempt": lambda case, user, body: svc.case_record_contact_attempt(
        case=case, actor=user, channel=_text(body.channel), result=_text(body.result), notes=_text(body.notes)
    ),
    "mark_unreachable": lambda case, user, body: svc.case_mark_unreachable(case=case, actor=user),
    "resume_contact": lambda case, user, body: svc.case_resume_contact(case=case, actor=user, note=_text(body.note)),
    "schedule": lambda case, user, body: svc.case_schedule(
        case=case,
        actor=user,
        starts_at=body.starts_at,
        mode=_text(body.mode),
        place=_text(body.place),
        notes=_text(body.notes),
        officers=_team(user, body.officers),
        accommodations=body.accommodations,
    ),
    "reschedule": lambda case, user, body: svc.case_reschedule(
        case=case,
        actor=user,
        starts_at=body.starts_at,
        mode=_text(body.mode),
        reason=_text(body.reason),
        place=_text(body.place),
        officers=_team(user, body.officers),
        accommodations=body.accommodations,
    ),
    # Offered for completeness of the table; the requester asks through the public API, staff get 403.
    "request_reschedule": lambda case, user, body: svc.case_request_reschedule(
        case=case, actor=user, reason=_text(body.reason)
    ),
    "deliver": lambda case, user, body: svc.case_deliver(
        case=case,
        actor=user,
        notes=_text(body.notes),
        mode=_text(body.mode),
        documents_handed_over=_text(body.documents_handed_over),
        office_cost=body.office_cost if body.office_cost is not None else 0,
        office_cost_note=_text(body.office_cost_note),
        proof_token=body.proof_token or None,
    ),
    "record_feedback": lambda case, user, body: svc.case_record_feedback(case=case, actor=user, note=_text(body.note)),
    "expire_feedback": lambda case, user, body: svc.case_expire_feedback(case=case, actor=user),
    "recap_feedback": lambda case, user, body: svc.case_recap_feedback(case=case, actor=user),
    "close": lambda case, user, body: svc.case_close(
        case=case,
        actor=user,
        need_met=_text(body.need_met),
        mode_right=body.mode_right,
        accommodations_provided=_text(body.accommodations_provided),
        evaluation=_text(body.evaluation),
        late_explanation=_text(body.late_explanation),
    ),
    "cancel": lambda case, user, body: svc.case_cancel(case=case, actor=user, reason=_text(body.reason)),
    "reassign": lambda case, user, body: svc.case_reassign(
        case=case, actor=user, to=_colleague(user, body.to), reason=_text(body.reason)
    ),
}
