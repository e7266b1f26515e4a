"""The order of the line: who is called next.

The rule. Every ticket has a place in time, `sort_at`, and the line is served in order
of (`sort_at`, ticket id), oldest first:

- a walk-in's place is the moment the ticket was drawn;
- a checked-in appointment's place is the appointment's start, if the visitor checked in
  no later than `late_minutes` (APP_QUEUE_LATE_MINUTES, 15) after it; a visitor who
  comes later than that lines up like a walk-in arriving then (the check-in time).

So an appointment is served close to its time: ahead of every walk-in who drew a ticket
after the appointment's start (and after anyone who was there before it); a visitor who
comes early waits for their time, unless no one with an earlier place is waiting; a
ticket passed on to another desk or service keeps its place. On equal places the
smaller id (the earlier ticket) goes first. "Call next" takes the first waiting ticket
of this order among the services the desk offers (and those passed on to that desk).
"""

from __future__ import annotations

from datetime import datetime, timedelta


def walk_in_place(drawn_at: datetime) -> datetime:
    return drawn_at


def appointment_place(starts_at: datetime, checked_in_at: datetime, late: timedelta) -> datetime:
    """The appointment's start, or the check-in time for a visitor more than `late` late."""
    return starts_at if checked_in_at <= starts_at + late else checked_in_at
