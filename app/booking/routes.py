"""The booking API: triage, availability, hold → confirm, manage by link, waitlist, lottery.

Every error is a problem+json with a stable `code` (e.g. `slot_taken`, `hold_expired`,
`already_booked`) and a title in the request's language (`?lang=`, the `lang` cookie,
Accept-Language). Answers that carry or were opened by a token are never cached.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader, State
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.params import FromPath, JSONBody, QueryParameter

from app.booking import availability, confirmation, lottery, service, triage, waitlist
from app.booking.context import BookingContext
from app.booking.schemas import (
    Appointment,
    Availability,
    Channel,
    Confirmed,
    Hold,
    HoldCreate,
    Release,
    ReleaseCreate,
    ReleaseRequestCreate,
    Reschedule,
    Triage,
    WaitlistCreate,
    WaitlistJoined,
    WaitlistStatus,
)
from app.core.dependencies import CatalogDep
from app.staff.guards import STAFF_DEPENDENCIES, CurrentStaff, StaffController, require_role

ICS = "text/calendar; charset=utf-8"
# What creates something counts against the strict "booking" group of the rate limits.
RATE_LIMIT = {"rate_limit": "booking"}


def _booking(state: State) -> BookingContext:
    booking: BookingContext = state.booking
    return booking


BOOKING = Provide(_booking, sync_to_thread=False)


BookingDep = NamedDependency[BookingContext]


async def proof_of_work(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """ANTI-BOT HOOK on the routes that create something (hold, waitlist, lottery request):
    runs the guard `app.main` puts in `state.antibot_guard` (ALTCHA proof of work and rate
    limits, `app.antibot.guards.require_proof_of_work`); without one it lets requests by."""
    guard = connection.app.state.get("antibot_guard")
    if guard is not None:
        await guard(connection, handler)


class BookingController(Controller):
    path = "/api"
    tags = ["booking"]
    dependencies = {"booking": BOOKING}
    cache_control = CacheControlHeader(no_store=True)

    @get("/services/{slug:str}/triage", summary="Triage: how this service is done")
    async def triage(self, slug: FromPath[str], catalog: CatalogDep) -> Triage:
        """At most two yes/no questions, then the outcome: online elsewhere (a link out),
        video consultation, or in person with the reason. 422 `unknown_service`."""
        return await triage.triage(slug, catalog)

    @get("/availability", summary="Free slots of a service")
    async def availability(
        self,
        booking: BookingDep,
        catalog: CatalogDep,
        service_slug: Annotated[str, QueryParameter(name="service", max_length=64)],
        office: Annotated[str | None, QueryParameter(max_length=64)] = None,
        channel: Annotated[Channel, QueryParameter()] = "in_person",
        first_day: Annotated[date | None, QueryParameter(name="from")] = None,
        last_day: Annotated[date | None, QueryParameter(name="to")] = None,
    ) -> Availability:
        """Slots by Berlin day from `from` to `to` (default: today … the booking window),
        with how many desks are free. 422: `unknown_service`, `unknown_office`,
        `channel_not_offered`, `invalid_range`, `range_too_long`, `range_in_past`."""
        lang = catalog.language.code
        return await booking.lookups.shared(
            ("availability", service_slug, office, channel, first_day, last_day, lang),
            lambda: availability.availability(
                service_slug, channel=channel, office_slug=office, first_day=first_day,
                last_day=last_day, rules=booking.rules, now=booking.now(), lang=lang,
                lookups=booking.lookups,
            ),
        )  # fmt: skip

    @post("/holds", status_code=201, guards=[proof_of_work], opt=RATE_LIMIT, summary="Hold a slot")
    async def hold(
        self, data: JSONBody[HoldCreate], booking: BookingDep, catalog: CatalogDep
    ) -> Hold:
        """Hold a slot for a few minutes (`hold_expires_at`). 409 `slot_taken` (someone
        was faster), `already_booked`, `slot_in_lottery`; 422 `slot_in_past`,
        `notice_too_short`, `beyond_booking_window`, `office_closed`,
        `outside_opening_hours`, `invalid_email`, …"""
        return await service.hold(data, booking, language=catalog.language.code)

    @get("/appointments/{token:str}", summary="A booking, by its link")
    async def appointment(
        self, token: FromPath[str], booking: BookingDep, catalog: CatalogDep
    ) -> Appointment:
        """The booking: time, place, what to bring, links (ICS, QR). 404 `invalid_token`."""
        return await service.get(token, booking, lang=catalog.language.code)

    @post("/appointments/{token:str}/confirm", status_code=200, summary="Confirm in the app")
    async def confirm(
        self, token: FromPath[str], booking: BookingDep, catalog: CatalogDep
    ) -> Confirmed:
        """Confirm a hold made without e-mail. 409 `confirm_by_email` (it has one: use the
        mail's link), 410 `hold_expired`."""
        return await confirmation.confirm_in_app(token, booking, lang=catalog.language.code)

    @get("/appointments/{token:str}/ics", media_type=ICS, summary="The booking as ICS")
    async def ics(self, token: FromPath[str], booking: BookingDep) -> Response[str]:
        """An iCalendar file (Europe/Berlin, two alarms) to add the booking to a calendar."""
        body = await service.calendar_file(token, booking)
        disposition = 'attachment; filename="appointment.ics"'
        return Response(body, media_type=ICS, headers={"Content-Disposition": disposition})

    @get("/appointments/{token:str}/qr.svg", media_type="image/svg+xml", summary="QR code")
    async def qr(self, token: FromPath[str], booking: BookingDep) -> str:
        """The booking's link as a QR code: shown at the kiosk to check in."""
        return await service.qr_code(token, booking)

    @post("/appointments/{token:str}/cancel", status_code=200, summary="Cancel")
    async def cancel(
        self, token: FromPath[str], booking: BookingDep, catalog: CatalogDep
    ) -> Appointment:
        """Cancel (twice is fine); the slot goes to the waitlist first. 409 `not_cancellable`."""
        return await service.cancel(token, booking, lang=catalog.language.code)

    @post("/appointments/{token:str}/reschedule", status_code=200, summary="Move")
    async def reschedule(
        self,
        token: FromPath[str],
        data: JSONBody[Reschedule],
        booking: BookingDep,
        catalog: CatalogDep,
    ) -> Appointment:
        """Move to a free slot, atomically: on any error the old time is kept.
        409 `slot_taken`, `not_reschedulable`, and the slot errors of holding."""
        return await service.reschedule(token, data, booking, lang=catalog.language.code)

    @get("/confirm/{token:str}", summary="What a mail's confirm link is about")
    async def confirm_preview(
        self, token: FromPath[str], booking: BookingDep, catalog: CatalogDep
    ) -> Appointment:
        """Shows the held or offered appointment without changing it (safe for scanners)."""
        return await confirmation.preview(token, booking, lang=catalog.language.code)

    @post("/confirm/{token:str}", status_code=200, summary="Confirm from the mail")
    async def confirm_by_mail(
        self, token: FromPath[str], booking: BookingDep, catalog: CatalogDep
    ) -> Confirmed:
        """Confirm a hold (double opt-in) or accept a waitlist/lottery offer; the answer
        carries a fresh token for the booking's page. 410 `hold_expired`, 409
        `already_booked`, 404 `invalid_token`."""
        return await confirmation.confirm_by_mail(token, booking, lang=catalog.language.code)

    @post("/confirm/{token:str}/decline", status_code=200, summary="Decline an offer")
    async def decline(
        self, token: FromPath[str], booking: BookingDep, catalog: CatalogDep
    ) -> Appointment:
        """Say no to an offered slot; it goes to the next in line."""
        return await confirmation.decline(token, booking, lang=catalog.language.code)

    @post(
        "/waitlist",
        status_code=201,
        guards=[proof_of_work],
        opt=RATE_LIMIT,
        summary="Join the waitlist",
    )
    async def join_waitlist(
        self, data: JSONBody[WaitlistCreate], booking: BookingDep, catalog: CatalogDep
    ) -> WaitlistJoined:
        """Be offered the first freed slot that fits, by mail, strictly in order.
        409 `already_waiting`."""
        return await waitlist.join(data, booking, language=catalog.language.code)

    @get("/waitlist/{token:str}", summary="A place on the waitlist")
    async def waitlist_status(
        self, token: FromPath[str], booking: BookingDep, catalog: CatalogDep
    ) -> WaitlistStatus:
        """State, how many are ahead, and the open offer if there is one."""
        return await waitlist.status(token, booking, lang=catalog.language.code)

    @post("/waitlist/{token:str}/withdraw", status_code=200, summary="Leave the waitlist")
    async def withdraw(
        self, token: FromPath[str], booking: BookingDep, catalog: CatalogDep
    ) -> WaitlistStatus:
        """Leave the line (or a draw); an open offer is declined. 409 `not_waiting`."""
        return await waitlist.withdraw(token, booking, lang=catalog.language.code)

    @get("/releases/{release_id:int}", summary="A lottery release and its result")
    async def release(self, release_id: FromPath[int], catalog: CatalogDep) -> Release:
        """The release; once drawn, with its seed and how many were allocated."""
        return await lottery.get(release_id, lang=catalog.language.code)

    @post(
        "/releases/{release_id:int}/requests",
        status_code=201,
        guards=[proof_of_work],
        opt=RATE_LIMIT,
        summary="Take part in a draw",
    )
    async def request_release(
        self,
        release_id: FromPath[int],
        data: JSONBody[ReleaseRequestCreate],
        booking: BookingDep,
        catalog: CatalogDep,
    ) -> WaitlistJoined:
        """One request per contact while the window is open; the token follows it on the
        waitlist routes. 409 `requests_closed`, `already_requested`."""
        return await lottery.request(release_id, data, booking, language=catalog.language.code)


class ReleaseController(StaffController):
    """Office leads release a batch of slots by lottery (staff session, CSRF, role)."""

    path = "/api"
    tags = ["booking"]
    dependencies = {**STAFF_DEPENDENCIES, "booking": BOOKING}

    @post("/releases", status_code=201, summary="Release by lottery")
    async def create_release(
        self,
        data: JSONBody[ReleaseCreate],
        staff: CurrentStaff,
        booking: BookingDep,
        catalog: CatalogDep,
    ) -> Release:
        """Office leads: give out a range of slots by a seeded draw when requests close.
        Anyone who is not a lead of that office (or an admin) gets 404 `office_not_found`."""
        require_role(staff, await availability.office_id(data.office), {"lead"})
        return await lottery.create(data, booking, lang=catalog.language.code)


HANDLERS = [BookingController, ReleaseController]
