"""What each login request does: check a step, then move the session on.

The glue between HTTP (session, client address) and the login rules in `login`; the
route handlers stay one line each.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection

from app.core.clock import Clock
from app.core.qrcodes import qr_svg
from app.settings import Settings
from app.staff import login, sessions, totp
from app.staff.errors import NotAuthenticated, SessionExpired
from app.staff.guards import client_ip, current_staff, signed_in
from app.staff.schemas import Enrolment, LoginStep, SessionState, Staff

Connection = ASGIConnection[Any, Any, Any, Any]


def _context(connection: Connection) -> tuple[Settings, Clock, str | None]:
    return connection.app.state.settings, connection.app.state.clock, client_ip(connection)


async def password_step(connection: Connection, username: str, password: str) -> LoginStep:
    """Check the password; the session then waits for a code (or for the enrolment)."""
    settings, clock, ip = _context(connection)
    now = clock.now()
    checked = await login.check_password(username, password, now=now, ip=ip)
    sessions.begin_second_factor(connection, checked.staff_id, now)
    if checked.enrolled:
        return LoginStep(next="totp")
    secret = await login.enrolment_secret(checked.staff_id, secret_key=settings.secret_key, now=now)
    if secret is None:  # enrolled in another tab meanwhile
        return LoginStep(next="totp")
    issuer = f"Amtsweg {settings.city_name}"
    uri = totp.provisioning_uri(secret, username=checked.username, issuer=issuer)
    return LoginStep(next="enrol", enrolment=Enrolment(secret, uri, qr_svg(uri)))


async def code_step(connection: Connection, code: str) -> Staff:
    """Check the code of the person whose password was right; then they are signed in."""
    settings, clock, ip = _context(connection)
    now = clock.now()
    staff_id = sessions.pending_staff_id(connection, now)
    await login.check_code(staff_id, code, secret_key=settings.secret_key, now=now, ip=ip)
    sessions.sign_in(connection, staff_id, now)
    return await current_staff(connection)


async def logout(connection: Connection) -> None:
    """End the session, whatever state it is in; a signed-in logout is audited."""
    _settings, clock, ip = _context(connection)
    staff = await signed_in(connection)
    if staff is not None:
        await login.logged_out(staff.id, now=clock.now(), ip=ip)
    sessions.sign_out(connection)


async def session_state(connection: Connection) -> SessionState:
    """For pages: signed in (and as whom), just expired, or not signed in."""
    try:
        return SessionState("signed_in", await current_staff(connection))
    except SessionExpired:
        return SessionState("expired")
    except NotAuthenticated:
        return SessionState("none")
