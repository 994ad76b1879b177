"""Demo data: the seed's office, one user per role, a service catalogue and a case in every status.

Every piece is looked up before it is made, so running the demo again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from jangkau.accounts.models import Role, User
from jangkau.cases import services as svc
from jangkau.cases.models import Case, Channel, Status
from jangkau.cases.vocabulary import AccommodationsProvided, IdType, NeedMet
from jangkau.cases.workflow import PATH_TO_STATUS
from jangkau.core import clock
from jangkau.offices.calendar import calendar_for
from jangkau.offices.models import DEFAULT_HOURS, Office, OfficeHours, ServiceCharter, ServiceStandard, ServiceType
from jangkau.procedures.services import procedure_ensure_default

OFFICE_CODE = "bpmp-dki"
DEMO_PASSWORD = "jangkau-demo-2026"

USERS = [
    ("ult", "Rina", "Petugas ULT", Role.ULT_OFFICER),
    ("ult2", "Bayu", "Petugas ULT", Role.ULT_OFFICER),
    ("ppid", "Dewi", "Tim PPID", Role.PPID_MEMBER),
    ("kepala", "Hendra", "Kepala", Role.HEAD),
    ("admin", "Admin", "Jangkau", Role.ADMIN),
]

SERVICES = [
    ("data-informasi", "Data dan informasi mutu pendidikan", "Education quality data and information", False),
    ("konsultasi", "Konsultasi penjaminan mutu", "Quality-assurance consultation", False),
    ("informasi-publik", "Permohonan informasi publik", "Public-information request", True),
    ("pengaduan", "Pengaduan", "Complaint", False),
    ("lainnya", "Layanan lainnya", "Other services", False),
]

# The six public components of the Standar Pelayanan, per demo service: (requirements, product, time).
STANDARDS = {
    "data-informasi": (
        "Identitas pemohon (KTP, KIA, atau Kartu Keluarga); jika tidak ada, cukup menyebutkan alasannya.\n"
        "Uraian data atau informasi mutu pendidikan yang dibutuhkan.",
        "Salinan data atau informasi mutu pendidikan (cetak atau berkas elektronik).",
        "Paling lama 5 hari kerja sejak permintaan dicatat.",
    ),
    "konsultasi": (
        "Identitas pemohon; jika tidak ada, cukup menyebutkan alasannya.\nPokok persoalan yang ingin dikonsultasikan.",
        "Penjelasan dan saran dari petugas, dengan catatan hasil konsultasi.",
        "Konsultasi dijadwalkan paling lama 3 hari kerja sejak permintaan dicatat.",
    ),
    "informasi-publik": (
        "Identitas pemohon (KTP atau identitas lain).\nRincian informasi yang diminta dan tujuan penggunaannya.",
        "Salinan informasi publik, atau surat pemberitahuan tertulis jika informasi dikecualikan.",
        "Paling lama 10 hari kerja sejak permintaan diterima; dapat diperpanjang paling lama 7 hari kerja "
        "dengan pemberitahuan tertulis.",
    ),
    "pengaduan": (
        "Identitas pelapor (boleh dirahasiakan).\nUraian kejadian yang diadukan dan bukti pendukung jika ada.",
        "Tanggapan tertulis atas pengaduan dan tindak lanjutnya.",
        "Tanggapan awal paling lama 3 hari kerja; penyelesaian paling lama 14 hari kerja.",
    ),
    "lainnya": (
        "Identitas pemohon; jika tidak ada, cukup menyebutkan alasannya.\nUraian kebutuhan layanan.",
        "Layanan sesuai kebutuhan, atau rujukan ke instansi yang berwenang.",
        "Paling lama 5 hari kerja sejak permintaan dicatat.",
    ),
}
STANDARD_PROCEDURE = (
    "1. Anda meminta layanan lewat telepon, WhatsApp, surel, surat, media sosial, SP4N-LAPOR, atau datang "
    "langsung.\n"
    "2. Petugas ULT mencatat permintaan dan memberi nomor pendaftaran.\n"
    "3. Petugas menghubungi Anda untuk menyepakati cara dan waktu layanan: kunjungan, panggilan video, atau "
    "telepon.\n"
    "4. Petugas melayani Anda dan menyerahkan hasil layanan.\n"
    "5. Anda mengisi survei kepuasan singkat."
)
STANDARD_COST = "Tidak dipungut biaya (gratis), termasuk ongkos pengiriman dokumen."
STANDARD_COMPLAINTS = (
    "Sampaikan pengaduan, saran, atau masukan lewat telepon, WhatsApp, surel, kotak saran di kantor, atau "
    "SP4N-LAPOR (www.lapor.go.id). Pengaduan ditanggapi paling lama 3 hari kerja."
)
CHARTER_TEXT = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai Standar Pelayanan yang telah "
    "ditetapkan, memberikan pelayanan yang mudah, cepat, tanpa biaya, dan ramah bagi kelompok rentan, "
    "serta melakukan perbaikan secara terus-menerus.\n"
    "Apabila kami tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan perundang-undangan "
    "yang berlaku."
)


REQUESTERS = [
    ("Siti Aminah", "3171015203850001", ["disability_physical", "elderly"], "Pengguna kursi roda"),
    ("Budi Santoso", "3172021507450002", ["elderly"], ""),
    ("Maria Lumban Tobing", "3173035808900003", ["pregnant"], ""),
    ("Ahmad Fauzi", "3174041003800004", ["disability_blind"], "Tunanetra, membaca dengan pembaca layar"),
    ("Wulan Sari", "3175056211950005", ["breastfeeding", "poor"], ""),
    ("Joko Prasetyo", "", ["poor", "disaster_natural"], ""),
]


@dataclass
class DemoResult:
    office: Office
    users: list[tuple[str, str]]
    cases_created: int


def _office() -> Office:
    office, _ = Office.objects.get_or_create(
        code=OFFICE_CODE,
        defaults={"name": "BPMP Provinsi DKI Jakarta", "address": "Jl. Nangka No. 60, Tanjung Barat, Jakarta Selatan"},
    )
    for day, (opens, closes) in DEFAULT_HOURS.items():
        OfficeHours.objects.get_or_create(office=office, weekday=day, defaults={"opens": opens, "closes": closes})
    for code, name, name_en, public_info in SERVICES:
        ServiceType.objects.get_or_create(
            office=office, code=code, defaults={"name": name, "name_en": name_en, "is_public_information": public_info}
        )
    _transparency(office)
    return office


def _transparency(office: Office) -> None:
    """The Standar Pelayanan of each demo service and the office's Maklumat, each made only when missing."""
    for code, (requirements, product, completion_time) in STANDARDS.items():
        service = ServiceType.objects.get(office=office, code=code)
        ServiceStandard.objects.get_or_create(
            service_type=service,
            defaults={
                "requirements": requirements,
                "procedure": STANDARD_PROCEDURE,
                "completion_time": completion_time,
                "cost": STANDARD_COST,
                "product": product,
                "complaints": STANDARD_COMPLAINTS,
            },
        )
    ServiceCharter.objects.get_or_create(
        office=office,
        defaults={
            "text": CHARTER_TEXT,
            "signed_by_name": "Moch. Saiful Somad",
            "signed_by_position": "Kepala BPMP Provinsi DKI Jakarta",
            "signed_on": date(2024, 6, 1),
            "place": "Jakarta",
        },
    )


