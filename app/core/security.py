"""Security headers on every response, static files included.

An ASGI middleware rather than app-level `response_headers`, because the latter do not
reach the static-files router. Camera and microphone are allowed only on the video pages.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

MEDIA_PAGES = ("/video/",)
_NO_MEDIA = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
_MEDIA = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=()"


def security_headers(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        path = scope["path"]
        media = any(
            path.startswith(prefix) or f"/{prefix.strip('/')}/" in path for prefix in MEDIA_PAGES
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                headers["Content-Security-Policy"] = CSP
                headers["Referrer-Policy"] = "no-referrer"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Cross-Origin-Resource-Policy"] = "same-origin"
                headers["Permissions-Policy"] = _MEDIA if media else _NO_MEDIA
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
