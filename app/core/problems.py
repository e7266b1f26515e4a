"""Every error leaves as RFC 9457 problem details, translated, with a stable code.

Domain exceptions carry their own code and message; framework exceptions (validation,
unknown route, wrong method, oversized body) are mapped here; anything else is logged
and answered with a generic 500 — never a stack trace.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.types import ExceptionHandlersMap

from app.core.errors import DomainError
from app.core.locale import request_catalog
from app.core.translation import _

log = logging.getLogger("amtsweg.errors")

PROBLEM_JSON = "application/problem+json"

_GENERIC: dict[int, tuple[str, str]] = {
    400: ("invalid_input", _("Please check your input.")),
    401: ("not_authenticated", _("Please log in first.")),
    403: ("forbidden", _("You are not allowed to do this.")),
    404: ("not_found", _("This page or record does not exist.")),
    405: ("method_not_allowed", _("This action is not possible here.")),
    413: ("too_large", _("The upload is too large.")),
    415: ("unsupported_media_type", _("This kind of file or data is not accepted.")),
    429: ("too_many_requests", _("Too many requests. Please wait a moment and try again.")),
    500: ("internal_error", _("Something went wrong on our side. Nothing was saved.")),
}
_FIELD_INVALID = _("This value is not valid.")
_FIELD_MISSING = _("This field is required.")


def problem(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    message: str,
    *,
    errors: list[dict[str, str]] | None = None,
    params: dict[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    catalog = request_catalog(request)
    body: dict[str, Any] = {
        "type": f"/problems/{code}",
        "title": catalog.gettext(message, **(params or {})),
        "status": status,
        "code": code,
        "instance": request.url.path,
        "lang": catalog.language.code,
    }
    if errors:
        body["errors"] = [{**error, "detail": catalog.gettext(error["detail"])} for error in errors]
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def _domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    errors = [{"field": exc.field, "detail": exc.message}] if exc.field else None
    return problem(request, exc.status, exc.code, exc.message, errors=errors, params=exc.params)


def _field_name(key: str) -> str:
    """msgspec says `$.contact.email` or "at `$.name`"; clients want `contact.email`."""
    match = re.search(r"\$\.?([\w.\[\]]*)", key)
    return match.group(1) if match else key


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors: list[dict[str, str]] = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        missing = "missing required field" in message.lower()
        named = re.search(r"`([^`]+)`", message) if missing else None
        # msgspec reports a missing field on the enclosing object ("data"); name the field.
        field = named.group(1) if named else str(item.get("key") or _field_name(message))
        errors.append(
            {
                "field": field,
                "source": str(item.get("source", "body")),
                "detail": _FIELD_MISSING if missing else _FIELD_INVALID,
            }
        )
    if not errors and exc.detail:
        errors.append({"field": _field_name(str(exc.detail)), "detail": _FIELD_INVALID})
    code, message = _GENERIC[400]
    return problem(request, 400, code, message, errors=errors)


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code if exc.status_code in _GENERIC else 400
    code, message = _GENERIC[status]
    response = problem(request, status, code, message)
    if isinstance(exc, MethodNotAllowedException) and exc.headers:
        response.headers.update(exc.headers)
    if isinstance(exc, TooManyRequestsException) and exc.headers:
        response.headers.update(exc.headers)
    return response


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    code, message = _GENERIC[500]
    return problem(request, 500, code, message)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: _domain_error,
    ValidationException: _validation_error,
    NotFoundException: _http_error,
    NotAuthorizedException: _http_error,
    PermissionDeniedException: _http_error,
    MethodNotAllowedException: _http_error,
    HTTPException: _http_error,
    Exception: _unexpected,
}
