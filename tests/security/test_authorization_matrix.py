"""The authorization matrix (issue 8, item 1): every URL route and every API operation, called by every kind
of caller, against who may get in as written down in this file.

What is checked is each route's *gate*: the login, the office scope and the role checks of the view or the
endpoint. A caller is let in ("allow") or kept out ("deny"):

- deny: a redirect to a sign-in page (the back office's or the admin's), 401, 403, or 404 (another office's
  object, a wrong tracking code, a page an account does not have), a redirect that carries an error message
  (the case page's "your role cannot do this" after a refused case action), and a 422 that only says the
  requester's tracking-code header is missing;
- allow: anything else that is not an error: 200, a redirect elsewhere, 400/409/410/422 (the caller got in
  and the answers or the case's state were refused);
- any 5xx fails the test, whoever the caller; so does 405 (the matrix names a method the route does not
  serve) and 429 (the rate limits are switched off here; they are not authorization).

Callers: anonymous; the requester with the case's tracking code (the portal's session granted through the
lookup form, the ``X-Tracking-Code`` header on the API); a requester holding another case's code; the ULT
officer, PPID member, head and administrator of the case's office; the same four roles in another office;
and a superuser with no office (the Django admin's one user).

The requests are cheap on purpose: pages with GET; POST-only routes with an empty or minimal POST (an allowed
caller gets the form back with its errors, the others are kept out), and forms whose POST reveals or decides
more than their GET (personal data, the unmasked dossier, publishing the IKM) with both; API operations with
a body that passes the schema and the service's checks of the answers, so that the role check is what
answers (ninja validates the body before the endpoint runs, and some services check answers before the
role). Each request runs in a savepoint rolled back afterwards, so no caller sees another's changes. PDFs
are stubbed and the OpenAPI document built once (``_cheap_documents``): they take seconds and have nothing
to do with who may ask.

A refusal a *service* makes after a form validated (the officer responsible for a breach, the ULT-only survey
entry) is not seen by an empty POST; the API checks of those are, and the services' own tests cover them. The
ULT officer and the PPID member here hold the cases, so the holder rule is left to the workflow's tests. The
back office's case actions are tried with GET: their form and their POST pass the same gate.

How to read the matrix: ``of_case(HEAD)`` is the head of the office the case (letter, request…) belongs to;
``staff(HEAD)`` is the head of any office, on a page of the user's own office's data (another office's head
sees their own office there, not the case's); no argument means all four staff roles. Everyone not named is
expected to be kept out.

New routes fail the test until they are added to the matrix; so do new case actions and new admin models,
and a matrix entry whose route is gone (``test_the_matrix_names_every_route_and_nothing_else``). The routes
are checked one test per area of the application, each reporting every mismatch by route, method and caller.

Run: ``.venv/bin/pytest -q -p no:randomly tests/security/test_authorization_matrix.py``
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.messages import constants as message_level
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from jangkau.accounts.models import Role
from jangkau.api import actions as api_actions
from jangkau.api.samples import intake_request
from jangkau.api.urls import api
from jangkau.backoffice import case_views
from jangkau.cases import services as svc
from jangkau.cases.documents import document_store_draft
from jangkau.cases.models import CaseDocument, Channel, Status
from jangkau.core import clock
from jangkau.core import pdf as core_pdf
from jangkau.notifications.models import Channel as MessageChannel
from jangkau.notifications.models import Message
from jangkau.notifications.models import Status as MessageStatus
from jangkau.offices.models import ServiceCharter
from jangkau.portal.intake.pages import PAGES
from jangkau.privacy import services as privacy
from jangkau.privacy.models import RequestKind
from jangkau.reports.followups import followup_create
from jangkau.scheduling.absences import absence_record
from jangkau.scheduling.models import Absence
from jangkau.surveys.models import Invitation
from jangkau.surveys.publication import ikm_publish
from tests.builders import VALID_NIK, case_in, intake_data, make_public_information, make_world, perform, submit
from tests.surveys.test_publication import ROWS, add_responses

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Monday morning inside office hours; December 2024 is a finished period with published survey results.
NOW = datetime(2025, 1, 6, 8, 0, tzinfo=JAKARTA)
OFFICE = "bpmp-dki"  # make_world()'s office: the case's
OTHER_OFFICE = "bbpmp-jatim"

# --- the callers ----------------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
REQUESTER = "requester"  # with the case's tracking code
WRONG_CODE = "requester-wrong-code"  # with the tracking code of another case
ULT, PPID, HEAD, ADMIN = "ult", "ppid", "head", "admin"  # staff of the case's office
ULT_X, PPID_X, HEAD_X, ADMIN_X = "ult@other", "ppid@other", "head@other", "admin@other"  # of another office
SUPERUSER = "superuser"  # installation-wide, no office
CALLERS = (ANONYMOUS, REQUESTER, WRONG_CODE, ULT, PPID, HEAD, ADMIN, ULT_X, PPID_X, HEAD_X, ADMIN_X, SUPERUSER)
OTHER = {ULT: ULT_X, PPID: PPID_X, HEAD: HEAD_X, ADMIN: ADMIN_X}

EVERYONE = frozenset(CALLERS)
NOBODY = frozenset()


def of_case(*roles: str) -> frozenset[str]:
    """These roles (default: all four) of the office the case, letter, request… belongs to."""
    return frozenset(roles or OTHER)


def staff(*roles: str) -> frozenset[str]:
    """These roles (default: all four) in any office: a page of the user's own office's data."""
    own = of_case(*roles)
    return own | {OTHER[role] for role in own}


# --- the expected matrix: the case actions --------------------------------------------------------------------

# Workflow action: (the case it is tried on, by its status, and who of the case's office may take it). The
# roles follow the POS steps of SPEC.md: ULT records, accepts and forwards (steps 2-3), PPID prepares the result
# (3), ULT contacts and schedules (4), ULT with PPID delivers (5), ULT recaps the survey (6-7), ULT, PPID and the
# head evaluate and close (8), the internal thread is ULT's, PPID's and the head's; the head and the
# administrator reassign. The requester's own moves (asking for another appointment) are never staff's.
# The ULT officer and the PPID member are the case's holders, so only the role decides.
CASE_ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "request_info": (Status.SUBMITTED, of_case(ULT)),
    "provide_info": (Status.AWAITING_INFO, of_case(ULT)),
    "reject": (Status.SUBMITTED, of_case(ULT)),
    "accept": (Status.SUBMITTED, of_case(ULT)),
    "forward_to_ppid": (Status.ACCEPTED, of_case(ULT)),
    "record_result": (Status.WITH_PPID, of_case(PPID)),
    "add_note": (Status.WITH_PPID, of_case(ULT, PPID, HEAD)),
    "extend_information_deadline": ("public_information", of_case(ULT, PPID)),
    "record_contact_attempt": (Status.READY_TO_SCHEDULE, of_case(ULT)),
    "mark_unreachable": (Status.READY_TO_SCHEDULE, of_case(ULT)),
    "resume_contact": (Status.UNREACHABLE, of_case(ULT)),
    "schedule": (Status.READY_TO_SCHEDULE, of_case(ULT)),
    "reschedule": (Status.SCHEDULED, of_case(ULT)),
    "request_reschedule": (Status.SCHEDULED, NOBODY),
    "cancel_appointment": (Status.SCHEDULED, of_case(ULT)),
    "deliver": (Status.SCHEDULED, of_case(ULT, PPID)),
    "record_feedback": (Status.DELIVERED, of_case(ULT)),
    "expire_feedback": (Status.DELIVERED, of_case(ULT)),
    "recap_feedback": (Status.FEEDBACK_RECEIVED, of_case(ULT)),
    "close": (Status.RECAPPED, of_case(ULT, PPID, HEAD)),
    "cancel": (Status.ACCEPTED, of_case(ULT)),
    "reassign": (Status.ACCEPTED, of_case(HEAD, ADMIN)),
}

# A body each API action accepts, so that the role check is what answers (the services check some answers
# before the role).
TOMORROW = (NOW + timedelta(days=1)).isoformat()
ACTION_BODIES: dict[str, dict] = {
    "request_info": {"missing": "Foto KTP"},
    "provide_info": {"note": "Sudah dikirim"},
    "reject": {"reason": "Di luar layanan", "referral": "Disdukcapil"},
    "forward_to_ppid": {"ppid_member": f"{OFFICE}-ppid", "note": "Mohon data mutu SD"},
    "record_result": {"summary": "Rapor mutu 2025"},
    "add_note": {"body": "Data 2025 sudah ada?"},
    "extend_information_deadline": {"days": 7, "reason": "Data di tiga unit", "notice": "Jawaban 7 hari lagi"},
    "record_contact_attempt": {"channel": "phone", "result": "no_answer"},
    "resume_contact": {"note": "Pemohon menelepon"},
    "schedule": {"starts_at": TOMORROW, "mode": "visit", "place": "Rumah pemohon"},
    "reschedule": {"starts_at": TOMORROW, "mode": "video_call", "reason": "Pemohon sakit"},
    "request_reschedule": {"reason": "Saya dirawat"},
    "cancel_appointment": {"reason": "Petugas sakit", "notice": "Jadwal dibatalkan"},
    "deliver": {"notes": "Dokumen diantar"},
    "close": {
        "need_met": "met",
        "mode_right": True,
        "accommodations_provided": "provided",
        "evaluation": "Berjalan baik",
        "late_explanation": "Antrean panjang",
    },
    "cancel": {"reason": "Sudah tidak perlu"},
    "reassign": {"to": f"{OFFICE}-ult2", "reason": "Petugas cuti"},
}


# --- the expected matrix: pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A web route's expectations: who gets in with each method tried, and where its URL parameters come
    from (names of the scene's objects, ``params``) or the whole URL (``url``), and the POST body."""

    methods: dict[str, frozenset[str]]
    params: dict[str, str] = field(default_factory=dict)
    url: str = ""
    data: dict = field(default_factory=dict)
    optional: bool = False  # only some settings make the route (DEBUG's media files)
    follow: bool = False  # judge where the redirects end (the sign-in page sends signed-in staff on)


