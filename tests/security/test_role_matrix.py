"""Who gets what: every route of the OpenAPI schema and every page route, walked as
anonymous, as another citizen (holding their own token), as a clerk of another office,
and as clerk, lead and administrator of the office the data belongs to.

Each route is classified in ROUTES; a route missing from the table fails the test, so a
new route cannot go live unclassified.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
from litestar import Litestar
from litestar.routes import HTTPRoute

from app.audit import service as audit
from app.cases import service as cases
from app.cases.schemas import Channel
from app.catalogue import editing
from app.catalogue.editing_schemas import ClosureFields, DeskFields
from app.core.clock import FrozenClock
from app.core.tokens import TokenKind, TokenSigner
from app.devices import service as devices
from app.devices.service import Actor
from app.settings import Settings
from app.workspace import service as workspace
from tests.queue.conftest import matrix_ticket
from tests.staff.conftest import MakeAccount
from tests.workspace.conftest import ClientFor, World, csrf, staff_of

PUBLIC = "public"  # anyone; no personal data
TOKEN = "token"  # whoever holds the link; another citizen's token never shows this case
STAFF = "staff"  # any signed-in staff member
OFFICE = "office"  # staff of the office the data belongs to (admins too); others 404
LEAD = "lead"  # leads of the office the data belongs to (admins too); others 404
ADMIN = "admin"  # administrators only
DEVICE = "device"  # an enrolled kiosk (Authorization: Device …); no person at all

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/ready"): PUBLIC,
    ("GET", "/api/services"): PUBLIC,
    ("GET", "/api/services/{slug}"): PUBLIC,
    ("GET", "/api/services/{slug}/triage"): PUBLIC,
    ("GET", "/api/offices"): PUBLIC,
    ("GET", "/api/offices/{slug}"): PUBLIC,
    ("GET", "/api/i18n/{lang}"): PUBLIC,
    ("GET", "/api/languages"): PUBLIC,
    ("GET", "/api/altcha/challenge"): PUBLIC,
    ("GET", "/api/availability"): PUBLIC,
    ("POST", "/api/cases"): PUBLIC,
    ("POST", "/api/holds"): PUBLIC,
    ("POST", "/api/waitlist"): PUBLIC,
    ("GET", "/api/releases/{release_id}"): PUBLIC,
    ("POST", "/api/releases/{release_id}/requests"): PUBLIC,
    ("POST", "/api/releases"): LEAD,
    ("GET", "/api/cases/{token}"): TOKEN,
    ("GET", "/api/cases/{token}/qr.png"): TOKEN,
    ("GET", "/api/cases/{token}/qr.svg"): TOKEN,
    ("GET", "/api/cases/{token}/overview"): TOKEN,
    ("GET", "/api/cases/{token}/export"): TOKEN,
    ("POST", "/api/cases/{token}/erasure"): TOKEN,
    ("GET", "/api/appointments/{token}"): TOKEN,
    ("GET", "/api/appointments/{token}/ics"): TOKEN,
    ("GET", "/api/appointments/{token}/qr.svg"): TOKEN,
    ("POST", "/api/appointments/{token}/cancel"): TOKEN,
    ("POST", "/api/appointments/{token}/confirm"): TOKEN,
    ("POST", "/api/appointments/{token}/reschedule"): TOKEN,
    ("GET", "/api/confirm/{token}"): TOKEN,
    ("POST", "/api/confirm/{token}"): TOKEN,
    ("POST", "/api/confirm/{token}/decline"): TOKEN,
    ("GET", "/api/waitlist/{token}"): TOKEN,
    ("POST", "/api/waitlist/{token}/withdraw"): TOKEN,
    ("GET", "/api/push/key"): PUBLIC,
    ("POST", "/api/push/subscriptions"): TOKEN,
    ("POST", "/api/push/unsubscribe"): TOKEN,
    ("GET", "/api/push/notices/{notice_id}"): TOKEN,
    ("POST", "/api/staff/login"): PUBLIC,
    ("POST", "/api/staff/login/code"): PUBLIC,
    ("GET", "/api/staff/session"): PUBLIC,
    ("POST", "/api/staff/logout"): PUBLIC,
    ("GET", "/api/staff/me"): STAFF,
    ("GET", "/api/staff/offices/{office_id}/colleagues"): OFFICE,
    # The call display's link; the display's WebSocket (/ws/display/…) needs its key.
    ("GET", "/api/clerk/offices/{office_id}/display-link"): OFFICE,
    ("POST", "/api/staff/members"): ADMIN,
    ("PUT", "/api/staff/members/{staff_id}/offices/{office_id}"): ADMIN,
    ("DELETE", "/api/staff/members/{staff_id}/offices/{office_id}"): ADMIN,
    ("GET", "/api/staff/members"): ADMIN,
    ("PUT", "/api/staff/members/{staff_id}/admin"): ADMIN,
    ("DELETE", "/api/staff/members/{staff_id}/admin"): ADMIN,
    ("POST", "/api/staff/members/{staff_id}/deactivate"): ADMIN,
    ("POST", "/api/staff/members/{staff_id}/reactivate"): ADMIN,
    ("POST", "/api/staff/members/{staff_id}/unlock"): ADMIN,
    ("POST", "/api/staff/members/{staff_id}/second-factor/reset"): ADMIN,
    ("GET", "/api/clerk/offices/{office_id}/devices"): LEAD,
    ("POST", "/api/clerk/offices/{office_id}/devices"): LEAD,
    ("PUT", "/api/clerk/offices/{office_id}/devices/{device_id}"): LEAD,
    ("POST", "/api/clerk/offices/{office_id}/devices/{device_id}/revoke"): LEAD,
    ("POST", "/api/kiosk/enrol"): PUBLIC,  # the one-time code is the key
    ("GET", "/api/kiosk/me"): DEVICE,
    ("POST", "/api/kiosk/tickets"): DEVICE,
    ("POST", "/api/kiosk/checkins"): DEVICE,
    ("GET", "/api/tickets/{token}"): TOKEN,  # the ticket's QR code; number and wait only
    ("GET", "/api/clerk/offices/{office_id}/queue"): OFFICE,
    ("POST", "/api/clerk/offices/{office_id}/queue/call-next"): OFFICE,
    ("POST", "/api/clerk/offices/{office_id}/queue/tickets/{ticket_id}/call"): OFFICE,
    ("POST", "/api/clerk/offices/{office_id}/queue/tickets/{ticket_id}/recall"): OFFICE,
    ("POST", "/api/clerk/offices/{office_id}/queue/tickets/{ticket_id}/missed"): OFFICE,
    ("POST", "/api/clerk/offices/{office_id}/queue/tickets/{ticket_id}/park"): OFFICE,
    ("POST", "/api/clerk/offices/{office_id}/queue/tickets/{ticket_id}/transfer"): OFFICE,
    ("POST", "/api/clerk/offices/{office_id}/queue/tickets/{ticket_id}/finish"): OFFICE,
    ("GET", "/clerk/{lang}/admin/staff"): PUBLIC,
    ("GET", "/clerk/{lang}/admin/devices"): PUBLIC,
    ("GET", "/kiosk/{lang}/enrol"): PUBLIC,
    # Administration: leads change their office's desks, hours, closures; admins the rest.
    ("GET", "/api/admin/offices"): STAFF,  # what one administers; a clerk gets []
    ("POST", "/api/admin/offices"): ADMIN,
    ("GET", "/api/admin/offices/{office_id}"): LEAD,
    ("PUT", "/api/admin/offices/{office_id}"): ADMIN,
    ("POST", "/api/admin/offices/{office_id}/desks"): LEAD,
    ("PUT", "/api/admin/offices/{office_id}/desks/{desk_id}"): LEAD,
    ("PUT", "/api/admin/offices/{office_id}/desks/{desk_id}/services"): ADMIN,
    ("PUT", "/api/admin/offices/{office_id}/hours"): LEAD,
    ("POST", "/api/admin/offices/{office_id}/closures"): LEAD,
    ("DELETE", "/api/admin/offices/{office_id}/closures/{closure_id}"): LEAD,
    ("GET", "/api/admin/services"): ADMIN,
    ("POST", "/api/admin/services"): ADMIN,
    ("GET", "/api/admin/services/{service_id}"): ADMIN,
    ("PUT", "/api/admin/services/{service_id}"): ADMIN,
    ("GET", "/api/clerk/offices/{office_id}/cases"): OFFICE,
    ("GET", "/api/clerk/cases/{case_id}"): OFFICE,
    ("POST", "/api/clerk/cases/{case_id}/notes"): OFFICE,
    ("POST", "/api/clerk/cases/{case_id}/status"): OFFICE,
    ("PUT", "/api/clerk/cases/{case_id}/assignee"): OFFICE,
    ("POST", "/api/clerk/cases/{case_id}/documents"): OFFICE,
    ("POST", "/api/clerk/cases/{case_id}/documents/{document_id}/received"): OFFICE,
    ("POST", "/api/clerk/cases/{case_id}/uploads"): OFFICE,
    ("GET", "/api/clerk/cases/{case_id}/uploads/{upload_id}"): OFFICE,
    # Pages and static files: no personal data in them; their scripts ask the API.
    ("GET", "/"): PUBLIC,
    ("GET", "/{lang}"): PUBLIC,
    ("GET", "/{lang}/accessibility"): PUBLIC,
    ("GET", "/{lang}/imprint"): PUBLIC,
    ("GET", "/{lang}/book/{slug}"): PUBLIC,
    ("GET", "/{lang}/book/{slug}/waitlist"): PUBLIC,
    ("GET", "/{lang}/appointments/{token}"): PUBLIC,
    ("GET", "/{lang}/appointments/{token}/cancel"): PUBLIC,
    ("GET", "/{lang}/confirm/{token}"): PUBLIC,
    ("GET", "/{lang}/waitlist/{token}"): PUBLIC,
    ("GET", "/{lang}/case/{token}"): PUBLIC,
    ("GET", "/{lang}/tickets/{token}"): PUBLIC,  # a frame; ticket.js asks the API
    ("GET", "/c/{token}"): PUBLIC,
    ("GET", "/clerk"): PUBLIC,
    ("GET", "/clerk/{lang}"): PUBLIC,
    ("GET", "/clerk/{lang}/login"): PUBLIC,
    ("GET", "/clerk/{lang}/cases"): PUBLIC,
    ("GET", "/clerk/{lang}/queue"): PUBLIC,
    ("GET", "/clerk/{lang}/admin"): PUBLIC,
    ("GET", "/clerk/{lang}/admin/offices"): PUBLIC,
    ("GET", "/clerk/{lang}/admin/offices/{office_id}"): PUBLIC,
    ("GET", "/clerk/{lang}/admin/services"): PUBLIC,
    ("GET", "/clerk/{lang}/admin/services/{service_id}"): PUBLIC,
    ("GET", "/kiosk"): PUBLIC,
    ("GET", "/kiosk/{lang}"): PUBLIC,
    ("GET", "/kiosk/{lang}/services"): PUBLIC,
    ("GET", "/kiosk/sw.js"): PUBLIC,
    ("GET", "/display"): PUBLIC,
    ("GET", "/display/{lang}"): PUBLIC,
    ("GET", "/sw.js"): PUBLIC,
    ("GET", "/manifest.webmanifest"): PUBLIC,
    ("GET", "/static/pwa/{file_path}"): PUBLIC,
    ("GET", "/static/kiosk/{file_path}"): PUBLIC,
    ("GET", "/static/vendor/kern/{file_path}"): PUBLIC,
    ("GET", "/static/vendor/swagger-ui/{file_path}"): PUBLIC,
    ("GET", "/static/vendor/altcha/{file_path}"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,
    ("GET", "/api/schema"): PUBLIC,
    ("GET", "/api/schema/{path}"): PUBLIC,
    ("GET", "/api/schema/openapi.json"): PUBLIC,
    ("GET", "/api/schema/openapi.yaml"): PUBLIC,
    ("GET", "/api/schema/openapi.yml"): PUBLIC,
}

PERSONAS = ("anonymous", "citizen", "stranger", "clerk", "lead", "admin")
EXPECTED: dict[str, dict[str, str | int]] = {
    PUBLIC: dict.fromkeys(PERSONAS, "ok"),
    TOKEN: dict.fromkeys(PERSONAS, "ok"),
    STAFF: {
        "anonymous": 401,
        "citizen": 401,
        "stranger": "ok",
        "clerk": "ok",
        "lead": "ok",
        "admin": "ok",
    },
    OFFICE: {
        "anonymous": 401,
        "citizen": 401,
        "stranger": 404,
        "clerk": "ok",
        "lead": "ok",
        "admin": "ok",
    },
    LEAD: {
        "anonymous": 401,
        "citizen": 401,
        "stranger": 404,
        "clerk": 404,
        "lead": "ok",
        "admin": "ok",
    },
    DEVICE: dict.fromkeys(PERSONAS, 401),
    ADMIN: {
        "anonymous": 401,
        "citizen": 401,
        "stranger": 403,
        "clerk": 403,
        "lead": 403,
        "admin": "ok",
    },
}
PDF = b"%PDF-1.4\n" + b"x" * 100
# Valid bodies, so that the guard, not the validation, decides the answer.
BODIES: dict[str, dict[str, Any]] = {
    "/notes": {"text": "seen"},
    "/status": {"status": "in_progress"},
    "/assignee": {"staff_id": None},
    "/documents": {"label": "Photo"},
    "/devices": {"name": "Eingang"},
    "/{device_id}": {"name": "Eingang links"},
    "/releases": {
        "office": "altstadt",
        "services": ["personalausweis"],
        "slots_from": "2026-12-07T08:00:00+01:00",
        "slots_to": "2026-12-07T12:00:00+01:00",
        "requests_open_at": "2026-11-24T08:00:00+01:00",
        "requests_close_at": "2026-11-30T08:00:00+01:00",
    },
}


def _template(path: str) -> str:
    """`/api/x/{id:int}` → `/api/x/{id}`, and no trailing slash."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path).rstrip("/") or "/"


