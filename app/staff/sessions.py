"""Server-side staff sessions and CSRF protection, as one middleware for staff routes only.

Sessions live in a Litestar store (memory in one process, Redis when `APP_REDIS_URL` is
set, so N processes share them); the browser holds only a random id in an HttpOnly,
SameSite=Strict cookie, `Secure` and `__Host-` prefixed when the app runs on https.

Unlike Litestar's stock server-side backend, an empty session is never stored (a
cookie-less request leaves no trace), an id the store does not know is never adopted
(no session fixation), and the id changes whenever the login moves on a step.

CSRF: a signed double-submit token. Safe requests get a readable `amtsweg-csrf` cookie
(random value + HMAC under a key derived from the app's secret key); every unsafe request
must repeat it in the `X-CSRF-Token` header, or it is refused with 403 before any handler
runs. Another site can neither read the cookie nor set a header on a cross-site request.

Use it on a layer (controller or router) with `middleware = [STAFF_SESSION]`; the guards in
`app.staff.guards` refuse to run without it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal

from litestar import Litestar, Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.session.base import SessionMiddleware
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.types import Empty, Message, Receive, Scope, ScopeSession, Send

from app.core.problems import problem
from app.settings import Settings
from app.staff.errors import CsrfFailed, LoginStepExpired, NotAuthenticated, SessionExpired

SESSION_COOKIE = "amtsweg-staff"
CSRF_COOKIE = "amtsweg-csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_STORE = "staff_sessions"
_KNOWN_ID = "staff_session_id"  # scope state: the id whose data was loaded from the store
_ROTATE = "staff_session_rotate"  # scope state: hand out a new id with this response
_CSRF_CONTEXT = b"amtsweg:staff-csrf:v1"
# The password was right; the second factor must follow within this time.
SECOND_FACTOR_TIMEOUT = timedelta(minutes=5)
SECOND_FACTOR = "second_factor"
SIGNED_IN = "signed_in"


def _settings(app: Litestar) -> Settings:
    settings: Settings = app.state.settings
    return settings


def is_secure(settings: Settings) -> bool:
    return settings.base_url.startswith("https://")


def cookie_name(base: str, settings: Settings) -> str:
    """`__Host-` makes the browser insist on Secure, Path=/ and no Domain; https only."""
    return f"__Host-{base}" if is_secure(settings) else base


def _cookie(key: str, value: str, settings: Settings, *, httponly: bool, **extra: Any) -> str:
    cookie = Cookie(
        key=key,
        value=value,
        path="/",
        secure=is_secure(settings),
        httponly=httponly,
        samesite="strict",
        **extra,
    )
    return cookie.to_header(header="")


def rotate(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Give this session a new id with the response (after each login step)."""
    connection.scope.setdefault("state", {})[_ROTATE] = True


