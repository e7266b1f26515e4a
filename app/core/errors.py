"""Domain exceptions: a stable code, an HTTP status and a translatable message.

Domains subclass these (`class CaseNotFound(NotFound)`) and raise a fresh instance each
time; `app.core.problems` turns them into RFC 9457 problem details in the request's
language, in one place.
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.core.translation import _


class DomainError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    message: ClassVar[str] = _("The request could not be processed.")

    def __init__(self, *, field: str | None = None, **params: Any) -> None:
        super().__init__(self.code)
        self.field = field
        self.params = params


class InvalidInput(DomainError):
    status = 422
    code = "invalid_input"
    message = _("Please check your input.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = _("This page or record does not exist.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    message = _("You are not allowed to do this.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message = _("This was changed in the meantime. Please reload and try again.")


class InvalidToken(DomainError):
    status = 404
    code = "invalid_token"
    message = _("This link or QR code is not valid.")


class ExpiredToken(DomainError):
    status = 410
    code = "expired_token"
    message = _("This link or QR code has expired.")
