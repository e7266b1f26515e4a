"""What can go wrong with a push request, each with a stable code."""

from __future__ import annotations

from app.core.errors import InvalidInput, NotFound
from app.core.translation import _


class InvalidPushEndpoint(InvalidInput):
    code = "invalid_push_endpoint"
    message = _("This push subscription cannot be used. Please allow notifications again.")


class InsecurePushEndpoint(InvalidInput):
    code = "push_endpoint_not_https"
    message = _("Notifications need a push service reached over a secure (https) connection.")


class InvalidPushKeys(InvalidInput):
    code = "invalid_push_keys"
    message = _("The keys of this push subscription are not valid.")


class NoticeNotFound(NotFound):
    code = "notice_not_found"
    message = _("This notification is no longer available.")
