"""The workspace over HTTP: staff only, office-scoped (404 for strangers, also by guessed
ids), CSRF, upload limits, downloads; the citizen's overview, export and erasure."""

from __future__ import annotations

from app.audit import service as audit
from app.cases import service as cases
from app.cases.schemas import CaseStatus, Channel
from app.core.clock import FrozenClock
from app.workspace.tables import Upload as UploadRow
from tests.workspace.conftest import ClientFor, World, csrf, problem

PDF = b"%PDF-1.4\n" + b"x" * 2000


async def test_the_clerk_api_needs_a_signed_in_staff_member(
    world: World, client_for: ClientFor
) -> None:
    anonymous = await client_for(None)
    problem(await anonymous.get(f"/api/clerk/cases/{world.case_a.id}"), 401, "not_authenticated")
    response = await anonymous.post(
        f"/api/clerk/cases/{world.case_a.id}/notes", json={"text": "x"}, headers=csrf(anonymous)
    )
    problem(response, 401, "not_authenticated")


async def test_a_clerk_reads_a_case_with_its_whole_timeline_and_adds_a_note(
    world: World, client_for: ClientFor
) -> None:
    clerk = await client_for(world.clerk)
    listed = await clerk.get(
        f"/api/clerk/offices/{world.office_a}/cases", params={"status": "open"}
    )
    assert [item["reference"] for item in listed.json()["items"]] == [world.case_a.reference]
    note = await clerk.post(
        f"/api/clerk/cases/{world.case_a.id}/notes",
        json={"text": "ID expired"},
        headers=csrf(clerk),
    )
    assert note.status_code == 201, note.text
    detail = await clerk.get(f"/api/clerk/cases/{world.case_a.id}")
    assert detail.headers["cache-control"] == "no-store"
    assert [e["kind"] for e in detail.json()["timeline"]] == ["created", "note_added"]


async def test_a_post_without_the_csrf_header_is_refused_and_changes_nothing(
    world: World, client_for: ClientFor
) -> None:
    clerk = await client_for(world.clerk)
    response = await clerk.post(f"/api/clerk/cases/{world.case_a.id}/notes", json={"text": "x"})
    assert response.status_code == 403
    assert len(await cases.timeline(world.case_a.id)) == 1


async def test_a_clerk_of_another_office_gets_404_for_everything_even_guessed_ids(
    world: World, client_for: ClientFor
) -> None:
    stranger = await client_for(world.stranger)
    problem(
        await stranger.get(f"/api/clerk/offices/{world.office_a}/cases"), 404, "office_not_found"
    )
    for case_id in (world.case_a.id, world.case_a.id + 1000):
        problem(await stranger.get(f"/api/clerk/cases/{case_id}"), 404, "case_not_found")
        response = await stranger.post(
            f"/api/clerk/cases/{case_id}/uploads?filename=a.pdf",
            content=PDF,
            headers=csrf(stranger),
        )
        problem(response, 404, "case_not_found")
    assert await UploadRow.count() == 0
    assert (await stranger.get(f"/api/clerk/cases/{world.case_b.id}")).status_code == 200


async def test_uploads_are_limited_in_size_and_type(world: World, client_for: ClientFor) -> None:
    clerk = await client_for(world.clerk)
    url = f"/api/clerk/cases/{world.case_a.id}/uploads?filename=scan.pdf"
    big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    problem(await clerk.post(url, content=big, headers=csrf(clerk)), 413, "too_large")
    problem(
        await clerk.post(url, content=b"<html>", headers=csrf(clerk)), 415, "unsupported_upload"
    )
    assert await UploadRow.count() == 0
    stored = await clerk.post(url, content=PDF, headers=csrf(clerk))
    assert stored.status_code == 201, stored.text
    download = await clerk.get(f"/api/clerk/cases/{world.case_a.id}/uploads/{stored.json()['id']}")
    assert download.content == PDF
    assert download.headers["content-disposition"] == 'attachment; filename="scan.pdf"'
    assert download.headers["cache-control"] == "no-store"
    assert download.headers["content-type"].startswith("application/pdf")
    stranger = await client_for(world.stranger)
    guessed = f"/api/clerk/cases/{world.case_b.id}/uploads/{stored.json()['id']}"
    problem(await stranger.get(guessed), 404, "upload_not_found")