class StaffSessionBackend(ServerSideSessionBackend):
    config: StaffSessionConfig

    def _cookie_name(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        return cookie_name(self.config.key, _settings(connection.app))

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        session_id = connection.cookies.get(self._cookie_name(connection))
        if not session_id:
            return {}
        data = await self.get(session_id, self.config.get_store_from_app(connection.app))
        if data is None:
            return {}
        connection.scope.setdefault("state", {})[_KNOWN_ID] = session_id
        return self.deserialize_data(data)

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        known = connection.scope.get("state", {}).get(_KNOWN_ID)
        return known if isinstance(known, str) else self.generate_session_id()

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        settings = _settings(connection.app)
        store = self.config.get_store_from_app(connection.app)
        headers = MutableScopeHeaders.from_message(message)
        state = connection.scope.get("state", {})
        known = state.get(_KNOWN_ID)
        name = self._cookie_name(connection)
        if scope_session is Empty or not scope_session:
            if known:
                await self.delete(known, store)
            if connection.cookies.get(name):
                headers.add("Set-Cookie", _cookie(name, "", settings, httponly=True, max_age=0))
            return
        session_id = known
        if not known or state.get(_ROTATE):
            if known:
                await self.delete(known, store)
            session_id = self.generate_session_id()
            headers.add("Set-Cookie", _cookie(name, session_id, settings, httponly=True))
        lifetime = int(settings.staff_session_lifetime.total_seconds())
        data = self.serialize_data(scope_session, connection.scope)
        await store.set(str(session_id), data, expires_in=lifetime)


@dataclass
class StaffSessionConfig(ServerSideSessionConfig):
    """Cookie flags are fixed here; `Secure` and the store follow the app's settings."""

    _backend_class: ClassVar[type[StaffSessionBackend]] = StaffSessionBackend  # type: ignore[misc]
    key: str = field(default=SESSION_COOKIE)
    httponly: bool = field(default=True)
    samesite: Literal["lax", "strict", "none"] = field(default="strict")
    store: str = field(default=_STORE)

    def get_store_from_app(self, app: Litestar) -> Store:
        """Memory by default; with APP_REDIS_URL one Redis store that N processes share."""
        store: Store | None = app.state.get(self.store)
        if store is None:
            redis_url = _settings(app).redis_url
            store = (
                RedisStore.with_client(url=redis_url, namespace="amtsweg-staff-sessions")
                if redis_url
                else MemoryStore()
            )
            app.state[self.store] = store
        return store


def _csrf_key(settings: Settings) -> bytes:
    return hmac.new(settings.secret_key, _CSRF_CONTEXT, hashlib.sha256).digest()


def _sign(value: str, settings: Settings) -> str:
    mac = hmac.new(_csrf_key(settings), value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def new_csrf_token(settings: Settings) -> str:
    value = secrets.token_urlsafe(32)
    return f"{value}.{_sign(value, settings)}"


def csrf_token_valid(token: str | None, settings: Settings) -> bool:
    """A token we issued: its signature matches (a planted random value does not)."""
    if not token or len(token) > 200:
        return False
    value, _dot, mac = token.partition(".")
    return bool(value) and hmac.compare_digest(mac, _sign(value, settings))


class StaffSessionMiddleware(SessionMiddleware[StaffSessionBackend]):
    """Refuses unsafe requests without the CSRF header, then loads and stores the session."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope, receive, send)
        settings = _settings(connection.app)
        name = cookie_name(CSRF_COOKIE, settings)
        token = connection.cookies.get(name)
        valid = csrf_token_valid(token, settings)
        if scope["type"] == ScopeType.HTTP and scope.get("method") not in SAFE_METHODS:
            sent = connection.headers.get(CSRF_HEADER, "")
            if not (valid and token and hmac.compare_digest(sent.encode(), token.encode())):
                await _refuse(scope, receive, send)
                return
        if not valid:
            send = _with_cookie(
                send, _cookie(name, new_csrf_token(settings), settings, httponly=False)
            )
        await super().__call__(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer 403 here rather than raise: a raised error would be answered outside the
    app's middleware, without its security headers."""
    request: Request[Any, Any, Any] = Request(scope, receive, send)
    error = CsrfFailed()
    response = problem(request, error.status, error.code, error.message)
    await response.to_asgi_response(app=None, request=request)(scope, receive, send)


def _with_cookie(send: Send, set_cookie: str) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            MutableScopeHeaders.from_message(message).add("Set-Cookie", set_cookie)
        await send(message)

    return wrapped


STAFF_SESSION = DefineMiddleware(
    StaffSessionMiddleware, backend=StaffSessionBackend(config=StaffSessionConfig())
)


# What a session holds: {"stage", "staff_id", "since", "seen"}, times as Unix seconds of
# the app's clock (so tests can move it), never anything personal.


def _start(
    connection: ASGIConnection[Any, Any, Any, Any], stage: str, staff_id: int, now: datetime
) -> None:
    moment = now.timestamp()
    connection.set_session({"stage": stage, "staff_id": staff_id, "since": moment, "seen": moment})
    rotate(connection)


def begin_second_factor(
    connection: ASGIConnection[Any, Any, Any, Any], staff_id: int, now: datetime
) -> None:
    """The password was right: remember who, until the code follows."""
    _start(connection, SECOND_FACTOR, staff_id, now)


def sign_in(connection: ASGIConnection[Any, Any, Any, Any], staff_id: int, now: datetime) -> None:
    _start(connection, SIGNED_IN, staff_id, now)


def sign_out(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Forget the session: its store entry is deleted and the cookie expired."""
    connection.set_session({})


def _session(connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
    if "session" not in connection.scope:
        raise RuntimeError("staff routes need `middleware = [STAFF_SESSION]` on their layer")
    session = connection.scope["session"]
    return session if isinstance(session, dict) else {}


def pending_staff_id(connection: ASGIConnection[Any, Any, Any, Any], now: datetime) -> int:
    """Whose password was checked in this session, within SECOND_FACTOR_TIMEOUT."""
    session = _session(connection)
    if session.get("stage") != SECOND_FACTOR:
        raise LoginStepExpired()
    if now.timestamp() - float(session["since"]) > SECOND_FACTOR_TIMEOUT.total_seconds():
        sign_out(connection)
        raise LoginStepExpired()
    return int(session["staff_id"])


def session_staff_id(
    connection: ASGIConnection[Any, Any, Any, Any], settings: Settings, now: datetime
) -> int:
    """Who is signed in; ends a session idle or old beyond the settings, and notes activity."""
    session = _session(connection)
    if session.get("stage") != SIGNED_IN:
        raise NotAuthenticated()
    moment = now.timestamp()
    idle = moment - float(session["seen"])
    age = moment - float(session["since"])
    if (
        idle > settings.staff_idle_timeout.total_seconds()
        or age > settings.staff_session_lifetime.total_seconds()
    ):
        sign_out(connection)
        raise SessionExpired()
    session["seen"] = moment
    return int(session["staff_id"])


def session_started(connection: ASGIConnection[Any, Any, Any, Any]) -> datetime:
    """When this session was signed in (UTC): an account may end all older sessions."""
    return datetime.fromtimestamp(float(_session(connection)["since"]), UTC)
