"""Staff over HTTP: the two login steps, logout, who am I, colleagues; the administration
of accounts; the clerk login page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.response import Response
from litestar.types import ControllerRouterHandler

from app.core.dependencies import ClockDep
from app.core.ratelimit import OPT_KEY as RATE_LIMIT_KEY
from app.staff import accounts, service, signin
from app.staff.accounts import Change
from app.staff.guards import (
    STAFF_DEPENDENCIES,
    CurrentStaff,
    StaffController,
    admin_required,
    client_ip,
    office_role,
)
from app.staff.schemas import (
    Colleague,
    Credentials,
    LoginStep,
    RoleGrant,
    SessionState,
    Staff,
    StaffAccount,
    StaffMember,
    StaffMemberCreate,
    TotpCode,
)
from app.staff.sessions import STAFF_SESSION
from app.web.rendering import offered_language, render

AnyRequest = Request[Any, Any, Any]
# Counted per client address by the app's rate limiter (APP_RATE_LIMIT_LOGIN, default 10 a
# minute); the lock-out per account is the login's own.
LOGIN_LIMIT = {RATE_LIMIT_KEY: "login"}


class LoginController(Controller):
    """The steps before a session is signed in: session and CSRF, no login required."""

    path = "/api/staff"
    tags = ("staff",)
    middleware = [STAFF_SESSION]
    cache_control = CacheControlHeader(no_store=True)

    @post(
        "/login",
        status_code=200,
        opt=LOGIN_LIMIT,
        summary="Log in, step 1: user name and password",
    )
    async def login(self, request: AnyRequest, data: JSONBody[Credentials]) -> LoginStep:
        return await signin.password_step(request, data.username, data.password)

    @post(
        "/login/code",
        status_code=200,
        opt=LOGIN_LIMIT,
        summary="Log in, step 2: the code from the app",
    )
    async def code(self, request: AnyRequest, data: JSONBody[TotpCode]) -> Staff:
        return await signin.code_step(request, data.code)

    @get("/session", summary="Whether this browser is signed in (never a 401)")
    async def session(self, request: AnyRequest) -> SessionState:
        return await signin.session_state(request)

    @post("/logout", status_code=204, summary="Log out")
    async def logout(self, request: AnyRequest) -> None:
        await signin.logout(request)


class StaffApiController(StaffController):
    path = "/api/staff"
    tags = ("staff",)

    @get("/me", summary="Who is signed in, with their offices and roles")
    async def me(self, staff: CurrentStaff) -> Staff:
        return staff

    @get(
        "/offices/{office_id:int}/colleagues",
        guards=[office_role()],
        summary="The people working in an office",
    )
    async def colleagues(self, office_id: FromPath[int]) -> list[Colleague]:
        return await service.colleagues(office_id)


async def _change(request: AnyRequest, staff: CurrentStaff) -> Change:
    return Change(staff.id, request.app.state.clock.now(), client_ip(request))


# Who makes a change, when and from where, for the audit log: `change: ChangeDep`.
ChangeDep = NamedDependency[Change]


class StaffAdminController(StaffController):
    """Administrators manage accounts: each change is audited with who made it."""

    path = "/api/staff/members"
    tags = ("staff",)
    guards = [*StaffController.guards, admin_required]
    dependencies = {**STAFF_DEPENDENCIES, "change": Provide(_change)}

    @get("/", summary="Every staff account with offices, roles, lock state and last login")
    async def accounts(self, clock: ClockDep) -> list[StaffAccount]:
        return await accounts.list_accounts(clock.now())

    @post("/", summary="Create a staff account; its first login enrols the second factor")
    async def create(self, data: JSONBody[StaffMemberCreate], change: ChangeDep) -> StaffMember:
        return await service.create_staff(data, now=change.now, by=change)

    @put(
        "/{staff_id:int}/offices/{office_id:int}",
        status_code=204,
        summary="Give a staff member a role in an office",
    )
    async def grant(
        self,
        staff_id: FromPath[int],
        office_id: FromPath[int],
        data: JSONBody[RoleGrant],
        change: ChangeDep,
    ) -> None:
        await service.grant_role(staff_id, office_id, data.role, now=change.now, by=change)

    @delete("/{staff_id:int}/offices/{office_id:int}", summary="Withdraw a role in an office")
    async def revoke(
        self, staff_id: FromPath[int], office_id: FromPath[int], change: ChangeDep
    ) -> None:
        await service.revoke_role(staff_id, office_id, by=change)

    @put("/{staff_id:int}/admin", status_code=204, summary="Make someone an administrator")
    async def make_admin(self, staff_id: FromPath[int], change: ChangeDep) -> None:
        await accounts.set_admin(staff_id, True, change)

    @delete("/{staff_id:int}/admin", summary="Make someone no longer an administrator")
    async def unmake_admin(self, staff_id: FromPath[int], change: ChangeDep) -> None:
        await accounts.set_admin(staff_id, False, change)

    @post("/{staff_id:int}/deactivate", status_code=204, summary="Deactivate; sessions end")
    async def deactivate(self, staff_id: FromPath[int], change: ChangeDep) -> None:
        await accounts.set_active(staff_id, False, change)

    @post("/{staff_id:int}/reactivate", status_code=204, summary="Reactivate an account")
    async def reactivate(self, staff_id: FromPath[int], change: ChangeDep) -> None:
        await accounts.set_active(staff_id, True, change)

    @post("/{staff_id:int}/unlock", status_code=204, summary="Lift a lock-out after failures")
    async def unlock(self, staff_id: FromPath[int], change: ChangeDep) -> None:
        await accounts.unlock(staff_id, change)

    @post(
        "/{staff_id:int}/second-factor/reset",
        status_code=204,
        summary="Reset the second factor: sessions end, the next login enrols anew",
    )
    async def reset_second_factor(self, staff_id: FromPath[int], change: ChangeDep) -> None:
        await accounts.reset_second_factor(staff_id, change)


class ClerkLoginPage(Controller):
    """The login page of the clerk workspace; visiting it issues the CSRF cookie."""

    path = "/clerk/{lang:str}/login"
    include_in_schema = False
    middleware = [STAFF_SESSION]
    guards = [offered_language]
    cache_control = CacheControlHeader(no_store=True)

    @get("/", sync_to_thread=False)
    def page(self, request: AnyRequest, lang: FromPath[str]) -> Response[str]:
        return render(request, "clerk/login.html", lang=lang, path="/clerk/{lang}/login")


HANDLERS: list[ControllerRouterHandler] = [
    LoginController,
    StaffApiController,
    StaffAdminController,
    ClerkLoginPage,
]
