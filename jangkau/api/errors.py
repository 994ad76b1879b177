"""One JSON shape for every refusal of the API, and the exception handlers that produce it.

Integrators branch on ``code`` (stable, English, snake_case) and show ``detail`` (for people, translated).
Every operation declares the error statuses it can answer with, so the OpenAPI document tells the truth.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jangkau.core.errors import DomainError


class ErrorItem(Schema):
    """One field-level problem found while validating the request."""

    loc: list[str | int]
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


def _field_errors(errors: list[dict]) -> list[dict]:
    # Only the documented keys: pydantic's ``ctx`` may hold values that are not JSON.
    return [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in errors
    ]


def install_error_handlers(api: NinjaAPI) -> None:
    """Makes ``api`` answer DomainError, request validation, 404 and ninja's HTTP errors with ErrorOut."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return _error(api, request, exc.status, exc.code, exc.message)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _field_errors(exc.errors)
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in errors
        ) or _("data tidak dapat dibaca")
        detail = _("Data yang dikirim tidak valid: %(problems)s") % {"problems": problems}
        return _error(api, request, 422, "invalid_input", detail, errors=errors)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", str(exc) or _("Tidak ditemukan."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = HTTP_ERROR_CODES.get(exc.status_code, "http_error")
        detail = _("Masuk sebagai staf terlebih dahulu.") if isinstance(exc, AuthenticationError) else str(exc)
        return _error(api, request, exc.status_code, code, detail)
