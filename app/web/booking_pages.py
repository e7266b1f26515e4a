"""The citizen app's booking pages: book a service, manage, confirm and cancel a booking,
join and follow the waiting list.

Each page is a frame of translated text; its module (`pwa/js/booking/`) reads the service
or the token from the URL and does everything else through the booking API. A GET of any
of these pages changes nothing: confirming, cancelling and accepting take a click, so a
mail scanner that follows a link cannot do them. Pages opened by a token are not cached
and not indexed: the token is the key to the booking.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Response

from app.catalogue import service as catalogue
from app.core.errors import NotFound
from app.core.translation import _
from app.web.rendering import offered_language, render

# What every page that carries a capability token in its URL answers with.
_PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
# Our tokens are base64url; anything else cannot open a booking.
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_MAX_TOKEN = 200


class PageTokenInvalid(NotFound):
    code = "invalid_token"
    message = _("This link is invalid or has expired.")


def _token_path(template: str, token: str) -> str:
    """The page's URL with `{lang}` left for the language switch, the token filled in."""
    if not token or len(token) > _MAX_TOKEN or not set(token) <= _TOKEN_CHARS:
        raise PageTokenInvalid()
    return template.replace("{token}", token)


def _private(response: Response[str]) -> Response[str]:
    response.headers.update(_PRIVATE)
    return response


class BookingPagesController(Controller):
    path = "/"
    tags = ["web"]
    include_in_schema = False
    guards = [offered_language]

    @get("/{lang:str}/book/{slug:str}")
    async def book(
        self, request: Request[Any, Any, Any], lang: FromPath[str], slug: FromPath[str]
    ) -> Response[str]:
        """Triage, place, day and time, contact, check, confirmation: one page, in steps."""
        service = await catalogue.get_service(slug, lang)
        path = "/{lang}/book/" + service.slug
        return render(request, "book.html", lang=lang, path=path, service=service)

    @get("/{lang:str}/book/{slug:str}/waitlist")
    async def join_waitlist(
        self, request: Request[Any, Any, Any], lang: FromPath[str], slug: FromPath[str]
    ) -> Response[str]:
        """Ask to be offered the first freed appointment of a service."""
        service = await catalogue.get_service(slug, lang)
        offices = await catalogue.offices_offering(service.id, lang)
        path = "/{lang}/book/" + service.slug + "/waitlist"
        return render(
            request,
            "waitlist_join.html",
            lang=lang,
            path=path,
            service=service,
            offices=[office for office in offices if office.kind == "district"],
        )

    @get("/{lang:str}/appointments/{token:str}")
    async def appointment(
        self, request: Request[Any, Any, Any], lang: FromPath[str], token: FromPath[str]
    ) -> Response[str]:
        """A booking's own page: show it, add it to a calendar, move it, cancel it."""
        path = _token_path("/{lang}/appointments/{token}", token)
        return _private(render(request, "appointment.html", lang=lang, path=path))

    @get("/{lang:str}/appointments/{token:str}/cancel")
    async def cancel(
        self, request: Request[Any, Any, Any], lang: FromPath[str], token: FromPath[str]
    ) -> Response[str]:
        """The mail's cancel link: what will be cancelled, and one button to do it."""
        path = _token_path("/{lang}/appointments/{token}/cancel", token)
        return _private(render(request, "appointment_cancel.html", lang=lang, path=path))

    @get("/{lang:str}/confirm/{token:str}")
    async def confirm(
        self, request: Request[Any, Any, Any], lang: FromPath[str], token: FromPath[str]
    ) -> Response[str]:
        """The mail's confirm link: a held booking to confirm, or an offer to accept."""
        path = _token_path("/{lang}/confirm/{token}", token)
        return _private(render(request, "appointment_confirm.html", lang=lang, path=path))

    @get("/{lang:str}/waitlist/{token:str}")
    async def waitlist(
        self, request: Request[Any, Any, Any], lang: FromPath[str], token: FromPath[str]
    ) -> Response[str]:
        """A place on the waiting list: how many are ahead, an open offer, leaving."""
        path = _token_path("/{lang}/waitlist/{token}", token)
        return _private(render(request, "waitlist.html", lang=lang, path=path))
