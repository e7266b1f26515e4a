"""Staff over HTTP: the two login steps, logout, who am I, colleagues, accounts; the
clerk login page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath, JSONBody
from litestar.response import Response
from litestar.types import ControllerRouterHandler

from app.core.dependencies import ClockDep
from app.core.ratelimit import OPT_KEY as RATE_LIMIT_KEY
from app.staff import service, signin
from app.staff.guards import CurrentStaff, StaffController, admin_required, office_role
from app.staff.schemas import (
    Colleague,
    Credentials,
    LoginStep,
    RoleGrant,
    SessionState,
    Staff,
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

    @post("/members", guards=[admin_required], summary="Create a staff account")
    async def create(self, data: JSONBody[StaffMemberCreate], clock: ClockDep) -> StaffMember:
        return await service.create_staff(data, now=clock.now())

    @put(
        "/members/{staff_id:int}/offices/{office_id:int}",
        guards=[admin_required],
        status_code=204,
        summary="Give a staff member a role in an office",
    )
    async def grant(
        self,
        staff_id: FromPath[int],
        office_id: FromPath[int],
        data: JSONBody[RoleGrant],
        clock: ClockDep,
    ) -> None:
        await service.grant_role(staff_id, office_id, data.role, now=clock.now())

    @delete(
        "/members/{staff_id:int}/offices/{office_id:int}",
        guards=[admin_required],
        summary="Withdraw a staff member's role in an office",
    )
    async def revoke(self, staff_id: FromPath[int], office_id: FromPath[int]) -> None:
        await service.revoke_role(staff_id, office_id)


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


HANDLERS: list[ControllerRouterHandler] = [LoginController, StaffApiController, ClerkLoginPage]
