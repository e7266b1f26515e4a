"""Why a device request failed: stable codes, translatable messages."""

from __future__ import annotations

from app.core.errors import DomainError, InvalidInput, NotFound
from app.core.translation import _


class DeviceNotFound(NotFound):
    """Also what a lead of another office gets: the device's existence is not revealed."""

    code = "device_not_found"
    message = _("This kiosk device does not exist.")


class InvalidDeviceName(InvalidInput):
    code = "invalid_device_name"
    message = _("Please give the device a name.")


class InvalidEnrolmentCode(InvalidInput):
    """Wrong, expired, used and revoked codes get this one answer."""

    code = "invalid_enrolment_code"
    message = _(
        "This enrolment code is wrong, has expired or was already used. Please ask an "
        "administrator for a new code."
    )


class DeviceCredentialRequired(DomainError):
    status = 401
    code = "device_credential_required"
    message = _("Only an enrolled kiosk may do this.")


class DeviceCredentialInvalid(DeviceCredentialRequired):
    """Unknown and revoked credentials get this one answer."""

    code = "device_credential_invalid"
    message = _("This kiosk is not enrolled (any more). Please enrol it again.")
