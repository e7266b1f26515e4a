"""The citizen's own side of a case, opened by its token (a case link or an appointment
link): the overview page's data, the export of everything we hold (GDPR Art. 15), and
deletion on request where the law allows it (Art. 17).

A case that ended with a completed official act must be kept until its retention period
ends (the deletion schedule removes it then); a case with an appointment still ahead
waits until that appointment is cancelled, so that no slot is left held for nobody.
"""

from __future__ import annotations

from datetime import UTC

from app.audit import service as audit
from app.booking import privacy as bookings
from app.cases import citizen as case_view
from app.cases import service as cases
from app.cases.schemas import Case, CaseStatus, Channel, EventKind
from app.catalogue import service as catalogue
from app.core.clock import Clock
from app.core.database import write_transaction
from app.core.errors import Conflict, InvalidToken
from app.core.tokens import TokenKind, TokenSigner
from app.core.translation import Catalog, _
from app.notify import privacy as mails
from app.notify import service as notify
from app.settings import Settings
from app.workspace import service, uploads
from app.workspace.schemas import (
    CitizenOverview,
    DataExport,
    Erasure,
    ExportedAppointment,
    ExportedEvent,
    ExportedFile,
    ExportedMail,
    NextAppointment,
)


class ErasureNotAllowed(Conflict):
    code = "erasure_not_allowed"
    message = _(
        "This case ended with a completed official act. The law requires us to keep its "
        "record until the retention period ends; it is deleted automatically then."
    )


class AppointmentPending(Conflict):
    code = "appointment_pending"
    message = _("Please cancel your appointment first; then you can delete your data.")


async def resolve(token: str, signer: TokenSigner, clock: Clock) -> Case:
    """The case a case token or an appointment token opens; InvalidToken otherwise."""
    try:
        return await cases.resolve_token(token, signer, clock=clock)
    except InvalidToken:
        return await cases.resolve_token(token, signer, clock=clock, kind=TokenKind.APPOINTMENT)


async def overview(
    token: str, *, signer: TokenSigner, clock: Clock, catalog: Catalog
) -> CitizenOverview:
    case = await resolve(token, signer, clock)
    lang = catalog.language.code
    offered = await catalogue.get_service_by_id(case.service_id, lang)
    upcoming = await bookings.next_appointment(case.id, clock.now())
    following = None
    if upcoming is not None:
        office = await catalogue.get_office_by_id(upcoming.office_id, lang)
        following = NextAppointment(
            starts_at=upcoming.starts_at,
            ends_at=upcoming.ends_at,
            channel=upcoming.channel,
            office_name=office.name,
            code=upcoming.code,
        )
    return CitizenOverview(
        case=await case_view.citizen_view(case, catalog),
        next_appointment=following,
        to_bring=offered.documents,
        still_needed=[
            doc.label for doc in await service.documents(case.id) if doc.state == "requested"
        ],
    )


async def export(token: str, *, signer: TokenSigner, clock: Clock, lang: str) -> DataExport:
    """Everything we hold about the case; staff are not named (their data is not the
    citizen's), and the export itself is written to the audit log."""
    case = await resolve(token, signer, clock)
    offered = await catalogue.get_service_by_id(case.service_id, lang)
    now = clock.now().astimezone(UTC)
    result = DataExport(
        exported_at=now,
        reference=case.reference,
        service=offered.name,
        status=case.status.value,
        language=case.language,
        opened_via=case.opened_via.value,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        timeline=[
            ExportedEvent(at=e.at, kind=e.kind.value, channel=e.channel.value, data=e.data)
            for e in await cases.timeline(case.id)
        ],
        appointments=[
            ExportedAppointment(
                office_id=a.office_id,
                service_id=a.service_id,
                channel=a.channel,
                state=a.state,
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                language=a.language,
                email=a.email,
                code=a.code,
                created_at=a.created_at,
            )
            for a in await bookings.appointments_of_case(case.id)
        ],
        documents=await service.documents(case.id),
        files=[
            ExportedFile(
                filename=f.filename,
                media_type=f.media_type,
                size=f.size,
                sha256=f.sha256,
                uploaded_at=f.uploaded_at,
            )
            for f in await uploads.of_case(case.id)
        ],
        mails=[
            ExportedMail(
                recipient=m.recipient,
                language=m.language,
                subject=m.subject,
                text=m.text_body,
                state=m.state,
                created_at=m.created_at,
                sent_at=m.sent_at,
            )
            for m in await notify.mails_of_case(case.id)
        ],
    )
    await audit.record(None, "case.export", office_id=None, case_id=case.id, now=now)
    return result


async def erase(token: str, *, signer: TokenSigner, clock: Clock, settings: Settings) -> Erasure:
    """Delete the citizen's personal data of a case and close it, or say why not."""
    case = await resolve(token, signer, clock)
    if case.status is CaseStatus.COMPLETED:
        raise ErasureNotAllowed()
    now = clock.now().astimezone(UTC)
    if await bookings.next_appointment(case.id, now) is not None:
        raise AppointmentPending()
    async with write_transaction(cases.engine()):
        if case.status is not CaseStatus.CANCELLED:
            await cases.change_status(
                case.id, CaseStatus.CANCELLED, channel=Channel.PWA, clock=clock
            )
        contacts = await bookings.erase_contacts_of_case(case.id)
        sent = await mails.forget_case(case.id)
        files = await uploads.delete_of_cases([case.id], settings=settings)
        await cases.append_event(
            case.id, EventKind.ERASED, channel=Channel.PWA, clock=clock, citizen_visible=True
        )
        await cases.revoke_case_tokens(case.id, clock=clock)
        counts = {"contacts": contacts, "mails": sent, "files": files}
        await audit.record(
            None, "case.erasure", office_id=None, case_id=case.id, now=now, detail=counts
        )
    return Erasure(reference=case.reference, erased=[name for name, n in counts.items() if n])
