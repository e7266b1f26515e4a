"""The mails of a booking, queued through `notify` inside the booking's own transaction.

Each mail is rendered in the booking's language from the facts here; links carry a
token the caller holds at that moment (tokens are never stored readable). Reminders are
mails due 48 h and 2 h before the start, keyed by appointment, lead time and start, so a
moved appointment gets fresh ones and the old ones can be withdrawn by key. Beside the
reminders, moves, cancellations and offers, the case's push subscribers get a notice
(`app.push`) that names nothing but the time; push reminders need no e-mail address.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from app.booking import links
from app.booking.rules import BookingRules
from app.booking.views import Booking
from app.notify import ics
from app.notify import service as notify
from app.push import kinds as push_kinds
from app.push import service as push
from app.settings import Settings


def reminder_key(appointment_id: int, hours: int, starts_at: datetime) -> str:
    return f"booking.reminder:{appointment_id}:{hours}h:{int(starts_at.timestamp())}"


async def confirm_request(
    item: Booking, *, settings: Settings, token: str, confirm_token: str, now: datetime
) -> None:
    """Double opt-in: the hold is booked once the link in this mail is followed."""
    await _queue(
        "booking.confirm_request",
        item,
        now,
        context={
            **_facts(item),
            "deadline": item.hold_expires_at,
            "confirm_url": links.confirm_url(settings, item.language, confirm_token),
            "manage_url": links.manage_url(settings, item.language, token),
        },
    )


async def confirmed(
    item: Booking, *, settings: Settings, rules: BookingRules, token: str, now: datetime
) -> None:
    """The booking with its calendar file, and its reminders."""
    await _queue(
        "booking.confirmed",
        item,
        now,
        context={**_facts(item), **_manage(settings, item, token)},
        ics=calendar_file(item, settings, token, now),
    )
    await _reminders(item, settings=settings, rules=rules, token=token, now=now)
    await push_reminders(item, settings=settings, rules=rules, now=now)


async def changed(
    item: Booking,
    previous_start: datetime,
    *,
    settings: Settings,
    rules: BookingRules,
    token: str,
    now: datetime,
) -> None:
    """The new time with an updating calendar file; reminders follow the new start."""
    await withdraw_reminders(item.id, previous_start, rules)
    await _queue(
        "booking.changed",
        item,
        now,
        context={
            **_facts(item),
            **_manage(settings, item, token),
            "previous_start": previous_start,
        },
        ics=calendar_file(item, settings, token, now),
    )
    await _reminders(item, settings=settings, rules=rules, token=token, now=now)
    await _push(item, push_kinds.MOVED, settings, now, expires_at=item.starts_at)
    await push_reminders(item, settings=settings, rules=rules, now=now)


async def cancelled(
    item: Booking, *, settings: Settings, rules: BookingRules, now: datetime
) -> None:
    """The cancellation, with a calendar file that removes the entry."""
    await withdraw_reminders(item.id, item.starts_at, rules)
    await _push(item, push_kinds.CANCELLED, settings, now, expires_at=item.starts_at)
    if not item.email:
        return
    removal = ics.cancellation_ics(
        _uid(item, settings),
        item.starts_at,
        item.ends_at,
        item.service.name,
        _location(item),
        item.language,
        sequence=item.revision,
        stamp=now,
    )
    await _queue(
        "booking.cancelled",
        item,
        now,
        context={
            **_facts(item),
            "book_url": links.book_url(settings, item.language, item.service.slug),
        },
        ics=removal,
    )


async def offer(item: Booking, *, settings: Settings, confirm_token: str, now: datetime) -> None:
    """A freed slot for the next in line, to accept by the deadline."""
    await _queue(
        "waitlist.offer",
        item,
        now,
        context={
            **_facts(item),
            "deadline": item.hold_expires_at,
            "accept_url": links.confirm_url(settings, item.language, confirm_token),
        },
    )
    if item.hold_expires_at is not None:
        deadline = {"deadline": item.hold_expires_at.isoformat()}
        await _push(item, push_kinds.OFFER, settings, now, item.hold_expires_at, deadline)


async def withdraw_reminders(appointment_id: int, starts_at: datetime, rules: BookingRules) -> None:
    for hours in rules.reminder_hours:
        await notify.withdraw(reminder_key(appointment_id, hours, starts_at))
        await push.withdraw(reminder_key(appointment_id, hours, starts_at))


async def push_reminders(
    item: Booking, *, settings: Settings, rules: BookingRules, now: datetime
) -> None:
    """Push reminders beside the mails, for whoever subscribed to the case by then; keyed
    like the mails, so `withdraw_reminders` takes them back. Needs no e-mail address."""
    for hours in rules.reminder_hours:
        due = item.starts_at - timedelta(hours=hours)
        if due > now:
            key = reminder_key(item.id, hours, item.starts_at)
            await _push(
                item, push_kinds.REMINDER, settings, now, item.starts_at, due_at=due, key=key
            )


def calendar_file(item: Booking, settings: Settings, token: str, now: datetime) -> str:
    """The appointment as an iCalendar entry (Europe/Berlin, alarms), for mail and download."""
    return ics.appointment_ics(
        _uid(item, settings),
        item.starts_at,
        item.ends_at,
        item.service.name,
        _location(item),
        " · ".join(part for part in (item.reference, item.code) if part),
        links.manage_url(settings, item.language, token),
        item.language,
        sequence=item.revision,
        stamp=now,
    )


async def _reminders(
    item: Booking, *, settings: Settings, rules: BookingRules, token: str, now: datetime
) -> None:
    if not item.email:
        return
    for hours in rules.reminder_hours:
        due = item.starts_at - timedelta(hours=hours)
        if due <= now:
            continue  # booked at short notice: the mail just sent is reminder enough
        await _queue(
            "booking.reminder",
            item,
            now,
            context={**_facts(item), **_manage(settings, item, token)},
            due_at=due,
            dedupe_key=reminder_key(item.id, hours, item.starts_at),
        )


async def _queue(
    template: str,
    item: Booking,
    now: datetime,
    *,
    context: dict[str, Any],
    ics: str | None = None,
    due_at: datetime | None = None,
    dedupe_key: str | None = None,
) -> None:
    if not item.email:
        return
    await notify.queue_mail(
        template,
        to=item.email,
        lang=item.language,
        context=context,
        now=now,
        due_at=due_at,
        dedupe_key=dedupe_key,
        ics=ics,
        case_id=item.case_id,
    )


async def _push(
    item: Booking,
    kind: str,
    settings: Settings,
    now: datetime,
    expires_at: datetime,
    params: dict[str, str] | None = None,
    *,
    due_at: datetime | None = None,
    key: str | None = None,
) -> None:
    """A push notice about the booking to its case's subscribers; it names no service,
    office or person — only the start (or deadline), rendered when it is fetched."""
    if item.case_id is None:
        return  # an offer from the waitlist has no case (and no subscriber) yet
    await push.notify_case(
        item.case_id,
        kind,
        settings=settings,
        now=now,
        expires_at=expires_at,
        due_at=due_at,
        topic=f"appointment:{item.id}",
        params=params or {"start": item.starts_at.isoformat()},
        language=item.language,
        key=key,
    )


def _facts(item: Booking) -> dict[str, Any]:
    office = item.office
    address = f"{office.street}, {office.postcode} {office.city}" if office.street else None
    return {
        "service": item.service.name,
        "office": office.name,
        "address": address if item.channel == "in_person" else None,
        "start": item.starts_at,
        "end": item.ends_at,
        "reference": item.reference,
    }


def _manage(settings: Settings, item: Booking, token: str) -> dict[str, str]:
    return {
        "manage_url": links.manage_url(settings, item.language, token),
        "cancel_url": links.cancel_url(settings, item.language, token),
    }


def _uid(item: Booking, settings: Settings) -> str:
    host = urlparse(settings.base_url).hostname or "amtsweg"
    return f"appointment-{item.id}@{host}"


def _location(item: Booking) -> str:
    office = item.office
    if item.channel == "video":
        return office.name  # the virtual office: the call's link is on the booking page
    return ", ".join(part for part in (office.name, office.street, office.city) if part)
