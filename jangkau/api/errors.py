"""One JSON shape for every refusal of the API, and the exception handlers that produce it.

Integrators branch on ``code`` (stable, English, snake_case) and show ``detail`` (for people, translated).
Every operation declares the error statuses it can answer with, so the OpenAPI document tells the truth.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jangkau.core.errors import DomainError, InvalidFields


class ErrorItem(Schema):
    """One field-level problem found while validating the request."""

    loc: list[str | int]
    field: str | None = None
    msg: str
    type: str


class ErrorOut(Schema):
    """Every error answer: a stable ``code``, a human ``detail``, and per-field ``errors`` on a 422 from
    request validation."""

    code: str
    detail: str
    errors: list[ErrorItem] | None = None


# Codes for the HTTP-level errors ninja raises itself (malformed JSON, CSRF, authentication).
HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "throttled",
}


def with_errors(ok: dict[int, Any], *statuses: int) -> dict[int, Any]:
    """Returns a ninja ``response`` mapping: the success schemas plus ErrorOut for each error status."""
    return {**ok, **dict.fromkeys(statuses, ErrorOut)}


def _error(api: NinjaAPI, request: HttpRequest, status: int, code: str, detail: str, **extra) -> HttpResponse:
    return api.create_response(request, {"code": code, "detail": detail, **extra}, status=status)


# Pydantic's messages are English only; these say the same in the request's language.
TYPE_MESSAGES = {
    "missing": gettext_lazy("Wajib diisi."),
    "string_type": gettext_lazy("Harus berupa teks."),
    "string_too_long": gettext_lazy("Terlalu panjang (paling banyak %(max_length)s karakter)."),
    "bool_type": gettext_lazy("Harus true atau false."),
    "bool_parsing": gettext_lazy("Harus true atau false."),
    "list_type": gettext_lazy("Harus berupa daftar."),
    "too_long": gettext_lazy("Terlalu banyak isian (paling banyak %(max_length)s)."),
    "int_type": gettext_lazy("Harus berupa bilangan bulat."),
    "int_parsing": gettext_lazy("Harus berupa bilangan bulat."),
    "enum": gettext_lazy("Pilihan tidak dikenal. Pilihan yang ada: %(expected)s."),
    "literal_error": gettext_lazy("Pilihan tidak dikenal. Pilihan yang ada: %(expected)s."),
    "date_type": gettext_lazy("Harus berupa tanggal TTTT-BB-HH."),
    "date_parsing": gettext_lazy("Harus berupa tanggal TTTT-BB-HH."),
    "date_from_datetime_parsing": gettext_lazy("Harus berupa tanggal TTTT-BB-HH."),
    "date_from_datetime_inexact": gettext_lazy("Harus berupa tanggal TTTT-BB-HH."),
    "greater_than_equal": gettext_lazy("Paling kecil %(ge)s."),
    "less_than_equal": gettext_lazy("Paling besar %(le)s."),
    "datetime_type": gettext_lazy("Harus berupa waktu ISO 8601 dengan zona waktu."),
    "datetime_parsing": gettext_lazy("Harus berupa waktu ISO 8601 dengan zona waktu."),
    "timezone_aware": gettext_lazy("Waktu harus menyebut zona waktunya."),
    "json_invalid": gettext_lazy("Isi permintaan bukan JSON yang sah."),
    "model_attributes_type": gettext_lazy("Isi permintaan harus berupa objek JSON."),
    "dict_type": gettext_lazy("Isi permintaan harus berupa objek JSON."),
}
# Where a value came from; the next part of ``loc`` after these (and ninja's parameter name) is the field.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _message(error: dict) -> str:
    template = TYPE_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return str(template) % {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def _field_of(loc: list) -> str | None:
    # Only the first part names a source: a field may itself be called "file" (a multipart upload).
    parts = list(loc[1:] if loc and loc[0] in _SOURCES else loc)
    parts = [part for part in parts if part not in {"payload", "data"}]
    return str(parts[0]) if parts and isinstance(parts[0], str) else None


def _field_errors(errors: list[dict]) -> list[dict]:
    # Only the documented keys: pydantic's ``ctx`` may hold values that are not JSON.
    result = []
    for error in errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        # ninja names the body parameter ("payload"): leave it out, integrators know fields, not views.
        loc = [part for part in loc if part != "payload"]
        result.append({"loc": loc, "field": _field_of(loc), "msg": _message(error), "type": str(error.get("type", ""))})
    return result


def _domain_field_errors(errors: dict[str, str]) -> list[dict]:
    return [{"loc": ["body", field], "field": field, "msg": msg, "type": "invalid"} for field, msg in errors.items()]


def install_error_handlers(api: NinjaAPI) -> None:
    """Makes ``api`` answer DomainError, request validation, 404 and ninja's HTTP errors with ErrorOut."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, InvalidFields):
            detail = _("Data yang dikirim tidak valid: %(problems)s") % {
                "problems": "; ".join(f"{field}: {msg}" for field, msg in exc.errors.items())
            }
            return _error(api, request, 422, exc.code, detail, errors=_domain_field_errors(exc.errors))
        return _error(api, request, exc.status, exc.code, exc.message)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _field_errors(exc.errors)
        problems = "; ".join(
            f"{error['field'] or '.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in errors
        ) or _("data tidak dapat dibaca")
        detail = _("Data yang dikirim tidak valid: %(problems)s") % {"problems": problems}
        return _error(api, request, 422, "invalid_input", detail, errors=errors)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", str(exc) or _("Tidak ditemukan."))

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A body Django cannot parse (a broken multipart, too many fields, too large): the API answers in JSON
        # like every other refusal, where Django alone would send its HTML error page.
        return _error(api, request, 400, "bad_request", _("Permintaan tidak dapat dibaca."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = HTTP_ERROR_CODES.get(exc.status_code, "http_error")
        detail = _("Masuk sebagai staf terlebih dahulu.") if isinstance(exc, AuthenticationError) else str(exc)
        return _error(api, request, exc.status_code, code, detail)
