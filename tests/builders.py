"""Builders for tests: an office with its POS and staff, and cases walked into any status through the
real services (so a factory state is always one the workflow can reach)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from jangkau.accounts.models import Role, User
from jangkau.api.samples import VALID_NIK, intake_request  # noqa: F401  (tests import VALID_NIK from here)
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Channel
from jangkau.cases.sla import information_due
from jangkau.cases.vocabulary import IdType
from jangkau.cases.workflow import PATH_TO_STATUS
from jangkau.core import clock
from jangkau.offices.calendar import calendar_for
from jangkau.offices.models import DEFAULT_HOURS, Office, OfficeHours, ServiceType
from jangkau.procedures.services import procedure_ensure_default
from jangkau.scheduling.models import ContactAttempt

# A structurally valid NIK: DKI Jakarta (31), a woman born 12 March 1985 (day 12 + 40 = 52).


@dataclass
class World:
    office: Office
    ult: User
    ult2: User
    ppid: User
    head: User
    admin: User
    service: ServiceType

    def actor_for(self, role: str):
        return {
            Role.ULT_OFFICER: self.ult,
            Role.PPID_MEMBER: self.ppid,
            Role.HEAD: self.head,
            Role.ADMIN: self.admin,
        }.get(role, role)


def make_office(code: str = "bpmp-dki", name: str = "BPMP Provinsi DKI Jakarta") -> Office:
    office = Office.objects.create(code=code, name=name)
    OfficeHours.objects.bulk_create(
        OfficeHours(office=office, weekday=day, opens=opens, closes=closes)
        for day, (opens, closes) in DEFAULT_HOURS.items()
    )
    procedure_ensure_default(office=office)
    return office


def make_staff(office: Office, role: str, username: str) -> User:
    return User.objects.create_user(
        username=username, password="kata-sandi-uji-123", office=office, role=role, first_name=username.title()
    )


def make_world(code: str = "bpmp-dki") -> World:
    office = make_office(code)
    service = ServiceType.objects.create(office=office, code="data-informasi", name="Data dan informasi mutu")
    return World(
        office=office,
        ult=make_staff(office, Role.ULT_OFFICER, f"{code}-ult"),
        ult2=make_staff(office, Role.ULT_OFFICER, f"{code}-ult2"),
        ppid=make_staff(office, Role.PPID_MEMBER, f"{code}-ppid"),
        head=make_staff(office, Role.HEAD, f"{code}-head"),
        admin=make_staff(office, Role.ADMIN, f"{code}-admin"),
        service=service,
    )


def intake_data(world: World, **overrides) -> dict:
    data = intake_request(service=world.service, id_type=IdType.KTP)
    data.update(overrides)
    return data


def submit(world: World, **overrides) -> Case:
    return svc.case_submit(office=world.office, data=intake_data(world, **overrides), channel=Channel.WEB)


def add_failed_attempts(case: Case, world: World, count: int = 3) -> None:
    """Records a failed contact attempt on each of the ``count`` latest working days up to now (the rule
    counts different working days, not tries)."""
    cal = calendar_for(world.office)
    moment = clock.now()
    recorded = 0
    while recorded < count:
        window = cal.window(moment.astimezone(cal.tz).date())
        if window is not None:
            ContactAttempt.objects.create(
                case=case,
                channel="phone",
                attempted_at=min(moment, window[1] - timedelta(minutes=1)),
                result=ContactAttempt.Result.NO_ANSWER,
                officer=world.ult,
            )
            recorded += 1
        moment -= timedelta(days=1)


# How to reach each status from a fresh submission: the path of actions, in order.
PATHS = PATH_TO_STATUS


def perform(action: str, case: Case, world: World, actor=None) -> Case:
    """Runs ``action`` on ``case`` with valid arguments, as ``actor`` (default: a role the table allows).

    Preconditions that are not part of the transition table (failed contact attempts, an ended survey
    window) are arranged directly, so that only the table decides whether the move is allowed.
    """
    from jangkau.cases.workflow import TRANSITIONS

    if actor is None:
        roles = TRANSITIONS[action].roles
        preferred = [r for r in ("requester", Role.ULT_OFFICER, Role.PPID_MEMBER, Role.HEAD, "system") if r in roles]
        actor = world.actor_for(preferred[0])
    future = clock.now() + timedelta(days=1)
    calls = {
        "request_info": lambda: svc.case_request_info(case=case, actor=actor, missing="Foto KTP"),
        "provide_info": lambda: svc.case_provide_info(case=case, actor=actor, note="Sudah dikirim"),
        "reject": lambda: svc.case_reject(case=case, actor=actor, reason="Di luar layanan", referral="Disdukcapil"),
        "accept": lambda: svc.case_accept(case=case, actor=actor),
        "forward_to_ppid": lambda: svc.case_forward_to_ppid(
            case=case, actor=actor, ppid_member=world.ppid, note="Mohon data mutu SD"
        ),
        "record_result": lambda: svc.case_record_result(case=case, actor=actor, summary="Rapor mutu 2025"),
        "add_note": lambda: (svc.case_add_note(case=case, actor=actor, body="Data 2025 sudah ada?"), reload(case))[1],
        "extend_information_deadline": lambda: (
            make_public_information(case, world),
            svc.case_extend_information_deadline(
                case=case,
                actor=actor,
                days=7,
                reason="Data tersebar di tiga unit",
                notice="Jawaban kami kirim 7 hari kerja lagi",
            ),
        )[1],
        "cancel_appointment": lambda: svc.case_cancel_appointment(
            case=case, actor=actor, reason="Petugas sakit", notice="Jadwal dibatalkan; kami akan menghubungi Anda lagi"
        ),
        "record_contact_attempt": lambda: svc.case_record_contact_attempt(
            case=case, actor=actor, channel="phone", result="no_answer"
        ),
        "mark_unreachable": lambda: (
            add_failed_attempts(case, world),
            svc.case_mark_unreachable(case=case, actor=actor),
        )[1],
        "resume_contact": lambda: svc.case_resume_contact(case=case, actor=actor, note="Pemohon menelepon"),
        "schedule": lambda: svc.case_schedule(
            case=case, actor=actor, starts_at=future, mode="visit", place="Rumah pemohon"
        ),
        "reschedule": lambda: svc.case_reschedule(
            case=case, actor=actor, starts_at=future + timedelta(days=1), mode="video_call", reason="Pemohon sakit"
        ),
        "request_reschedule": lambda: svc.case_request_reschedule(
            case=case, actor=actor, reason="Saya dirawat di rumah sakit", preferred_times="Minggu depan"
        ),
        "deliver": lambda: svc.case_deliver(case=case, actor=actor, notes="Dokumen diantar"),
        "record_feedback": lambda: svc.case_record_feedback(case=case, actor=actor),
        "expire_feedback": lambda: _expire(case, actor),
        "recap_feedback": lambda: svc.case_recap_feedback(case=case, actor=actor),
        "close": lambda: svc.case_close(
            case=case,
            actor=actor,
            need_met="met",
            mode_right=True,
            accommodations_provided="provided" if case.accommodations else "none_asked",
            evaluation="Berjalan baik",
            late_explanation="Antrean panjang",
        ),
        "cancel": lambda: svc.case_cancel(case=case, actor=actor, reason="Sudah tidak perlu"),
        "reassign": lambda: svc.case_reassign(case=case, actor=actor, to=world.ult2, reason="Petugas cuti"),
    }
    return calls[action]()


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def public_info_service(world: World) -> ServiceType:
    """The office's public-information request service: the legal deadline of UU 14/2008 applies."""
    service, _ = ServiceType.objects.get_or_create(
        office=world.office,
        code="informasi-publik",
        defaults={"name": "Permohonan informasi publik", "is_public_information": True},
    )
    return service


def make_public_information(case: Case, world: World) -> None:
    """Makes ``case`` a public-information request received now (its legal deadline running)."""
    case.service_type = public_info_service(world)
    case.submitted_at = clock.now()
    case.information_due_at = information_due(case, calendar_for(world.office))
    case.save(update_fields=["service_type", "submitted_at", "information_due_at"])


def _expire(case: Case, actor) -> Case:
    # The survey window ends after at most three working days; move the clock well past it.
    clock.advance(timedelta(days=10))
    return svc.case_expire_feedback(case=case, actor=actor)


def case_in(status: str, world: World, **overrides) -> Case:
    """Returns a case walked through the services into ``status``."""
    case = submit(world, **overrides)
    for action in PATHS[status]:
        case = perform(action, case, world)
    assert case.status == status
    return case


def authenticator(user: User):
    """Returns the user's confirmed TOTP device, enrolling one the first time: the authenticator app of the
    tests (and of the benchmark), whose codes they compute from its secret."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    return device


def pass_second_factor_in_session(client, user: User) -> None:
    """Marks the client's session as having passed the second factor with the user's authenticator: what a
    signed-in staff member's session holds after the code page (``client.force_login`` gives the first half)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()
