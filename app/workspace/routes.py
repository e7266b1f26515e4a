"""The workspace over HTTP: the clerk's case API (staff session, office-scoped, audited)
and the citizen's overview, export and erasure of their case by its token."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Response
from litestar.types import ControllerRouterHandler

from app.cases.schemas import CaseStatus, Channel
from app.core.dependencies import CatalogDep, ClockDep, SettingsDep, SignerDep
from app.staff.guards import (
    STAFF_DEPENDENCIES,
    StaffController,
    client_ip,
    current_staff,
    office_role,
)
from app.workspace import citizen, service, uploads
from app.workspace.schemas import (
    AssignmentUpdate,
    CaseDetail,
    CasePage,
    CaseSummary,
    CitizenOverview,
    DataExport,
    Document,
    DocumentRequestCreate,
    Erasure,
    NoteCreate,
    StatusChange,
    TimelineEvent,
    Upload,
)

AnyRequest = Request[Any, Any, Any]
ActorDep = NamedDependency[service.Actor]


async def _provide_actor(request: AnyRequest) -> service.Actor:
    state = request.app.state
    return service.Actor(
        await current_staff(request), client_ip(request), state.clock, state.settings
    )


def _attachment(found: tuple[Upload, bytes]) -> Response[bytes]:
    upload, body = found
    disposition = f'attachment; filename="{upload.filename}"'
    return Response(
        body, media_type=upload.media_type, headers={"Content-Disposition": disposition}
    )


class WorkspaceController(StaffController):
    """The clerk's case API; a case of an office one has no role in is a 404."""

    path = "/api/clerk"
    tags = ("workspace",)
    dependencies = {**STAFF_DEPENDENCIES, "actor": Provide(_provide_actor)}

    @get("/offices/{office_id:int}/cases", guards=[office_role()], summary="An office's cases")
    async def cases(
        self,
        office_id: FromPath[int],
        actor: ActorDep,
        catalog: CatalogDep,
        status: Annotated[CaseStatus | None, QueryParameter()] = None,
        service_id: Annotated[int | None, QueryParameter(name="service", ge=1)] = None,
        channel: Annotated[Channel | None, QueryParameter()] = None,
        opened_from: Annotated[date | None, QueryParameter(name="from")] = None,
        opened_to: Annotated[date | None, QueryParameter(name="to")] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 25,
    ) -> CasePage:
        """Newest first; `from`/`to` are Berlin days of opening, both inclusive."""
        filters = service.CaseFilter(status, service_id, channel, opened_from, opened_to)
        lang = catalog.language.code
        return await service.office_cases(
            actor, office_id, filters, page=page, per_page=per_page, lang=lang
        )

    @get("/cases/{case_id:int}", summary="A case with its whole timeline")
    async def case(
        self, case_id: FromPath[int], actor: ActorDep, catalog: CatalogDep
    ) -> CaseDetail:
        return await service.case_detail(actor, case_id, catalog)

    @post("/cases/{case_id:int}/notes", status_code=201, summary="Add a note (staff only)")
    async def note(
        self,
        case_id: FromPath[int],
        data: JSONBody[NoteCreate],
        actor: ActorDep,
        catalog: CatalogDep,
    ) -> TimelineEvent:
        return await service.add_note(actor, case_id, data.text, catalog)

    @post("/cases/{case_id:int}/status", status_code=200, summary="Change the status")
    async def status(
        self,
        case_id: FromPath[int],
        data: JSONBody[StatusChange],
        actor: ActorDep,
        catalog: CatalogDep,
    ) -> CaseSummary:
        return await service.change_status(actor, case_id, data.status, catalog.language.code)

    @put("/cases/{case_id:int}/assignee", summary="Assign to a colleague of the office")
    async def assign(
        self,
        case_id: FromPath[int],
        data: JSONBody[AssignmentUpdate],
        actor: ActorDep,
        catalog: CatalogDep,
    ) -> CaseSummary:
        return await service.assign(actor, case_id, data.staff_id, catalog.language.code)

    @post("/cases/{case_id:int}/documents", status_code=201, summary="Request a document")
    async def request_document(
        self, case_id: FromPath[int], data: JSONBody[DocumentRequestCreate], actor: ActorDep
    ) -> Document:
        return await service.request_document(actor, case_id, data.label)

    @post(
        "/cases/{case_id:int}/documents/{document_id:int}/received",
        status_code=200,
        summary="Mark a requested document as received",
    )
    async def received(
        self, case_id: FromPath[int], document_id: FromPath[int], actor: ActorDep
    ) -> Document:
        return await service.mark_received(actor, case_id, document_id)

    @post(
        "/cases/{case_id:int}/uploads",
        status_code=201,
        request_max_body_size=uploads.MAX_BYTES,
        summary="Upload a file (PDF, JPEG, PNG; at most 10 MB) as the raw request body",
    )
    async def upload(
        self,
        request: AnyRequest,
        case_id: FromPath[int],
        actor: ActorDep,
        filename: Annotated[str | None, QueryParameter(max_length=200)] = None,
    ) -> Upload:
        """413 `upload_too_large`, 415 `unsupported_upload`; the file is stored encrypted."""
        return await service.upload(actor, case_id, await request.body(), filename)

    @get("/cases/{case_id:int}/uploads/{upload_id:int}", summary="Download a file")
    async def download(
        self, case_id: FromPath[int], upload_id: FromPath[int], actor: ActorDep
    ) -> Response[bytes]:
        return _attachment(await service.download(actor, case_id, upload_id))


class CitizenCaseController(Controller):
    """What the holder of a case or appointment link may do with their own data."""

    path = "/api/cases/{token:str}"
    tags = ("cases",)
    cache_control = CacheControlHeader(no_store=True)

    @get("/overview", summary="The case page: status, appointment, what to bring, still needed")
    async def overview(
        self, token: FromPath[str], signer: SignerDep, clock: ClockDep, catalog: CatalogDep
    ) -> CitizenOverview:
        return await citizen.overview(token, signer=signer, clock=clock, catalog=catalog)

    @get("/export", summary="Everything we hold about this case (GDPR Art. 15)")
    async def export(
        self, token: FromPath[str], signer: SignerDep, clock: ClockDep, catalog: CatalogDep
    ) -> Response[DataExport]:
        found = await citizen.export(token, signer=signer, clock=clock, lang=catalog.language.code)
        name = f'attachment; filename="{found.reference}.json"'
        return Response(found, headers={"Content-Disposition": name})

    @post("/erasure", status_code=200, summary="Delete my data of this case (GDPR Art. 17)")
    async def erase(
        self, token: FromPath[str], signer: SignerDep, clock: ClockDep, settings: SettingsDep
    ) -> Erasure:
        """409 `erasure_not_allowed` (a completed official act) or `appointment_pending`."""
        return await citizen.erase(token, signer=signer, clock=clock, settings=settings)


HANDLERS: list[ControllerRouterHandler] = [WorkspaceController, CitizenCaseController]
