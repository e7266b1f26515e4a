"""What the holder of a case link can do: open a case from the PWA, follow it, show its QR.

These compose the case service for the citizen's routes; other domains use `service`.
"""

from __future__ import annotations

from app.cases import service as cases
from app.cases.schemas import (
    EVENT_LABELS,
    STATUS_LABELS,
    Case,
    CaseCreate,
    CaseOpened,
    Channel,
    CitizenCase,
    TimelineEntry,
)
from app.catalogue import service as catalogue
from app.core.clock import Clock
from app.core.database import write_transaction
from app.core.qrcodes import qr_png, qr_svg
from app.core.tokens import TokenKind, TokenSigner
from app.core.translation import Catalog
from app.settings import Settings


async def open_citizen_case(
    data: CaseCreate, *, language: str, settings: Settings, signer: TokenSigner, clock: Clock
) -> CaseOpened:
    """A citizen opens a case from the PWA and gets its reference and link, both or none."""
    async with write_transaction(cases.engine()):
        case = await cases.open_case(
            data.service,
            language=data.language or language,
            channel=Channel.PWA,
            settings=settings,
            clock=clock,
        )
        token = await cases.issue_token(case.id, TokenKind.CASE, signer, clock=clock)
    return CaseOpened(reference=case.reference, token=token, url=cases.case_url(settings, token))


async def citizen_case(
    token: str, *, signer: TokenSigner, clock: Clock, catalog: Catalog
) -> CitizenCase:
    """What the holder of a case link sees, in the reader's language."""
    return await citizen_view(await cases.resolve_token(token, signer, clock=clock), catalog)


async def citizen_view(case: Case, catalog: Catalog) -> CitizenCase:
    """A case as its citizen sees it, for whoever resolved their token."""
    offered = await catalogue.get_service_by_id(case.service_id, catalog.language.code)
    events = await cases.timeline(case.id, citizen_only=True)
    return CitizenCase(
        reference=case.reference,
        service_id=case.service_id,
        service_name=offered.name,
        status=case.status,
        status_label=catalog.gettext(STATUS_LABELS[case.status]),
        language=case.language,
        opened_at=case.opened_at,
        timeline=[
            TimelineEntry(
                kind=event.kind,
                label=catalog.gettext(EVENT_LABELS[event.kind]),
                channel=event.channel,
                at=event.at,
            )
            for event in events
        ],
    )


async def case_qr_svg(token: str, *, settings: Settings, signer: TokenSigner, clock: Clock) -> str:
    await cases.resolve_token(token, signer, clock=clock)
    return qr_svg(cases.case_url(settings, token))


async def case_qr_png(
    token: str, *, settings: Settings, signer: TokenSigner, clock: Clock
) -> bytes:
    await cases.resolve_token(token, signer, clock=clock)
    return qr_png(cases.case_url(settings, token))
