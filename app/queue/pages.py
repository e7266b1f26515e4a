"""The queue's pages: the clerk's queue screen, and the visitor's ticket on the phone
behind the kiosk's QR code. The pages hold no data: their scripts fetch the queue API."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import CacheControlHeader
from litestar.params import FromPath
from litestar.response import Response
from litestar.types import ControllerRouterHandler

from app.catalogue import service as catalogue
from app.core.errors import ExpiredToken, InvalidToken
from app.queue import service
from app.queue.context import QueueContext
from app.queue.dependencies import QUEUE_DEPENDENCIES, QueueDep
from app.web.rendering import offered_language, render

AnyRequest = Request[Any, Any, Any]


async def _ticket_page(
    request: AnyRequest, lang: str, token: str, queue: QueueContext
) -> Response[str]:
    """The ticket page with its office's name, or, for a link that opens no ticket, the
    same page saying so in the page's language, with the error's status (404 or 410)."""
    # The language switch formats the path: a brace in a forged token must stay a brace.
    path = "/{lang}/tickets/" + token.replace("{", "{{").replace("}", "}}")
    try:
        office = await catalogue.get_office_by_id(await service.office_of(token, queue), lang)
    except (InvalidToken, ExpiredToken) as error:
        page = render(
            request, "ticket.html", lang=lang, path=path, office=None, problem=error.message
        )
        page.status_code = error.status
    else:
        page = render(
            request, "ticket.html", lang=lang, path=path, office=office.name, problem=None
        )
    # The token is the key to the ticket: search engines are not to keep its page.
    page.headers["X-Robots-Tag"] = "noindex, nofollow"
    return page


class QueuePages(Controller):
    path = "/"
    include_in_schema = False
    guards = [offered_language]
    # A page addressed by a token must not linger in caches (the token is the key); the
    # service worker stores no response that says no-store.
    cache_control = CacheControlHeader(no_store=True)

    @get("/clerk/{lang:str}/queue", sync_to_thread=False)
    def clerk_queue(self, request: AnyRequest, lang: FromPath[str]) -> Response[str]:
        return render(request, "clerk/queue.html", lang=lang, path="/clerk/{lang}/queue")

    @get("/{lang:str}/tickets/{token:str}", dependencies=QUEUE_DEPENDENCIES)
    async def ticket(
        self, request: AnyRequest, lang: FromPath[str], token: FromPath[str], queue: QueueDep
    ) -> Response[str]:
        """Number, state, people ahead, wait and desk, refreshed by pwa/ticket.js."""
        return await _ticket_page(request, lang, token, queue)


HANDLERS: list[ControllerRouterHandler] = [QueuePages]
