"""Triage before booking: at most two questions, then the way this service is done.

Built from the catalogue's data alone: an online service elsewhere (a link out, for
people with the online ID function), a video consultation, or a visit in person with the
reason it is required. The questions are asked only where there is a choice to make.
"""

from __future__ import annotations

from app.booking.availability import service_on_offer
from app.booking.schemas import Triage, TriageAnswer, TriageOutcome, TriageQuestion
from app.catalogue.schemas import Service
from app.core.translation import Catalog, _

EID = _("Do you have an ID card with the online ID function switched on, and its PIN?")
VIDEO = _("Would you like to do this in a video call, without coming to an office?")
VIDEO_HELP = _("You need a device with a camera and a microphone, and your documents at hand.")
YES, NO = _("Yes"), _("No")
ONLINE_TITLE = _("You can do this online")
ONLINE_TEXT = _("This service is offered online by another authority.")
VIDEO_TITLE = _("A video consultation is possible")
VIDEO_TEXT = _("Book a video call with us; you join it from your browser, nothing to install.")
IN_PERSON_TITLE = _("Please come to one of our offices")
IN_PERSON_TEXT = _("This service is done in person at one of our offices.")


async def triage(slug: str, catalog: Catalog) -> Triage:
    """The questions and outcomes for a service on offer; raises UnknownService."""
    return route(await service_on_offer(slug, catalog.language.code), catalog)


def route(service: Service, catalog: Catalog) -> Triage:
    t = catalog.gettext
    channels = service.channels
    outcomes: list[TriageOutcome] = []
    if channels.online_url:
        outcomes.append(
            TriageOutcome(
                kind="online",
                title=t(ONLINE_TITLE),
                text=channels.online_note or t(ONLINE_TEXT),
                url=channels.online_url,
                channel=None,
            )
        )
    if channels.video:
        outcomes.append(
            TriageOutcome(
                kind="video", title=t(VIDEO_TITLE), text=t(VIDEO_TEXT), url=None, channel="video"
            )
        )
    if channels.in_person:
        outcomes.append(
            TriageOutcome(
                kind="in_person",
                title=t(IN_PERSON_TITLE),
                text=service.in_person_reason or t(IN_PERSON_TEXT),
                url=None,
                channel="in_person",
            )
        )
    questions: list[TriageQuestion] = []
    here = [outcome.kind for outcome in outcomes if outcome.kind != "online"]
    if len(here) == 2:
        questions.append(
            TriageQuestion(
                id="video",
                text=t(VIDEO),
                help=t(VIDEO_HELP),
                answers=[
                    TriageAnswer(value="yes", label=t(YES), next=None, outcome="video"),
                    TriageAnswer(value="no", label=t(NO), next=None, outcome="in_person"),
                ],
            )
        )
    if channels.online_url and here:
        # Without the online ID function, the citizen goes on to the next question, or
        # straight to the one way it is done here.
        if_not = (
            TriageAnswer(value="no", label=t(NO), next="video", outcome=None)
            if questions
            else TriageAnswer(value="no", label=t(NO), next=None, outcome=here[0])
        )
        questions.insert(
            0,
            TriageQuestion(
                id="eid",
                text=t(EID),
                help=channels.online_note,
                answers=[
                    TriageAnswer(value="yes", label=t(YES), next=None, outcome="online"),
                    if_not,
                ],
            ),
        )
    first = questions[0].id if questions else None
    return Triage(
        service=service.slug,
        name=service.name,
        first_question=first,
        outcome=None if first or not outcomes else outcomes[0].kind,
        questions=questions,
        outcomes=outcomes,
    )