def app_routes(app: Litestar) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method in route.methods - {"OPTIONS", "HEAD"}:
                found.add((method, _template(route.path)))
    return found


async def schema_routes(client: httpx.AsyncClient) -> set[tuple[str, str]]:
    schema = (await client.get("/api/schema/openapi.json")).json()
    return {
        (method.upper(), path.rstrip("/") or "/")
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "delete", "patch"}
    }


def ok(category: str, persona: str, status: int) -> bool:
    want = EXPECTED[category][persona]
    if want != "ok":
        return status == want
    if status >= 500 or status in (401, 403):
        return False
    return not (category in (OFFICE, LEAD) and status == 404)


async def test_every_route_gives_exactly_whom_it_should_what_it_should(
    app: Litestar,
    world: World,
    client_for: ClientFor,
    make_account: MakeAccount,
    settings: Settings,
    clock: FrozenClock,
    signer: TokenSigner,
    actor_of: Any,
) -> None:
    clients = {
        "anonymous": await client_for(None),
        "citizen": await client_for(None),
        "stranger": await client_for(world.stranger),
        "clerk": await client_for(world.clerk),
        "lead": await client_for(world.lead),
        "admin": await client_for(world.admin),
    }
    listed = await schema_routes(clients["anonymous"])
    routes = listed | app_routes(app)
    unclassified = sorted(routes - ROUTES.keys())
    assert not unclassified, f"classify these routes in ROUTES: {unclassified}"
    assert not sorted(ROUTES.keys() - routes), "ROUTES names routes that no longer exist"

    dummy = await make_account("dummy", roles={world.office_a: "clerk"})
    admin_change = Actor(world.admin.id, clock.now(), None)
    device = await devices.create_device(
        world.office_a, "Eingang", admin_change, secret_key=settings.secret_key
    )
    clerk = await actor_of(world.clerk)
    upload = await workspace.upload(clerk, world.case_a.id, PDF, "a.pdf")
    document = await workspace.request_document(clerk, world.case_a.id, "Photo")

    async def fresh_token() -> str:
        case = await cases.open_case(
            world.service_id, language="de", channel=Channel.PWA, settings=settings,
            clock=clock, office_id=world.office_a,
        )  # fmt: skip
        return await cases.issue_token(case.id, TokenKind.CASE, signer, clock=clock)

    desk_id = await editing.create_desk(world.office_a, DeskFields(label="Schalter 9"))
    ticket_id = await matrix_ticket(app, world.office_a, world.service_id)

    async def fresh_closure() -> int:
        day = date(2027, 1, 4)
        closure = ClosureFields(starts_on=day, ends_on=day, reason={"de": "x"})
        return await editing.add_closure(world.office_a, closure, date(2026, 11, 23))

    async def fill(path: str, persona: str) -> str:
        # The link holder may be anyone; the other citizen and the stranger hold B's link.
        token = world.token_b if persona in ("citizen", "stranger") else world.token_a
        if path.endswith("/erasure"):
            token = await fresh_token()  # each erasure ends its token
        values = {
            "office_id": world.office_a,
            "case_id": world.case_a.id,
            "token": token,
            "slug": "altstadt" if path.startswith("/api/offices") else "personalausweis",
            "lang": "de",
            "staff_id": dummy.id,
            "device_id": device.device.id,
            "upload_id": upload.id,
            "document_id": document.id,
            "release_id": 1,
            "notice_id": "unknown",
            "desk_id": desk_id,
            "ticket_id": ticket_id,
            "service_id": world.service_id,
            # Each removal of a closure removes it: every persona gets one of its own.
            "closure_id": await fresh_closure() if "{closure_id}" in path else 0,
            "file_path": "app.css",
            "path": "openapi.json",
        }
        return path.format(**values)

    failures: list[str] = []
    # Logging out ends the persona's session: it goes last.
    ordered = sorted(routes, key=lambda route: (route[1] == "/api/staff/logout", route))
    for persona, client in clients.items():
        for method, path in ordered:
            category = ROUTES[(method, path)]
            url = await fill(path, persona)
            suffix = "/" + path.rsplit("/", 1)[-1]
            body: dict[str, Any] = (
                {"json": BODIES.get(suffix, {})} if method in {"POST", "PUT"} else {}
            )
            if path.endswith("/uploads"):
                body = {"content": PDF}
            response = await client.request(method, url, headers=csrf(client), **body)
            if not ok(category, persona, response.status_code):
                failures.append(f"{persona} {method} {url} → {response.status_code} ({category})")
            if persona in ("citizen", "stranger") and world.case_a.reference in response.text:
                failures.append(f"{persona} {method} {url} shows case A")
    assert not failures, "\n".join(failures)


