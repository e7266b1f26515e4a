"""What each mail says: its subject, its paragraphs and the links it offers.

Every text is an English msgid marked with `_()` (so `scripts/i18n extract` finds it) and
is translated into the mail's language when the mail is rendered; `{name}` placeholders
are filled from the mail's context. Every mail about an appointment also lists the
service, the place and the time, which `rendering` adds from the same context.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.translation import _


@dataclass(frozen=True, slots=True)
class Link:
    """A link in the mail: its label, and the context key that holds its absolute URL."""

    label: str
    key: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class MailTemplate:
    """One kind of mail. `required` names the context keys it cannot be rendered without."""

    subject: str
    paragraphs: tuple[str, ...]
    links: tuple[Link, ...]
    required: frozenset[str]
    calendar_note: str | None = None


# Every appointment mail names these; `end`, `address`, `reference` are optional.
APPOINTMENT = frozenset({"service", "office", "start"})

MANAGE = Link(_("View or change your appointment"), "manage_url")
CANCEL = Link(_("Cancel appointment"), "cancel_url")

ADDED_TO_CALENDAR = _(
    "The attached calendar file adds the appointment to your calendar, with reminders."
)

TEMPLATES: dict[str, MailTemplate] = {
    "booking.confirm_request": MailTemplate(
        subject=_("Please confirm your appointment: {service}"),
        paragraphs=(
            _("We are holding this appointment for you. It is booked once you confirm it."),
            _("If you do not confirm it by {deadline}, the time is released for others."),
            _("If you did not ask for this appointment, you can ignore this message."),
        ),
        links=(Link(_("Confirm appointment"), "confirm_url"),),
        required=APPOINTMENT | {"deadline"},
    ),
    "booking.confirmed": MailTemplate(
        subject=_("Your appointment is booked: {service}"),
        paragraphs=(
            _("Your appointment is booked. We look forward to seeing you."),
            _("If you cannot come, please cancel it, so that someone else can have the time."),
        ),
        links=(MANAGE, CANCEL),
        required=APPOINTMENT,
        calendar_note=ADDED_TO_CALENDAR,
    ),
    "booking.changed": MailTemplate(
        subject=_("Your appointment has been changed: {service}"),
        paragraphs=(
            _("Your appointment has been moved. This is the new time."),
            _("If you cannot come, please cancel it, so that someone else can have the time."),
        ),
        links=(MANAGE, CANCEL),
        required=APPOINTMENT,
        calendar_note=_("The attached calendar file updates the appointment in your calendar."),
    ),
    "booking.cancelled": MailTemplate(
        subject=_("Your appointment has been cancelled: {service}"),
        paragraphs=(
            _("Your appointment has been cancelled. The time is now free for others."),
            _("You are welcome to book a new appointment at any time."),
        ),
        links=(Link(_("Book a new appointment"), "book_url", required=False),),
        required=APPOINTMENT,
        calendar_note=_("The attached calendar file removes the appointment from your calendar."),
    ),
    "booking.reminder": MailTemplate(
        subject=_("Reminder: your appointment on {date}"),
        paragraphs=(
            _("This is a reminder of your appointment."),
            _("If you cannot come, please cancel it, so that someone else can have the time."),
        ),
        links=(MANAGE, CANCEL),
        required=APPOINTMENT,
    ),
    "waitlist.offer": MailTemplate(
        subject=_("An appointment is free for you: {service}"),
        paragraphs=(
            _("An appointment has become free, and you are next on the waiting list."),
            _("Accept it by {deadline}. After that, it is offered to the next person."),
        ),
        links=(
            Link(_("Accept appointment"), "accept_url"),
            Link(_("Leave the waiting list"), "leave_url", required=False),
        ),
        required=APPOINTMENT | {"deadline"},
    ),
}

# The facts listed under the paragraphs, with their labels.
SERVICE = _("Service")
PLACE = _("Place")
ADDRESS = _("Address")
TIME = _("Time")
PREVIOUS_TIME = _("Previous time")
REFERENCE = _("Reference")

# A moment, as people in the office see it: Berlin wall-clock time, the zone named.
MOMENT = _("{date}, {time} ({zone})")
FOOTER = _("This message was sent automatically. Please do not reply to it.")
