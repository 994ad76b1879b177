"""What the API reads, held to what its OpenAPI document says.

- ``InputSchema``: the base of every query schema, and ``BodySchema`` of every request body. ninja's
  ``Schema`` reads any object's attributes, so a JSON array or string sent for an object would pass as an
  object with every field left out; here it is refused as JSON's type says. A body is read strictly by
  JSON's types (pydantic alone takes ``0`` for ``false`` and ``"5"`` for ``5``).
- ``IsoDate`` and ``IsoDateTime``: only the strings the document's ``format: date`` and ``format:
  date-time`` describe. Pydantic alone also reads a number as seconds since 1970 (``?date=0``).
- ``Id``: a database key, which PostgreSQL's and SQLite's integers can hold.
- ``refuse_unstorable_text``: text no database stores (U+0000, unpaired surrogates) answers 422 before it
  reaches a query, wherever it is sent: path, query, header, form or JSON body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import wraps
from typing import Annotated, Any

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.schema import DjangoGetter
from pydantic import AwareDatetime, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from jangkau.core.errors import InvalidFields

# The largest key a signed 64-bit integer holds: PostgreSQL's bigint, SQLite's INTEGER.
MAX_ID = 2**63 - 1
# Pages: at most this many rows, from at most this far in (beyond any table's size; SQL's OFFSET is bounded).
MAX_PAGE = 500
MAX_OFFSET = 2**31 - 1


def _whole(value: Any) -> Any:
    # JSON Schema's integer includes 2.0; a strict int would refuse it. Strings stay for the field to judge.
    return int(value) if isinstance(value, float) and value.is_integer() else value


# An integer as JSON Schema means it (``2.0`` is one); in a body, never a string or a boolean.
Int = Annotated[int, BeforeValidator(_whole)]


def bounded_int(ge: int, le: int) -> Any:
    """``Int`` from ``ge`` to ``le``. The bounds come before the validator: after it, pydantic would write
    them into the document as ``ge``/``le`` instead of ``minimum``/``maximum``."""
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_whole)]


Id = bounded_int(1, MAX_ID)
# A step of the POS as its records keep it (a small positive integer), and one of the POS's eight steps.
StepNo = bounded_int(1, 32767)
PosStep = bounded_int(1, 8)


class Pagination(LimitOffsetPagination):
    """ninja's limit and offset, bounded: an unbounded one reached SQLite as an integer it cannot hold (500)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"Rows per page, 1 to {MAX_PAGE}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")