async def test_guessed_ids_look_exactly_like_foreign_ones(
    world: World, client_for: ClientFor
) -> None:
    stranger = await client_for(world.stranger)
    answers = set()
    for case_id in (world.case_a.id, world.case_b.id + 100, 999_999):
        response = await stranger.get(f"/api/clerk/cases/{case_id}")
        answers.add((response.status_code, response.json()["code"]))
    assert answers == {(404, "case_not_found")}
    for office_id in (world.office_a, 999_999):
        response = await stranger.get(f"/api/clerk/offices/{office_id}/cases")
        assert (response.status_code, response.json()["code"]) == (404, "office_not_found")


async def test_every_staff_read_and_write_of_a_case_is_audited_and_strangers_leave_none(
    world: World, client_for: ClientFor
) -> None:
    for account in (world.clerk, world.lead, world.admin, world.stranger):
        client = await client_for(account)
        await client.get(f"/api/clerk/cases/{world.case_a.id}")
        await client.post(
            f"/api/clerk/cases/{world.case_a.id}/notes", json={"text": "seen"}, headers=csrf(client)
        )
    entries = await audit.entries(case_id=world.case_a.id)
    done = {(entry.staff_id, entry.action) for entry in entries}
    for account in (world.clerk, world.lead, world.admin):
        assert {(account.id, "case.read"), (account.id, "case.note")} <= done
    assert world.stranger.id not in {entry.staff_id for entry in entries}
    assert (await staff_of(world.admin)).is_admin