def page(get=None, post=None, *, url="", data=None, optional=False, follow=False, **params) -> Page:
    methods = {name: frozenset(callers) for name, callers in (("GET", get), ("POST", post)) if callers is not None}
    return Page(methods, params, url, data or {}, optional, follow)


# Signed in, whatever the office (the sign-in pages, the dashboard, the staff member's own security page).
SIGNED_IN = staff() | {SUPERUSER}

PAGES_MATRIX: dict[str, Page] = {
    # Outside the apps.
    "healthz": page(EVERYONE),
    "set_language": page(post=EVERYONE, data={"language": "en", "next": "/"}),
    "api:openapi-json": page(EVERYONE),
    "api:api-root": page(NOBODY),  # no interactive documentation page (docs_url=None)
    # DEBUG only. Nothing is kept under MEDIA_ROOT (documents live encrypted in the database): 404 for all.
    "^media/(?P<path>.*)$": page(NOBODY, url="/media/tidak-ada.txt", optional=True),
    # The portal: public pages, the intake, and the tracking pages of the requester who gave the code.
    "portal:home": page(EVERYONE),
    "portal:pos": page(EVERYONE),
    "portal:pos_pdf": page(EVERYONE),
    "portal:service_standards": page(EVERYONE),
    "portal:charter": page(EVERYONE),
    "portal:ikm_list": page(EVERYONE),
    "portal:ikm_detail": page(EVERYONE),
    "portal:privacy": page(EVERYONE),
    "portal:intake": page(EVERYONE),
    "portal:intake_start": page(EVERYONE),
    "portal:intake_page": page(EVERYONE),
    "portal:intake_check": page(EVERYONE),
    "portal:intake_done": page({REQUESTER}),
    "portal:intake_receipt": page({REQUESTER}),
    "portal:track": page(EVERYONE),
    "portal:track_case": page({REQUESTER}),
    "portal:track_ics": page({REQUESTER}),
    "portal:track_missing_data": page({REQUESTER}),
    "portal:track_reschedule": page({REQUESTER}),
    "portal:track_cancel": page({REQUESTER}),
    "portal:track_forget": page(post=EVERYONE),  # forgets nothing it was not given
    # The survey: the private link is the credential (no login, SPEC step 6).
    "surveys:answer": page(EVERYONE),
    "surveys:thanks": page(EVERYONE),
    # The back office: signing in.
    "backoffice:login": page(EVERYONE, follow=True),
    "backoffice:logout": page(post=EVERYONE),
    "backoffice:two_factor_verify": page(SIGNED_IN),
    "backoffice:two_factor_enrol": page(SIGNED_IN),
    "backoffice:account_security": page(SIGNED_IN),
    "backoffice:dashboard": page(SIGNED_IN),
    # Steps 1-2: requests recorded by ULT officers; the queue; breaches explained by the officer responsible.
    "backoffice:intake": page(staff(ULT)),
    "backoffice:intake_done": page(of_case(ULT), registration_number="phone_case"),  # the officer who recorded it
    "backoffice:queue": page(staff()),
    "backoffice:breaches": page(SIGNED_IN),
    # The form opens to the office; the service lets only the officer responsible answer (the API says 403).
    "backoffice:breach_explain": page(of_case()),
    # One case: every role of its office reads it; personal data opens for a stated purpose and is logged
    # (the administrator's too: the SPEC names no role that may not).
    "backoffice:case_detail": page(of_case()),
    "backoffice:case_personal_data": page(of_case(), of_case()),
    "backoffice:case_ics": page(of_case()),
    "backoffice:case_result_document": page(of_case()),
    "backoffice:case_dossier_pdf": page(of_case()),
    "backoffice:case_dossier_unmasked": page(of_case(), of_case()),
    # "backoffice:case_action" is CASE_ACTIONS, per action.
    # Steps 5-7: the survey hand-over, paper surveys, the recap and the IKM publication (the head publishes).
    "backoffice:case_survey": page(of_case(), registration_number="delivered_case"),
    "backoffice:case_survey_form_pdf": page(of_case(), registration_number="delivered_case"),
    # The form opens to the office; the service records ULT's entries only (the API says 403 to the others).
    "backoffice:case_survey_entry": page(of_case(), registration_number="delivered_case"),
    "backoffice:survey_import": page(staff(ULT, HEAD)),
    "backoffice:survey_recap": page(staff()),
    "backoffice:survey_recap_xlsx": page(staff()),
    "backoffice:survey_recap_pdf": page(staff()),
    "backoffice:ikm_publications": page(staff(), staff(HEAD)),
    "backoffice:ikm_publication_withdraw": page(of_case(HEAD), pk="publication"),
    "backoffice:schedule": page(staff()),
    "backoffice:recap": page(staff()),
    "backoffice:recap_xlsx": page(staff()),
    "backoffice:recap_pdf": page(staff()),
    # Absences: the head records them and uploads the signed letter; the letter's officers and supervisors read it.
    "backoffice:absences": page(staff()),
    "backoffice:absence_new": page(staff(HEAD)),
    "backoffice:letter_pdf": page(of_case(HEAD, ADMIN, ULT), pk="letter"),  # ULT: the officer standing in
    "backoffice:letter_upload": page(of_case(HEAD), pk="letter"),
    # Step 8: the evaluation is read by all; the head fills the monitoring table and raises follow-up actions,
    # which their owner (here the ULT officer) updates.
    "backoffice:evaluation": page(staff()),
    "backoffice:evaluation_xlsx": page(staff()),
    "backoffice:evaluation_pdf": page(staff()),
    "backoffice:evaluation_monitoring": page(staff(HEAD)),
    "backoffice:followups": page(staff()),
    "backoffice:followup_new": page(staff(HEAD)),
    "backoffice:followup_status": page(of_case(HEAD, ULT), pk="followup"),
    # Data-subject requests (UU 27/2022): Tim PPID and the head.
    "backoffice:privacy_list": page(staff(PPID, HEAD)),
    "backoffice:privacy_new": page(staff(PPID, HEAD)),
    "backoffice:privacy_detail": page(of_case(PPID, HEAD), pk="access_request"),
    "backoffice:privacy_export": page(post=of_case(PPID, HEAD), pk="access_request", data={"format": "json"}),
    "backoffice:privacy_correct": page(of_case(PPID, HEAD), pk="correction_request"),
    "backoffice:privacy_erase": page(of_case(PPID, HEAD), pk="erasure_request"),
    "backoffice:privacy_close": page(of_case(PPID, HEAD), pk="access_request"),
    # Notifications: everyone's own inbox; the delivery records for those who contact requesters (ULT, head,
    # administrator); the message templates for the administrator.
    "backoffice:notifications": page(staff()),
    "backoffice:notifications_read_all": page(post=staff()),
    "backoffice:notification_read": page(post=of_case(ULT), pk="ult_notification"),  # the ULT officer's own
    "backoffice:messages": page(staff(ULT, HEAD, ADMIN)),
    "backoffice:message_retry": page(post=of_case(ULT, HEAD, ADMIN), pk="failed_message"),
    "backoffice:message_handle": page(of_case(ULT, HEAD, ADMIN), pk="failed_message"),
    "backoffice:message_templates": page(staff(ADMIN)),
    "backoffice:message_template_edit": page(staff(ADMIN)),
    # The Django admin: superusers only (office staff have no admin account, is_staff is off); its sign-in
    # page is open to all. The models' own pages are ADMIN_MODELS below.
    "admin:login": page(EVERYONE),
    "admin:logout": page(post=EVERYONE),  # signing out needs no account
    "admin:index": page({SUPERUSER}),
    "admin:password_change": page({SUPERUSER}),
    "admin:password_change_done": page({SUPERUSER}),
    "admin:jsi18n": page({SUPERUSER}),
    "admin:autocomplete": page(NOBODY),  # no autocomplete field: 403 even for a superuser
    "admin:view_on_site": page(NOBODY),  # no model has a public page: 404 even for a superuser
    "admin:app_list": page({SUPERUSER}, url="/admin/cases/"),
    "admin/(?P<url>.*)$": page(NOBODY, url="/admin/tidak-ada/"),  # the catch-all: 404, or the sign-in
    "admin:auth_user_password_change": page({SUPERUSER}, id="ult_pk"),
    "admin:otp_totp_totpdevice_config": page({SUPERUSER}, pk="superuser_device"),
    "admin:otp_totp_totpdevice_qrcode": page({SUPERUSER}, pk="superuser_device"),
}

