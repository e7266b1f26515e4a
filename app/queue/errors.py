"""What can go wrong in the queue, each with a stable code and a translatable message."""

from __future__ import annotations

from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.translation import _


class TicketNotFound(NotFound):
    code = "ticket_not_found"
    message = _("This ticket does not exist.")


class DeskNotFound(NotFound):
    code = "desk_not_found"
    message = _("This desk does not exist in this office.")


class ServiceNotHere(InvalidInput):
    code = "service_not_here"
    message = _("This service is not offered at a desk of this office.")


class QueueEmpty(NotFound):
    code = "queue_empty"
    message = _("Nobody is waiting for the services of this desk.")


class DeskBusy(Conflict):
    code = "desk_busy"
    message = _("This desk is still serving a ticket. Finish it, park it or pass it on first.")


class TicketStateConflict(Conflict):
    code = "ticket_state_conflict"
    message = _("This is not possible for the ticket in its current state.")


class NotRecalledEnough(Conflict):
    code = "not_recalled_enough"
    message = _("Call the ticket again before marking it as missed.")


class InvalidGroupLetter(InvalidInput):
    code = "invalid_group_letter"
    message = _("A ticket letter is one capital letter from A to Z.")
