"""The queue tables: tickets, the number counter per office, day and group, and the
service-group letters.

A ticket references its office, service, desk and case by foreign key into the catalogue
and the case spine: schema dependencies, the table-to-table imports allowed across
domains. An appointment is referenced by id only (booking's tables stay booking's).
Composite and partial indexes are created in a raw migration step, because Piccolo's
composite constraints do not work on SQLite. Instants are UTC.
"""

from __future__ import annotations

from piccolo.columns import (
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from app.cases.tables import Case
from app.catalogue.tables import Desk, Office, Service


class Ticket(Table, tablename="queue_ticket"):
    """One visitor's place in an office queue, from drawing the number to being served.

    (office, day, number) is unique; so is appointment_id (one ticket per appointment);
    a desk holds at most one called ticket (a partial unique index on desk_id).
    """

    id: Serial  # added by Piccolo; declared for the type checker

    office_id = ForeignKey(
        Office, null=False, on_delete=OnDelete.cascade, help_text="Office whose queue it is in."
    )
    service_id = ForeignKey(
        Service, null=False, on_delete=OnDelete.restrict, help_text="What the visitor needs."
    )
    case_id = ForeignKey(
        Case, null=False, on_delete=OnDelete.cascade, index=True, help_text="Case it serves."
    )
    day = Date(help_text="Berlin day the ticket was drawn; numbers restart every day.")
    group_letter = Varchar(length=1, help_text="Service group, e.g. 'A'; numbers count per group.")
    sequence = Integer(help_text="Running number in its office, day and group, from 1.")
    number = Varchar(length=8, help_text="What the call display shows, e.g. 'A-017'.")
    kind = Varchar(length=16, help_text="'walk_in' (drawn at the kiosk) or 'appointment'.")
    appointment_id = Integer(
        null=True,
        default=None,
        unique=True,
        help_text="Id of the booking appointment checked in with it; empty for walk-ins.",
    )
    appointment_at = Timestamptz(
        null=True, default=None, help_text="Start of that appointment (UTC); empty for walk-ins."
    )
    state = Varchar(
        length=16,
        default="waiting",
        help_text="waiting, called, parked, finished or missed.",
    )
    sort_at = Timestamptz(help_text="Place in the line (UTC): see app.queue.ordering.")
    desk_id = ForeignKey(
        Desk,
        null=True,
        default=None,
        on_delete=OnDelete.set_null,
        help_text="Desk it was called to last; empty until called.",
    )
    target_desk_id = ForeignKey(
        Desk,
        null=True,
        default=None,
        on_delete=OnDelete.set_null,
        help_text="Desk it was passed on to: only that desk calls it; empty for any desk.",
    )
    recalls = Integer(default=0, help_text="How often it was called again at its desk.")
    token_id = Varchar(
        length=32, unique=True, help_text="Nonce (hex) of the ticket token on its QR code."
    )
    drawn_by = Varchar(
        length=64, null=True, default=None, help_text="Who issued it, e.g. 'kiosk:3'."
    )
    drawn_at = Timestamptz(help_text="When the ticket was drawn or the visitor checked in (UTC).")
    called_at = Timestamptz(
        null=True, default=None, help_text="When it was last called to a desk (UTC)."
    )
    finished_at = Timestamptz(
        null=True, default=None, help_text="When it was finished or marked missed (UTC)."
    )
    service_seconds = Integer(
        null=True,
        default=None,
        help_text="Seconds from the last call to finishing: what waiting times are estimated from.",
    )


class TicketCounter(Table, tablename="queue_counter"):
    """The last number handed out in one office, on one Berlin day, in one service group.

    (office_id, day, group_letter) is unique through an index created in the migration.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    office_id = Integer(help_text="Office the numbers belong to.")
    day = Date(help_text="Berlin day the numbers belong to.")
    group_letter = Varchar(length=1, help_text="Service group, e.g. 'A'.")
    last_number = Integer(default=0, help_text="Highest number already used.")


class ServiceGroup(Table, tablename="queue_service_group"):
    """Which group letter a service's tickets carry, where it differs from the catalogue's
    default letter; services of one group share one number sequence per day."""

    id: Serial  # added by Piccolo; declared for the type checker

    service_id = ForeignKey(
        Service,
        null=False,
        unique=True,
        on_delete=OnDelete.cascade,
        help_text="The service whose tickets carry the letter.",
    )
    group_letter = Varchar(length=1, help_text="Capital letter A–Z, e.g. 'B'.")