# The admin's models and what the superuser may do there besides listing and viewing: "rw" add and delete;
# "del" delete only (django-axes' records of sign-in attempts); "ro" nothing (a service changes the records,
# or nothing does: cases, the audit trail, survey answers…).
ADMIN_MODELS: dict[str, str] = {
    "auth.group": "rw",
    "otp_totp.totpdevice": "rw",
    "otp_static.staticdevice": "rw",
    "axes.accessattempt": "del",
    "axes.accesslog": "del",
    "axes.accessfailurelog": "del",
    "django_tasks_database.dbtaskresult": "ro",
    "offices.office": "rw",
    "offices.calendaroverride": "rw",
    "offices.servicetype": "rw",
    "offices.servicestandard": "rw",
    "offices.servicecharter": "rw",
    "accounts.user": "rw",
    "accounts.apitoken": "ro",
    "procedures.procedureversion": "ro",
    "cases.case": "ro",
    "surveys.instrument": "ro",
    "surveys.response": "ro",
    "audit.auditevent": "ro",
    "audit.personaldataview": "ro",
    "reports.monitoringentry": "ro",
    "reports.followupaction": "ro",
    "privacy.datasubjectrequest": "ro",
}


def _admin_pages() -> dict[str, Page]:
    pages = {}
    for label, kind in ADMIN_MODELS.items():
        app, model = label.split(".")
        adds = {SUPERUSER} if kind == "rw" else NOBODY
        deletes = {SUPERUSER} if kind in ("rw", "del") else NOBODY
        params = {"object_id": f"admin_object:{label}"}
        for view, callers in (
            ("changelist", {SUPERUSER}),
            ("add", adds),
            ("history", {SUPERUSER}),
            ("delete", deletes),
            ("change", {SUPERUSER}),
        ):
            pages[f"admin:{app}_{model}_{view}"] = page(callers, **params)
        # The old-style change URL redirects to the change page.
        pages[f"admin/{app}/{model}/<path:object_id>/"] = page({SUPERUSER}, **params)
    return pages