class InputSchema(Schema):
    """A group of query parameters, or the base of a body: a JSON object, never any other value."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        value = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(value, dict):
            raise PydanticCustomError("model_attributes_type", "Input should be a JSON object")
        return data


class BodySchema(InputSchema):
    """A JSON request body, read by JSON's types: ``0`` is not ``false`` and ``"5"`` is not ``5``, as the
    document says. Enum fields take their values as strings (``Field(strict=False)``), dates through
    ``IsoDate``/``IsoDateTime``."""

    model_config = ConfigDict(strict=True)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339's date-time, the JSON Schema format: seconds and an offset are required.
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date_parsing", "Input should be a date, YYYY-MM-DD")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.fullmatch(value):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("datetime_parsing", "Input should be an RFC 3339 date-time with its offset")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime)]


def day_in_range(name: str, day: date) -> None:
    """Raises InvalidFields (422, naming ``name``) for a day outside the years the reports and the back
    office's forms take (2000-2099): the day before year 1 or after 9999 is no date at all (was a 500)."""
    from jangkau.reports.evaluation import EARLIEST_YEAR, LATEST_YEAR

    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise InvalidFields(
            {
                name: _("Tanggal harus antara tahun %(first)s dan %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
            }
        )


def period_in_range(start: date, end: date) -> None:
    """Raises InvalidFields naming ``from`` or ``to`` (the query's names) for a period outside 2000-2099 or
    one that ends before it starts, with the back office's words (``reports.evaluation.custom_period``)."""
    from jangkau.reports.evaluation import PeriodError, custom_period

    try:
        custom_period(start, end)
    except PeriodError as error:
        raise InvalidFields({{"date_from": "from", "date_to": "to"}[error.field]: error.message}) from None


# --- text no database stores ------------------------------------------------------------------------------

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _unstorable_in(document: Any, loc: list[str | int]) -> Iterator[list[str | int]]:
    """Yields the location of each string in ``document`` (decoded JSON) no database stores. Walked with a
    stack of its own, not by recursion: JSON may nest as deep as its parser allows."""
    stack = [(document, loc)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                yield where
        elif isinstance(value, dict):
            for key, item in value.items():
                if _UNSTORABLE.search(key):
                    yield [*where, key]
                else:
                    stack.append((item, [*where, key]))
        elif isinstance(value, list):
            stack.extend((item, [*where, index]) for index, item in enumerate(value))


_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _json_body(request: HttpRequest) -> Any:
    """The body as ninja will read it (JSON, whatever the content type), or None when it cannot be read:
    ninja answers 400 for that."""
    if not request.body:
        return None
    try:
        return json.loads(request.body)
    except (ValueError, RecursionError):
        return None


def _unstorable(request: HttpRequest, path_params: dict[str, Any], sources: set[str]) -> list[list[str | int]]:
    """Where the request carries text no database stores, looking only where the operation reads: a form is
    parsed only for an operation that takes one (once parsed, the raw body can no longer be read)."""
    found: list[list[str | int]] = []
    containers: list[tuple[str, Any]] = [("path", path_params), ("query", request.GET)]
    reads_form = request.content_type in _FORMS and bool(sources & {"form", "file", "multipart"})
    if reads_form:
        containers.append(("form", request.POST))
    for source, values in containers:
        for name in values:
            items = values.getlist(name) if hasattr(values, "getlist") else [values[name]]
            if _UNSTORABLE.search(name) or any(isinstance(v, str) and _UNSTORABLE.search(v) for v in items):
                found.append([source, name])
    for name, value in request.headers.items():
        if _UNSTORABLE.search(value):
            found.append(["header", name])
    if "body" in sources and not reads_form:
        # ninja reads a body as JSON whatever its content type says.
        found.extend(_unstorable_in(_json_body(request), ["body"]))
    return found


def _sources(operation: Any) -> set[str]:
    sources = {getattr(model, "__ninja_param_source__", None) for model in operation.models}
    # A schema body next to a file comes as multipart form fields (ninja's _MultiPartBodyModel).
    if any(getattr(model, "__ninja_body_params__", None) for model in operation.models):
        sources.add("multipart")
    return sources


def refuse_unstorable_text(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A ninja view decorator (``api.add_decorator(..., mode="view")``, around ``Operation.run``): answers a
    request carrying U+0000 or an unpaired surrogate, which PostgreSQL refuses to store or compare, as the
    API answers a ValidationError (422), before authentication and parsing. An operation that reads nothing
    from the request is left as it is; every other one declares 422."""
    operation = run.__self__
    if not operation.models:
        return run
    api, sources = operation.api, _sources(operation)

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **path_params: Any) -> HttpResponseBase:
        try:
            found = _unstorable(request, path_params, sources)
        except (MultiPartParserError, BadRequest, SuspiciousOperation) as unreadable:
            # Reading the form first, this check meets a body Django cannot parse before ninja does: it gets
            # the API's answer (``errors.install_error_handlers``), not Django's HTML error page.
            return api.on_exception(request, unreadable)
        if found:
            message = _("Teks tidak boleh berisi karakter NUL (U+0000) atau karakter Unicode yang tidak sah.")
            errors = [{"loc": loc, "msg": message, "type": "string_unstorable"} for loc in found]
            return api.on_exception(request, ValidationError(errors))
        return run(request, *args, **path_params)

    return checked