async def test_the_citizen_sees_status_and_still_needed_but_no_notes(
    world: World, client_for: ClientFor
) -> None:
    clerk = await client_for(world.clerk)
    await clerk.post(
        f"/api/clerk/cases/{world.case_a.id}/notes", json={"text": "odd"}, headers=csrf(clerk)
    )
    await clerk.post(
        f"/api/clerk/cases/{world.case_a.id}/documents",
        json={"label": "Photo"},
        headers=csrf(clerk),
    )
    citizen = await client_for(None)
    overview = (await citizen.get(f"/api/cases/{world.token_a}/overview")).json()
    assert overview["still_needed"] == ["Photo"]
    assert "note_added" not in [entry["kind"] for entry in overview["case"]["timeline"]]
    problem(await citizen.get("/api/cases/garbage/overview"), 404, "invalid_token")


async def test_the_export_holds_the_case_its_mails_and_no_staff_names(
    world: World, client_for: ClientFor, clock: FrozenClock
) -> None:
    clerk = await client_for(world.clerk)
    await clerk.post(
        f"/api/clerk/cases/{world.case_a.id}/notes", json={"text": "n"}, headers=csrf(clerk)
    )
    citizen = await client_for(None)
    response = await citizen.get(f"/api/cases/{world.token_a}/export")
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="{world.case_a.reference}.json"'
    )
    data = response.json()
    assert data["reference"] == world.case_a.reference
    assert [e["kind"] for e in data["timeline"]] == ["created", "note_added"]
    assert "actor" not in data["timeline"][1]
    assert f"clerk:{world.clerk.id}" not in response.text and "Clerk-A" not in response.text
    assert world.case_b.reference not in response.text
    assert (await audit.entries(case_id=world.case_a.id))[0].action == "case.export"


async def test_erasure_closes_an_open_case_and_revokes_its_link(
    world: World, client_for: ClientFor
) -> None:
    citizen = await client_for(None)
    erased = await citizen.post(f"/api/cases/{world.token_a}/erasure")
    assert erased.status_code == 200, erased.text
    assert (await cases.get_case(world.case_a.id)).status is CaseStatus.CANCELLED
    problem(await citizen.get(f"/api/cases/{world.token_a}/overview"), 404, "invalid_token")


async def test_erasure_of_a_completed_case_is_refused_with_the_reason(
    world: World, client_for: ClientFor, clock: FrozenClock
) -> None:
    for status in (CaseStatus.IN_PROGRESS, CaseStatus.COMPLETED):
        await cases.change_status(world.case_a.id, status, channel=Channel.CLERK, clock=clock)
    citizen = await client_for(None)
    answer = await citizen.post(
        f"/api/cases/{world.token_a}/erasure", headers={"Accept-Language": "en"}
    )
    refused = problem(answer, 409, "erasure_not_allowed")
    assert "retention" in refused["title"]
    assert (await cases.get_case(world.case_a.id)).status is CaseStatus.COMPLETED


async def test_the_qr_link_redirects_to_the_case_page_in_the_visitors_language(
    world: World, client_for: ClientFor
) -> None:
    citizen = await client_for(None)
    response = await citizen.get(f"/c/{world.token_a}", headers={"Accept-Language": "tr"})
    assert (response.status_code, response.headers["location"]) == (
        302,
        f"/tr/case/{world.token_a}",
    )
    page = await citizen.get(f"/tr/case/{world.token_a}")
    assert page.status_code == 200 and 'lang="tr"' in page.text
