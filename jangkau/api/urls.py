"""The JSON API (``/api/v1/``): the public intake and tracking, and the staff's case work.

OpenAPI at ``/api/v1/openapi.json``. The interactive Swagger page is off: its markup fails axe-core in
ways we cannot fix from outside, and every page Jangkau serves must be accessible. Integrators load the
OpenAPI document into their own tools.
"""

from . import (
    public,
    staff,
    staff_absences,
    staff_documents,
    staff_dossier,
    staff_evaluation,
    staff_followups,
    staff_notifications,
    staff_privacy,
    staff_recap,
    staff_reports,
    surveys,
)
from .errors import install_error_handlers
from .inputs import refuse_unstorable_text
from .openapi import JangkauAPI

api = JangkauAPI(
    title="Jangkau API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    description="Layanan jemput bola bagi kelompok rentan: intake, tracking and staff actions. Every error "
    "answers `{code, detail}`; request validation adds `errors`. "
    "Text may not contain U+0000 or unpaired surrogates, which no database stores: such a request answers 422.",
)
install_error_handlers(api)
api.add_decorator(refuse_unstorable_text, mode="view")
api.add_router("/", public.router)
# Before the staff router: "/cases/documents" must not be read as the case numbered "documents".
api.add_router("/", staff_documents.router)
api.add_router("/", staff_dossier.router)
api.add_router("/", staff.router)
api.add_router("/", staff_absences.router)
api.add_router("/", staff_recap.router)
api.add_router("/", staff_reports.router)
api.add_router("/", surveys.router)
api.add_router("/", staff_evaluation.router)
api.add_router("/", staff_followups.router)
api.add_router("/", staff_privacy.router)
api.add_router("/", staff_notifications.router)