def _user(office: Office, username: str, first: str, last: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            office=office,
            role=role,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
    return user


def _intake(index: int, office: Office) -> dict:
    name, nik, vulnerabilities, disability = REQUESTERS[index % len(REQUESTERS)]
    service = ServiceType.objects.get(office=office, code=SERVICES[index % 2][0])
    return {
        "full_name": name,
        "id_type": IdType.KTP if nik else IdType.NONE,
        "nik": nik,
        "no_id_reason": "" if nik else "KTP hilang saat banjir",
        "phone": f"0812-1000-{2000 + index:04d}",
        "address": f"Jl. Melati No. {index + 1}, Jakarta Timur",
        "area": "Jakarta Timur",
        "vulnerabilities": vulnerabilities,
        "disability_details": disability,
        "need": "Salinan data mutu sekolah untuk pendaftaran anak",
        "service_type": service,
        "delivery_mode": "visit",
        "accommodations": ["wheelchair"] if disability else [],
        "consent": True,
    }


# A satisfied elderly requester: the demo's survey answers (PermenPANRB 14/2017 scores 1-4 per element).
DEMO_SURVEY = {
    **{f"u{n}": score for n, score in enumerate([4, 3, 3, 4, 4, 4, 4, 3, 3], start=1)},
    "sex": "P",
    "age": "67",
    "education": "sd",
    "occupation": "other",
    "suggestion": "Petugas datang tepat waktu dan menjelaskan dengan sabar.",
}


def _walk(case: Case, actions: list[str], staff: dict[str, User]) -> Case:
    ult, ppid = staff["ult"], staff["ppid"]
    for action in actions:
        if action == "request_info":
            case = svc.case_request_info(case=case, actor=ult, missing="Foto kartu identitas")
        elif action == "reject":
            case = svc.case_reject(
                case=case, actor=ult, reason="Di luar layanan BPMP", referral="Dinas Kependudukan dan Pencatatan Sipil"
            )
        elif action == "cancel":
            case = svc.case_cancel(case=case, actor="requester", reason="Sudah mendapatkan dokumen")
        elif action == "accept":
            case = svc.case_accept(case=case, actor=ult)
        elif action == "forward_to_ppid":
            case = svc.case_forward_to_ppid(case=case, actor=ult, ppid_member=ppid, note="Mohon siapkan rapor mutu")
        elif action == "record_result":
            case = svc.case_record_result(case=case, actor=ppid, summary="Rapor mutu sekolah 2025 (PDF)")
        elif action == "mark_unreachable":
            # The rule counts different working days: one try on each of the next three, mid-morning.
            cal, day = calendar_for(case.office), svc.office_today(case.office)
            for _ in range(3):
                day += timedelta(days=1)
                while cal.window(day) is None:
                    day += timedelta(days=1)
                with clock.frozen_at(cal.window(day)[0] + timedelta(hours=2)):
                    svc.case_record_contact_attempt(case=case, actor=ult, channel="phone", result="no_answer")
                    case = svc.case_mark_unreachable(case=case, actor=ult) if _ == 2 else case
        elif action == "schedule":
            case = svc.case_schedule(
                case=case,
                actor=ult,
                starts_at=clock.now() + timedelta(days=1),
                mode="visit",
                place="Rumah pemohon",
            )
        elif action == "deliver":
            case = svc.case_deliver(case=case, actor=ult, notes="Dokumen diantar dan dijelaskan")
        elif action == "record_feedback":
            # The requester answers the survey through the private link handed over at delivery.
            from jangkau.surveys.services import survey_answer_online

            survey_answer_online(token=case.survey_invitation.token, data=DEMO_SURVEY)
            case = Case.objects.get(pk=case.pk)
        elif action == "recap_feedback":
            case = svc.case_recap_feedback(case=case, actor=ult)
        elif action == "close":
            case = svc.case_close(
                case=case,
                actor=ult,
                need_met=NeedMet.MET,
                mode_right=True,
                accommodations_provided=(
                    AccommodationsProvided.PROVIDED if case.accommodations else AccommodationsProvided.NONE_ASKED
                ),
                evaluation="Layanan berjalan sesuai POS",
            )
        else:  # pragma: no cover - WALK_TO names only the actions above
            raise ValueError(action)
    return case


def load_demo() -> DemoResult:
    """Creates what is missing of the demo and returns it; a second run creates nothing."""
    with transaction.atomic():
        office = _office()
        procedure_ensure_default(office=office)
        staff = {username: _user(office, username, first, last, role) for username, first, last, role in USERS}
    created = 0
    for index, (status, actions) in enumerate(PATH_TO_STATUS.items()):
        key = f"demo-{status}"
        if Case.objects.filter(office=office, idempotency_key=key).exists():
            continue
        # The unreachable case took a week of tries: it came in two weeks ago.
        past = clock.now() - timedelta(days=14 if status == Status.UNREACHABLE else 0)
        with clock.frozen_at(past):
            case = svc.case_submit(office=office, data=_intake(index, office), channel=Channel.WEB, idempotency_key=key)
            _walk(case, actions, staff)
        created += 1
    # One request that came in two days ago and still waits: it shows a running breach in the queue.
    if not Case.objects.filter(office=office, idempotency_key="demo-overdue").exists():
        with clock.frozen_at(clock.now() - timedelta(days=2)):
            case = svc.case_submit(
                office=office,
                data=_intake(2, office),
                channel=Channel.PHONE,
                actor=staff["ult"],
                idempotency_key="demo-overdue",
            )
        created += 1
    return DemoResult(office=office, users=[(u, DEMO_PASSWORD) for u, *_ in USERS], cases_created=created)