WEB_MATRIX: dict[str, Page] = {**PAGES_MATRIX, **_admin_pages()}
CASE_ACTION_ROUTE = "backoffice:case_action"


# --- the expected matrix: the API -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """An API operation's expectations: who gets in, its path parameters (names of the scene's objects), its
    query and its body (JSON, or a multipart form when ``files``)."""

    callers: frozenset[str]
    params: dict[str, str] = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    body: dict | None = None
    files: dict = field(default_factory=dict)


def op(callers, *, query=None, body=None, files=None, **params) -> Operation:
    return Operation(frozenset(callers), params, query or {}, body, files or {})


# A finished period of the case's office; the reports ask for the office by its code.
PERIOD = {"office": OFFICE, "from": "2024-12-01", "to": "2024-12-31"}
PURPOSE = {"purpose": "Menghubungi pemohon untuk jadwal"}
# A complete request from a phone call: the service checks the answers before the role, so only a valid one
# shows who may record it.
STAFF_INTAKE = {"channel": "phone", **intake_request(service="data-informasi")}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)

API_MATRIX: dict[str, Operation] = {
    # The requester's API: the catalogue and intake are public; the rest needs the number with its code.
    "service_catalogue": op(EVERYONE),
    "request_submit": op(EVERYONE, body={}),
    "request_track": op({REQUESTER}),
    "request_appointment_ics": op({REQUESTER}),
    "request_cancel": op({REQUESTER}, body={"reason": "Sudah tidak perlu"}),
    "request_send_missing_data": op({REQUESTER}, body={"text": "Foto KTP terlampir"}),
    "request_ask_reschedule": op({REQUESTER}, body={"reason": "Saya dirawat"}),
    "survey_questions": op(EVERYONE),  # the private link's token is the credential
    "survey_answer": op(EVERYONE, body={}),
    # Staff: the case and its files, for every role of its office.
    "case_list": op(staff()),
    "case_detail": op(of_case()),
    "case_appointment_ics": op(of_case()),
    "case_personal_data": op(of_case(), body=PURPOSE),
    "case_document": op(of_case()),
    "case_document_personal_data": op(of_case(), body=PURPOSE),
    "case_dossier": op(of_case()),
    "case_dossier_unmasked": op(of_case(), body=PURPOSE),
    # A draft, attached only by an action the role may take (record_result, deliver), deleted after a day.
    "case_document_upload": op(staff(), files={"kind": "result", "file": ("hasil.png", PNG, "image/png")}),
    # "case_action" is CASE_ACTIONS, per action.
    "intake_record": op(staff(ULT), body=STAFF_INTAKE),
    "step_explain_breach": op(of_case(ULT), body={"explanation": "Antrean panjang"}),  # the officer responsible
    "schedule_of_day": op(staff()),
    "breach_list": op(staff()),
    # Surveys entered by ULT; the reports of one's own office.
    "case_survey_record": op(of_case(ULT), body={"mode": "paper"}, registration_number="delivered_case"),
    "recap": op(staff()),
    "recap_xlsx": op(staff()),
    "recap_pdf": op(staff()),
    "report_ikm": op(of_case(), query=PERIOD),
    "report_sla": op(of_case(), query=PERIOD),
    "report_evaluation": op(of_case(), query=PERIOD),
    "report_monitoring": op(of_case(), query=PERIOD),
    "report_monitoring_save": op(of_case(HEAD), query=PERIOD, body={"rows": []}),
    "followup_list": op(of_case(), query={"office": OFFICE}),
    "followup_create": op(staff(HEAD), body={}),
    "followup_status": op(of_case(HEAD, ULT), body={"status": "in_progress"}),
    # Absences and letters.
    "absence_list": op(staff()),
    "absence_record": op(staff(HEAD), body={}),
    "letter_pdf": op(of_case(HEAD, ADMIN, ULT)),
    "letter_signed_scan": op(of_case(HEAD), files={"signed_scan": ("surat.png", PNG, "image/png")}),
    # Data-subject requests: PPID and the head.
    "privacy_search": op(staff(PPID, HEAD), body={}),
    "privacy_request_list": op(staff(PPID, HEAD)),
    "privacy_request_open": op(
        staff(PPID, HEAD),
        body={"kind": "access", "channel": "walk_in", "requester_name": "Siti Aminah", "identity_check": "KTP"},
    ),
    "privacy_request_detail": op(of_case(PPID, HEAD)),
    "privacy_export_json": op(of_case(PPID, HEAD)),
    "privacy_correct": op(of_case(PPID, HEAD), body={"changes": {}}, number="correction_request_number"),
    "privacy_erase": op(of_case(PPID, HEAD), body={}, number="erasure_request_number"),
    "privacy_close": op(of_case(PPID, HEAD), body={"status": "refused"}),
    # Notifications, delivery records and message templates.
    "notification_list": op(staff()),
    "notification_mark_read": op(staff(), body={}),
    "message_list": op(staff(ULT, HEAD, ADMIN)),
    "message_retry": op(of_case(ULT, HEAD, ADMIN)),
    "message_mark_handled": op(of_case(ULT, HEAD, ADMIN), body={}),
    "message_template_list": op(staff(ADMIN)),
    "message_template_save": op(staff(ADMIN), body={}),
    "message_template_reset": op(staff(ADMIN)),
    "message_template_preview": op(staff(ADMIN), body={}),
}
CASE_ACTION_OPERATION = "case_action"

# Where a parameter's value comes from when the entry does not say: a name of the scene's objects.
DEFAULT_PARAMS = {
    "registration_number": "case",
    "office_code": "office_code",
    "code": "office_code",
    "publication_id": "publication",
    "token": "survey_token",
    "page_slug": "intake_page",
    "step_id": "breached_step",
    "step_no": "breached_step_no",
    "document_id": "result_document",
    "mode": "survey_entry_mode",
    "event": "template_event",
    "language": "template_language",
    "content_type_id": "case_content_type",
    "object_id": "case_pk",
    "letter_id": "letter",
    "followup_id": "followup",
    "number": "access_request_number",
    "message_id": "failed_message",
}


# --- the scene ------------------------------------------------------------------------------------------------


def _pdf_stub(html: str) -> bytes:
    return b"%PDF-1.4 stub\n"


@pytest.fixture(scope="module")
def _cheap_documents():
    """PDFs and the OpenAPI document, the slow answers, are made once or stubbed: who may ask for them is the
    question here, not what they say. Every module that renders a PDF imported ``html_to_pdf`` by name: each
    gets the stub. The OpenAPI document is built once per set of arguments."""
    original = core_pdf.html_to_pdf
    patched = [m for m in list(sys.modules.values()) if getattr(m, "html_to_pdf", None) is original]
    for module in patched:
        module.html_to_pdf = _pdf_stub
    build, built = api.get_openapi_schema, {}

    def openapi_schema(**kwargs):
        key = repr(sorted(kwargs.items()))
        if key not in built:
            built[key] = build(**kwargs)
        return built[key]

    api.get_openapi_schema = openapi_schema
    yield
    del api.get_openapi_schema
    for module in patched:
        module.html_to_pdf = original


@dataclass
class Scene:
    values: dict[str, str]  # URL parameter values by name
    users: dict[str, object]  # the staff callers
    tracking_code: str
    wrong_code: str


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker, _cheap_documents):
    """Two offices and a superuser; in the first office a scheduled case with everything the routes need around
    it, and a case in each status a case action starts from.

    Built once, in a transaction rolled back at the end of the module (each test's own transaction and each
    request's savepoint nest inside it), so no request sees another's changes."""
    from django.db import connection

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), clock.frozen_at(NOW), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        with override_settings(PASSWORD_HASHERS=fast):
            built = _build_scene()
        yield built
        transaction.set_rollback(True)


def _build_scene() -> Scene:
    from django.contrib.contenttypes.models import ContentType
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jangkau.accounts.models import User

    world, other = make_world(OFFICE), make_world(OTHER_OFFICE)
    root = User.objects.create_superuser(username="root", password="kata-sandi-uji-123", email="root@example.org")
    # The device the shared force_login fixture uses, made here so that the admin's pages have its id.
    device = TOTPDevice.objects.create(user=root, name="authenticator", confirmed=True)

    # The ULT officer's colleague is away; the officer stands in (the letter names both).
    _absence, letter = absence_record(
        office=world.office,
        officer=world.ult2,
        kind=Absence.Kind.SICK,
        starts_on=date(2025, 1, 7),
        ends_on=date(2025, 1, 9),
        delegate=world.ult,
        reason="Sakit",
        actor=world.head,
    )

    # The case: accepted an hour late (a breach of step 2 to explain), PPID's result with a file, scheduled.
    case = submit(world)
    clock.advance(timedelta(hours=1))
    case = perform("accept", case, world)
    case = perform("forward_to_ppid", case, world)
    draft = document_store_draft(
        kind=CaseDocument.Kind.RESULT, field="document_tokens", filename="hasil.csv", content=b"sekolah;nilai\nSD;82\n"
    )
    case = svc.case_record_result(
        case=case, actor=world.ppid, summary="Rapor mutu 2025", document_tokens=[draft.draft_token]
    )
    case = perform("schedule", case, world)
    breached = case.steps.filter(breached=True).order_by("step_no").first()
    assert breached is not None, "the scene needs a breached step"

    # A request a ULT officer recorded from a phone call.
    phone_case, _created = svc.case_submit_once(
        office=world.office,
        data=intake_data(world, full_name="Budi Santoso", phone="0857-1111-2222"),
        channel=Channel.PHONE,
        actor=world.ult,
        idempotency_key="matrix-phone",
    )

    # A case in each status a case action starts from; the delivered one has its survey open.
    statuses = sorted({status for status, _roles in CASE_ACTIONS.values()} - {"public_information"})
    action_cases = {status: case_in(status, world) for status in statuses}
    public_information = case_in(Status.WITH_PPID, world)
    make_public_information(public_information, world)
    action_cases["public_information"] = public_information
    delivered = action_cases[Status.DELIVERED]

    # Published survey results of December, the charter, a follow-up action owned by the ULT officer.
    add_responses(world.office, ROWS, date(2024, 12, 10))
    publication = ikm_publish(
        office=world.office, start=date(2024, 12, 1), end=date(2024, 12, 31), service_type=None, actor=world.head
    )
    ServiceCharter.objects.create(
        office=world.office,
        text="Kami siap melayani sesuai standar pelayanan.",
        signed_by_name="Kepala BPMP",
        signed_by_position="Kepala",
        signed_on=date(2024, 6, 1),
        place="Jakarta",
    )
    followup = followup_create(
        office=world.office,
        actor=world.head,
        title="Latih juru bahasa isyarat",
        description="Pelatihan dua hari.",
        owner=world.ult,
        due_date=date(2025, 2, 28),
        source_start=date(2024, 12, 1),
        source_end=date(2024, 12, 31),
    )

    # Data-subject requests of the case's requester, one of each kind the pages treat apart.
    def subject_request(kind):
        return privacy.subject_request_open(
            office=world.office,
            actor=world.ppid,
            kind=kind,
            channel="walk_in",
            requester_name="Siti Aminah",
            identity_check="KTP asli dicocokkan",
            nik=VALID_NIK,
        )

    access, correction, erasure = map(
        subject_request, (RequestKind.ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE)
    )

    # A message to the requester that failed and waits for an officer; the ULT officer's own notification.
    failed = Message.objects.create(
        office=world.office,
        case=case,
        event="received",
        idempotency_key="matrix:failed",
        channel=MessageChannel.SMS,
        address="+6281234567890",
        address_masked="+62812****7890",
        subject="Permohonan sudah kami terima",
        body="Isi pesan",
        status=MessageStatus.FAILED,
        attempts=5,
        last_error="Gerbang SMS menjawab 503",
        created_at=clock.now(),
    )
    notification = Message.objects.filter(recipient_user=world.ult, channel=MessageChannel.IN_APP).first()
    assert notification is not None, "the scene needs a notification of the ULT officer"

    values = {
        "case": case.registration_number,
        "case_pk": case.pk,
        "case_content_type": ContentType.objects.get_for_model(case).pk,
        "phone_case": phone_case.registration_number,
        "delivered_case": delivered.registration_number,
        "office_code": world.office.code,
        "publication": publication.pk,
        "survey_token": Invitation.objects.get(case=delivered).token,
        "intake_page": PAGES[0].slug,
        "breached_step": breached.pk,
        "breached_step_no": breached.step_no,
        "result_document": case.documents.get(kind=CaseDocument.Kind.RESULT).pk,
        "survey_entry_mode": "kertas",
        "template_event": "received",
        "template_language": "id",
        "letter": letter.pk,
        "followup": followup.pk,
        "access_request": access.pk,
        "correction_request": correction.pk,
        "erasure_request": erasure.pk,
        "access_request_number": access.number,
        "correction_request_number": correction.number,
        "erasure_request_number": erasure.number,
        "failed_message": failed.pk,
        "ult_notification": notification.pk,
        "ult_pk": world.ult.pk,
        "superuser_device": device.pk,
    }
    for status, action_case in action_cases.items():
        values[f"case_in:{status}"] = action_case.registration_number
    for label in ADMIN_MODELS:
        model = _admin_model(label)
        first = model._default_manager.order_by("pk").first() if model is not None else None
        values[f"admin_object:{label}"] = first.pk if first is not None else 0
    users = {
        **{role: world.actor_for(ROLE[role]) for role in OTHER},
        **{OTHER[role]: other.actor_for(ROLE[role]) for role in OTHER},
        SUPERUSER: root,
    }
    return Scene(
        values={name: str(value) for name, value in values.items()},
        users=users,
        tracking_code=case.tracking_code,
        wrong_code=action_cases[Status.SUBMITTED].tracking_code,
    )


ROLE = {ULT: Role.ULT_OFFICER, PPID: Role.PPID_MEMBER, HEAD: Role.HEAD, ADMIN: Role.ADMIN}


def _admin_model(label: str):
    for model in admin.site._registry:
        if model._meta.label_lower == label:
            return model
    return None


# --- what there is to call ------------------------------------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), (namespace + pattern.name) if pattern.name else None, pattern


def _is_api_operation(pattern: URLPattern) -> bool:
    # ninja's views of the operations (the schema lists them); its openapi.json and root are plain views.
    return getattr(pattern.callback, "__module__", "").startswith("ninja.operation")


def web_routes() -> dict[str, str]:
    """Returns every route outside the API operations: its matrix key (the route's name, or its pattern when it
    has none) and its pattern."""
    routes = {}
    for route, name, pattern in _walk(get_resolver()):
        if _is_api_operation(pattern):
            continue
        routes[name or route] = route
    return routes


@cache
def api_operations() -> dict[str, tuple[str, str]]:
    """Returns every operation of the OpenAPI document: operationId -> (method, path)."""
    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


@dataclass(frozen=True)
class Check:
    """One row of the test: a route (and one of its case actions), what to send, who may get in."""

    key: str
    label: str
    expected: dict[str, frozenset[str]] | None  # method -> callers let in; None when the matrix lacks the route
    url: Callable[[Scene], str]
    send: Callable[[Client, str, str, Scene], object]
    portal: bool = False  # the requester callers sign in through the portal's lookup


_PARAM = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>|\{(?P<api>[^}]+)\}")


def _filler(template: str, params: dict[str, str], fixed: dict[str, str] | None = None) -> Callable[[Scene], str]:
    def fill(scene: Scene) -> str:
        def value(match):
            name = match["name"] or match["api"]
            if fixed and name in fixed:
                return fixed[name]
            return scene.values[params.get(name, DEFAULT_PARAMS.get(name, name))]

        path = _PARAM.sub(value, template)
        return path if path.startswith("/") else "/" + path

    return fill


def _send_web(data: dict, follow: bool = False):
    def send(client: Client, method: str, url: str, scene: Scene):
        if method == "GET":
            return client.get(url, follow=follow)
        return client.post(url, data, follow=follow)

    return send


def _send_api(entry: Operation):
    def send(client: Client, method: str, url: str, scene: Scene):
        if entry.files:
            form = {
                name: SimpleUploadedFile(*value) if isinstance(value, tuple) else value
                for name, value in entry.files.items()
            }
            return client.post(url, form)
        if method == "GET":
            return client.get(url, entry.query)
        if entry.query:
            url += "?" + "&".join(f"{key}={value}" for key, value in entry.query.items())
        if entry.body is None:
            return client.generic(method, url)
        return client.generic(method, url, json.dumps(entry.body), content_type="application/json")

    return send


def _web_checks() -> list[Check]:
    checks = []
    for key, route in sorted(web_routes().items()):
        if key == CASE_ACTION_ROUTE:
            for slug, spec in sorted(case_views.ACTIONS.items()):
                status, callers = CASE_ACTIONS.get(spec.name, (None, None))
                checks.append(
                    Check(
                        key,
                        f"{slug} ({spec.name})",
                        # The form's GET and POST pass the same gate (the actions the user may take now); an
                        # empty POST of a confirmation would run the service, whose refusals of the case's state
                        # look like the gate's.
                        {"GET": callers} if callers is not None else None,
                        _filler(route, {"registration_number": f"case_in:{status}"}, {"action": slug}),
                        _send_web({}),
                    )
                )
            continue
        entry = WEB_MATRIX.get(key)
        url = (
            (lambda fixed: lambda scene: fixed)(entry.url)
            if entry and entry.url
            else _filler(route, entry.params if entry else {})
        )
        checks.append(
            Check(
                key,
                "",
                entry.methods if entry else None,
                url,
                _send_web(entry.data if entry else {}, entry.follow if entry else False),
                portal=not key.startswith(("admin", "backoffice")),
            )
        )
    return checks


def _api_checks() -> list[Check]:
    checks = []
    for operation_id, (method, path) in sorted(api_operations().items()):
        if operation_id == CASE_ACTION_OPERATION:
            for name in sorted(api_actions.ACTIONS):
                status, callers = CASE_ACTIONS.get(name, (None, None))
                entry = Operation(callers or NOBODY, body=ACTION_BODIES.get(name, {}))
                checks.append(
                    Check(
                        f"api:{operation_id}",
                        name,
                        {method: callers} if callers is not None else None,
                        _filler(path, {"registration_number": f"case_in:{status}"}, {"action": name}),
                        _send_api(entry),
                    )
                )
            continue
        entry = API_MATRIX.get(operation_id)
        checks.append(
            Check(
                f"api:{operation_id}",
                "",
                {method: entry.callers} if entry else None,
                _filler(path, entry.params if entry else {}),
                _send_api(entry or Operation(NOBODY)),
            )
        )
    return checks


CHECKS = _web_checks() + _api_checks()


# --- calling and classifying ----------------------------------------------------------------------------------

# The staff sign-in and its second step, and the admin's sign-in.
SIGN_IN_PAGES = ("/staf/masuk/", "/staf/masuk/kode/", "/staf/masuk/aktifkan/", "/admin/login/")


def _session(caller: str, scene: Scene, sessions: dict[str, str], *, portal: bool) -> str:
    """Returns the caller's session cookie, made on first use in the test: staff sign in with ``force_login``
    (which also passes the second factor, tests/conftest.py), the requesters give their code on the portal's
    lookup form. Made outside the requests' savepoints, so that it lasts for the test."""
    key = f"{caller}:portal" if caller in (REQUESTER, WRONG_CODE) and portal else caller
    if key not in sessions:
        client = Client()
        if caller in (REQUESTER, WRONG_CODE) and portal:
            code = scene.tracking_code if caller == REQUESTER else scene.wrong_code
            answer = client.post("/lacak/", {"nomor": scene.values["case"], "kode": code})
            assert (answer.status_code == 302) == (caller == REQUESTER), f"lookup as {caller}: {answer.status_code}"
        elif caller in scene.users:
            client.force_login(scene.users[caller])
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        sessions[key] = cookie.value if cookie is not None else ""
    return sessions[key]


def _client(caller: str, scene: Scene, sessions: dict[str, str], *, portal: bool) -> Client:
    headers = {}
    if caller in (REQUESTER, WRONG_CODE):
        # The API's proof: the code in a header, never in the URL.
        headers["X-Tracking-Code"] = scene.tracking_code if caller == REQUESTER else scene.wrong_code
    client = Client(raise_request_exception=False, headers=headers)
    cookie = _session(caller, scene, sessions, portal=portal)
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return client


def _refused_with_a_message(response) -> bool:
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", []) if storage is not None else []
    return any(message.level >= message_level.ERROR for message in queued)


def _without_credential(response) -> bool:
    """Whether a 422 only says the requester's credential (the tracking code header) is missing."""
    try:
        errors = json.loads(response.content).get("errors") or []
    except (ValueError, AttributeError):
        return False
    return bool(errors) and all("tracking" in str(error.get("field", "")).lower() for error in errors)


def classify(response) -> tuple[str, str]:
    """Returns ("allow" | "deny" | "error", what happened in a few words)."""
    status = response.status_code
    if status >= 500 or status in (405, 429):
        detail = ""
        if getattr(response, "exc_info", None):
            detail = f": {response.exc_info[0].__name__}: {response.exc_info[1]}"
        return "error", f"{status}{detail}"
    if status in (401, 403, 404):
        return "deny", str(status)
    if status == 422 and _without_credential(response):
        return "deny", "422 without a tracking code"
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target in SIGN_IN_PAGES:
            return "deny", f"{status} to the sign-in {target}"
        if _refused_with_a_message(response):
            return "deny", f"{status} to {target} with an error message"
        return "allow", f"{status} to {target}"
    return "allow", str(status)


TALLY: Counter = Counter()


def _check_id(check: Check) -> str:
    return f"{check.key}[{check.label}]" if check.label else check.key


def area_of(check: Check) -> str:
    """The part of the application a check belongs to: one test each."""
    if check.key in (CASE_ACTION_ROUTE, f"api:{CASE_ACTION_OPERATION}"):
        return check.key
    for prefix in ("api:", "admin", "backoffice:"):
        if check.key.startswith(prefix):
            return prefix.rstrip(":")
    return "public site"


AREAS = sorted({area_of(check) for check in CHECKS})


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not TALLY["checks"]:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(
            f"authorization matrix: {len(web_routes())} routes and {len(api_operations())} API operations "
            f"({TALLY['units']} with their case actions), {len(CALLERS)} callers, {TALLY['checks']} checks; "
            f"unexpected allows {TALLY['unexpected allow']}, unexpected denies {TALLY['unexpected deny']}, "
            f"errors {TALLY['error']}"
        )


@pytest.fixture
def _quiet(settings):
    # The lookup and intake limits count every request of a caller's address; they are not authorization.
    settings.INTAKE_RATE_LIMIT = 0


@pytest.mark.parametrize("area", AREAS)
def test_who_gets_in(area: str, scene: Scene, _quiet):
    """Every caller gets in where the matrix lets them in and is kept out everywhere else, on every route of
    the area; nothing answers with an error. All mismatches are reported at once, by route.

    One test per area rather than per route: the callers sign in once per test (a test's sessions are rolled
    back with it), and signing twelve callers in for each of some three hundred routes would take longer than
    all the requests together."""
    sessions: dict[str, str] = {}
    problems = []
    for check in (check for check in CHECKS if area_of(check) == area):
        if check.expected is None:
            problems.append(
                f"{_check_id(check)} is not in the authorization matrix. New routes fail the test until they are "
                "added to the matrix: say who may get in with each method."
            )
            continue
        TALLY["units"] += 1
        url = check.url(scene)
        for method, allowed in check.expected.items():
            for caller in CALLERS:
                # The session first, outside the savepoint, so that it lasts for the test.
                client = _client(caller, scene, sessions, portal=check.portal)
                with transaction.atomic():
                    response = check.send(client, method, url, scene)
                    outcome, detail = classify(response)
                    transaction.set_rollback(True)
                TALLY["checks"] += 1
                expected = "allow" if caller in allowed else "deny"
                where = f"{_check_id(check)}: {method} {url} as {caller}"
                if outcome == "error":
                    TALLY["error"] += 1
                    problems.append(f"{where}: error {detail}")
                elif outcome != expected:
                    TALLY[f"unexpected {outcome}"] += 1
                    problems.append(f"{where}: expected {expected}, got {outcome} ({detail})")
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems)


