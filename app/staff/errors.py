"""Why a login, a session or an office check failed: stable codes, translatable messages."""

from __future__ import annotations

from app.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from app.core.translation import _


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    message = _("Please log in first.")


class SessionExpired(NotAuthenticated):
    code = "session_expired"
    message = _("Your session has expired. Please log in again.")


class InvalidCredentials(NotAuthenticated):
    """Wrong password and unknown user: one answer, so nobody learns who has an account."""

    code = "invalid_credentials"
    message = _("The user name or the password is wrong.")


class AccountLocked(DomainError):
    status = 423
    code = "account_locked"
    message = _("Too many failed attempts. This account is locked until {until} ({zone}).")


class InvalidTotp(NotAuthenticated):
    code = "invalid_totp"
    message = _("The code is wrong or has expired. Please enter the current code from the app.")


class TotpReplayed(NotAuthenticated):
    code = "totp_replayed"
    message = _("This code was already used. Please wait for the next code in the app.")


class LoginStepExpired(NotAuthenticated):
    code = "login_step_expired"
    message = _("The login took too long. Please enter your user name and password again.")


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    message = _("This request could not be verified. Please reload the page and try again.")


class AdminRequired(Forbidden):
    code = "admin_required"
    message = _("Only administrators may do this.")


class OfficeNotFound(NotFound):
    """Also what a clerk of another office gets: the office's existence is not revealed."""

    code = "office_not_found"
    message = _("This office does not exist.")


class UsernameTaken(InvalidInput):
    status = 409
    code = "username_taken"
    message = _("This user name is already taken.")


class InvalidUsername(InvalidInput):
    code = "invalid_username"
    message = _(
        "A user name has 3 to 64 characters: lower-case letters, digits, dots, hyphens and "
        "underscores."
    )


class StaffMemberNotFound(NotFound):
    code = "staff_member_not_found"
    message = _("This staff account does not exist.")


class LastAdmin(Conflict):
    """Nobody could administer the city any more: the last active admin stays one."""

    code = "last_admin"
    message = _("This is the last active administrator. Make someone else an administrator first.")
