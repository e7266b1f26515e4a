"""What other domains' staff routes use: guards, the signed-in person, office checks.

    class WorkspaceController(StaffController):      # session + CSRF + login required
        path = "/api/clerk/offices/{office_id:int}/cases"

        @get("/", guards=[office_role("clerk", "lead")])   # 404 for other offices
        async def cases(self, office_id: FromPath[int], staff: CurrentStaff) -> …

A resource whose office comes from the database (a case) is checked in the handler or
service with `require_role(staff, case.office_id, hide_as=CaseNotFound)`. Someone without
a role in an office gets a 404, never a 403, so ids of other offices cannot be probed.
Administrators may act in every office.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine
from ipaddress import ip_address, ip_network
from typing import Any

from litestar import Controller
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler

from app.core.clock import Clock
from app.core.errors import NotFound
from app.settings import Settings
from app.staff import service, sessions
from app.staff.errors import AdminRequired, NotAuthenticated, OfficeNotFound
from app.staff.schemas import ROLES, Staff
from app.staff.sessions import STAFF_SESSION

ANY_ROLE: frozenset[str] = frozenset(ROLES)
LEAD: frozenset[str] = frozenset({"lead"})
_CACHE = "amtsweg.staff"  # scope state: the signed-in Staff, loaded once per request

Connection = ASGIConnection[Any, Any, Any, Any]
Guard = Callable[[Connection, BaseRouteHandler], Coroutine[Any, Any, None]]


async def current_staff(connection: Connection) -> Staff:
    """The signed-in, active staff member; raises NotAuthenticated or SessionExpired.

    Loaded from the database on every request, so a deactivated account or a withdrawn
    role takes effect at once.
    """
    state = connection.scope.setdefault("state", {})
    cached = state.get(_CACHE)
    if isinstance(cached, Staff):
        return cached
    settings: Settings = connection.app.state.settings
    clock: Clock = connection.app.state.clock
    staff_id = sessions.session_staff_id(connection, settings, clock.now())
    staff = await service.signed_in_staff(staff_id, since=sessions.session_started(connection))
    if staff is None:
        sessions.sign_out(connection)
        raise NotAuthenticated()
    state[_CACHE] = staff
    return staff


async def signed_in(connection: Connection) -> Staff | None:
    """For pages: the signed-in staff member, or None (an ended session is cleared)."""
    try:
        return await current_staff(connection)
    except NotAuthenticated:
        return None


async def staff_required(connection: Connection, _handler: BaseRouteHandler) -> None:
    await current_staff(connection)


async def admin_required(connection: Connection, _handler: BaseRouteHandler) -> None:
    if not (await current_staff(connection)).is_admin:
        raise AdminRequired()


def require_role(
    staff: Staff,
    office_id: int | None,
    roles: Collection[str] = ANY_ROLE,
    *,
    hide_as: type[NotFound] = OfficeNotFound,
) -> Staff:
    """`staff` may act in `office_id` with one of `roles` (admins always), else `hide_as`."""
    if office_id is None or not staff.may(office_id, roles):
        raise hide_as()
    return staff


def office_role(*roles: str, param: str = "office_id") -> Guard:
    """A guard for routes with an office id in the path: a role there, or 404."""
    allowed = frozenset(roles or ROLES)

    async def guard(connection: Connection, _handler: BaseRouteHandler) -> None:
        office_id = connection.path_params.get(param)
        if not isinstance(office_id, int):
            raise RuntimeError(f"office_role needs an int path parameter {param!r}")
        require_role(await current_staff(connection), office_id, allowed)

    return guard


async def _provide_staff(request: Connection) -> Staff:
    return await current_staff(request)


def client_ip(connection: Connection) -> str | None:
    """The client's address; X-Forwarded-For only when the peer is a trusted proxy."""
    settings: Settings = connection.app.state.settings
    peer = connection.client.host if connection.client else None
    if peer and settings.trusted_proxies and _trusted(peer, settings.trusted_proxies):
        hops = [hop.strip() for hop in connection.headers.get("x-forwarded-for", "").split(",")]
        # The nearest hop that is not one of our proxies is the client.
        for hop in reversed([hop for hop in hops if hop]):
            if not _is_ip(hop):
                break  # a forged or garbled header: fall back to the peer
            if not _trusted(hop, settings.trusted_proxies):
                return hop
    return peer


def _is_ip(address: str) -> bool:
    try:
        ip_address(address)
    except ValueError:
        return False
    return True


def _trusted(address: str, proxies: Collection[str]) -> bool:
    return _is_ip(address) and any(
        ip_address(address) in ip_network(proxy, strict=False) for proxy in proxies
    )


# The signed-in person in a handler signature: `staff: CurrentStaff` (the name matters).
CurrentStaff = NamedDependency[Staff]
STAFF_DEPENDENCIES = {"staff": Provide(_provide_staff)}


class StaffController(Controller):
    """Base of every controller of staff routes: session and CSRF, login required, the
    `staff` dependency, and no caching of answers that hold personal data.

    A subclass that sets its own `guards` or `dependencies` must keep these:
    `guards = [*StaffController.guards, …]`.
    """

    middleware = [STAFF_SESSION]
    guards = [staff_required]
    dependencies = STAFF_DEPENDENCIES
    cache_control = CacheControlHeader(no_store=True)