def test_the_matrix_names_every_route_and_nothing_else():
    """New routes, case actions and admin models fail until they are in the matrix; entries of routes that are
    gone fail too, so the matrix says what the application serves."""
    web = set(web_routes())
    operations = set(api_operations())
    problems = []

    missing = sorted(web - set(WEB_MATRIX) - {CASE_ACTION_ROUTE}) + sorted(
        operations - set(API_MATRIX) - {CASE_ACTION_OPERATION}
    )
    if missing:
        problems.append(
            "New routes fail the test until they are added to the matrix (PAGES_MATRIX, ADMIN_MODELS or "
            "API_MATRIX): " + ", ".join(missing)
        )
    gone = sorted(key for key, entry in WEB_MATRIX.items() if key not in web and not entry.optional)
    gone += sorted(set(API_MATRIX) - operations)
    if gone:
        problems.append("The matrix names routes that no longer exist; remove them: " + ", ".join(gone))

    web_actions = {spec.name for spec in case_views.ACTIONS.values()}
    actions = web_actions | set(api_actions.ACTIONS)
    if actions - set(CASE_ACTIONS):
        problems.append(
            "New case actions need a row in CASE_ACTIONS: " + ", ".join(sorted(actions - set(CASE_ACTIONS)))
        )
    if set(CASE_ACTIONS) - actions:
        problems.append(
            "CASE_ACTIONS names actions that no longer exist: " + ", ".join(sorted(set(CASE_ACTIONS) - actions))
        )

    registered = {model._meta.label_lower for model in admin.site._registry}
    if registered ^ set(ADMIN_MODELS):
        problems.append(
            "ADMIN_MODELS must list exactly the models registered in the admin; differs by: "
            + ", ".join(sorted(registered ^ set(ADMIN_MODELS)))
        )

    # An operation left out of the OpenAPI document would escape the matrix.
    hidden = sorted(
        f"{', '.join(operation.methods)} {path}"
        for router_prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        if not operation.include_in_schema
    )
    if hidden:
        problems.append("API operations outside the OpenAPI document are not in the matrix: " + ", ".join(hidden))

    assert not problems, "\n".join(problems)
