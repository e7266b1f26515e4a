"""Why a booking request was refused: one stable code per reason, a message per language.

Every refusal leaves the database as it was; `app.core.problems` turns these into
problem details. Messages are English msgids, translated when the answer is written.
"""

from __future__ import annotations

from app.core.errors import Conflict, DomainError, InvalidInput, NotFound
from app.core.translation import _


class UnknownService(InvalidInput):
    code = "unknown_service"
    message = _("This service does not exist or cannot be booked.")


class UnknownOffice(InvalidInput):
    code = "unknown_office"
    message = _("This office does not exist.")


class ChannelNotOffered(InvalidInput):
    code = "channel_not_offered"
    message = _("This service cannot be booked for this kind of appointment.")


class NotOfferedHere(InvalidInput):
    code = "not_offered_here"
    message = _("This office does not offer this service for this kind of appointment.")


class InvalidRange(InvalidInput):
    code = "invalid_range"
    message = _("The end of the period must not be before its start.")


class RangeTooLong(InvalidInput):
    code = "range_too_long"
    message = _("Please choose a period of at most {days} days.")


class RangeInPast(InvalidInput):
    code = "range_in_past"
    message = _("This period is in the past. Please choose a later one.")


class SlotInPast(InvalidInput):
    code = "slot_in_past"
    message = _("This time is in the past. Please choose a later one.")


class NoticeTooShort(InvalidInput):
    code = "notice_too_short"
    message = _("Appointments must be booked at least {minutes} minutes in advance.")


class BeyondBookingWindow(InvalidInput):
    code = "beyond_booking_window"
    message = _("Appointments can be booked at most {days} days in advance.")


class OfficeClosed(InvalidInput):
    code = "office_closed"
    message = _("The office is closed on this day.")


class OutsideOpeningHours(InvalidInput):
    code = "outside_opening_hours"
    message = _("There is no appointment at this time. Please choose one of the times offered.")


class InvalidTime(InvalidInput):
    code = "invalid_time"
    message = _("Please give the time with its time zone.")


class InvalidEmail(InvalidInput):
    code = "invalid_email"
    message = _("Please enter a valid e-mail address.")


class CaseServiceMismatch(InvalidInput):
    code = "case_service_mismatch"
    message = _("This case is about another service.")


class SlotTaken(Conflict):
    code = "slot_taken"
    message = _("Someone else has just booked this time. Please choose another one.")


class SlotInLottery(Conflict):
    code = "slot_in_lottery"
    message = _("These appointments are given out by lottery. Please take part in the draw.")


class AlreadyBooked(Conflict):
    code = "already_booked"
    message = _(
        "You already have an appointment for this service. Please change or cancel it "
        "instead of booking a second one."
    )


class HoldExpired(DomainError):
    status = 410
    code = "hold_expired"
    message = _(
        "This time was only reserved for a few minutes and is free again. "
        "Please choose a time again."
    )


class ConfirmByEmail(Conflict):
    code = "confirm_by_email"
    message = _("Please confirm the appointment with the link we sent you by e-mail.")


class NotConfirmable(Conflict):
    code = "not_confirmable"
    message = _("This appointment can no longer be confirmed.")


class NotCancellable(Conflict):
    code = "not_cancellable"
    message = _("This appointment can no longer be cancelled.")


class NotReschedulable(Conflict):
    code = "not_reschedulable"
    message = _("This appointment can no longer be changed.")


class AlreadyWaiting(Conflict):
    code = "already_waiting"
    message = _("You are already on the waiting list for this service.")


class NotWaiting(Conflict):
    code = "not_waiting"
    message = _("This place on the waiting list is no longer active.")


class ReleaseNotFound(NotFound):
    code = "release_not_found"
    message = _("This release of appointments does not exist.")


class RequestsClosed(Conflict):
    code = "requests_closed"
    message = _("Requests for these appointments are not open at the moment.")


class AlreadyRequested(Conflict):
    code = "already_requested"
    message = _("You have already taken part in this draw.")


class InvalidRelease(InvalidInput):
    code = "invalid_release"
    message = _("The release needs a range of slots and a request window that closes before it.")
