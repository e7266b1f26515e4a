"""The booking tables: appointments, the desk-unit locks they hold, the waitlist, releases.

An appointment references its office, service, desk and case by foreign key into the
catalogue and the case spine: schema dependencies, the one table-to-table import allowed
across domains. Composite and partial indexes are created in a raw migration step,
because Piccolo's composite constraints do not work on SQLite. Instants are UTC.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
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


class Appointment(Table, tablename="booking_appointment"):
    """One time at one desk for one service: held, confirmed, offered, or withheld.

    At most one appointment per contact and service is held or confirmed at a time
    (a partial unique index on contact_key, service).
    """

    id: Serial  # added by Piccolo; declared for the type checker

    case_id = ForeignKey(
        Case,
        null=True,
        default=None,
        on_delete=OnDelete.cascade,
        index=True,
        help_text="Case the appointment belongs to; empty while a freed slot is withheld.",
    )
    office = ForeignKey(
        Office, null=False, on_delete=OnDelete.restrict, help_text="Office (or virtual office)."
    )
    service = ForeignKey(
        Service, null=False, on_delete=OnDelete.restrict, help_text="What will be done."
    )
    desk = ForeignKey(
        Desk, null=False, on_delete=OnDelete.restrict, help_text="Desk whose units it holds."
    )
    channel = Varchar(length=16, help_text="'in_person' (at a counter) or 'video' (a call).")
    state = Varchar(
        length=16,
        help_text="held, confirmed, cancelled, expired, offered (waitlist or lottery), "
        "withheld (a freed slot kept back for a while), checked_in, completed or no_show.",
    )
    starts_at = Timestamptz(help_text="Start (UTC).")
    ends_at = Timestamptz(help_text="End of the service itself (UTC), without the buffer.")
    hold_expires_at = Timestamptz(
        null=True,
        default=None,
        help_text="Held: when the hold lapses. Offered: the accept deadline. Withheld: when "
        "the slot goes back to the public. Empty otherwise (UTC).",
    )
    language = Varchar(length=8, help_text="Language of the booking and its mails, e.g. 'ar'.")
    email = Varchar(
        length=254,
        null=True,
        default=None,
        help_text="Contact e-mail (personal data; erased by the deletion schedule).",
    )
    contact_key = Varchar(
        length=64,
        null=True,
        default=None,
        help_text="HMAC-SHA256 of the normalized e-mail, so limits per contact survive erasure.",
    )
    code = Varchar(
        length=8, unique=True, help_text="Booking code typed at the kiosk, e.g. 'K7TRXA'."
    )
    token_id = Varchar(
        length=32,
        null=True,
        default=None,
        unique=True,
        help_text="Nonce (hex) of the appointment token that manages it; the token is a case "
        "token of kind 'a'.",
    )
    mail_token_id = Varchar(
        length=32,
        null=True,
        default=None,
        unique=True,
        help_text="Nonce (hex) of the second appointment token, minted for the links in "
        "mails when the booking was confirmed from a mail (the first stays with the app).",
    )
    confirm_token_id = Varchar(
        length=32,
        null=True,
        default=None,
        unique=True,
        help_text="Nonce (hex) of the token in the mail that confirms a hold (double "
        "opt-in) or accepts an offer.",
    )
    revision = Integer(
        default=0, help_text="Grows with every change of time or state; the ICS SEQUENCE."
    )
    created_at = Timestamptz(help_text="When it was first held or offered (UTC).")
    updated_at = Timestamptz(help_text="Last change of state or time (UTC).")


class DeskUnit(Table, tablename="booking_desk_unit"):
    """One time unit (e.g. 15 minutes) of one desk, taken by one appointment.

    (desk, unit_start) is unique: inserting a unit is taking it, and a unit can be
    taken once. This index, not a counter, is why a slot is never booked twice.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    desk = ForeignKey(Desk, null=False, on_delete=OnDelete.cascade, help_text="Desk.")
    unit_start = Timestamptz(help_text="Start of the unit (UTC), on the unit grid.")
    appointment = ForeignKey(
        Appointment,
        null=False,
        on_delete=OnDelete.cascade,
        index=True,
        help_text="Appointment that holds the unit.",
    )


class Release(Table, tablename="booking_release"):
    """A batch of slots an office hands out by lottery instead of to the fastest click.

    While pending, the office's slots of the channel in [slots_from, slots_to) are not
    publicly bookable; requests come in during the window; the draw allocates them.
    """

    id: Serial  # added by Piccolo; declared for the type checker

    office = ForeignKey(
        Office, null=False, on_delete=OnDelete.cascade, help_text="Office releasing slots."
    )
    services = JSON(default="[]", help_text="Ids of the services that may be requested.")
    channel = Varchar(length=16, help_text="'in_person' or 'video'.")
    slots_from = Timestamptz(help_text="First slot start covered (UTC), inclusive.")
    slots_to = Timestamptz(help_text="End of the covered range (UTC), exclusive.")
    requests_open_at = Timestamptz(help_text="Requests are taken from (UTC).")
    requests_close_at = Timestamptz(help_text="…until here (UTC); then the draw runs.")
    state = Varchar(length=16, default="pending", help_text="'pending', then 'drawn'.")
    seed = Varchar(
        length=64,
        null=True,
        default=None,
        help_text="Seed of the draw (hex), published with the result.",
    )
    requests = Integer(default=0, help_text="How many requests took part in the draw.")
    allocated = Integer(default=0, help_text="How many of them were offered a slot.")
    created_at = Timestamptz(help_text="When the release was created (UTC).")
    drawn_at = Timestamptz(null=True, default=None, help_text="When it was drawn (UTC).")


class WaitlistEntry(Table, tablename="booking_waitlist_entry"):
    """One citizen's wish for an appointment that is not free now: a place in line, or a
    request in a lottery release (which joins the line in draw order if it draws no slot).

    Served strictly in order of (queued_at, draw_rank, id).
    """

    id: Serial  # added by Piccolo; declared for the type checker

    service = ForeignKey(
        Service, null=False, on_delete=OnDelete.cascade, help_text="Service wanted."
    )
    offices = JSON(default="[]", help_text="Ids of acceptable offices; empty means any.")
    channel = Varchar(length=16, help_text="'in_person' or 'video'.")
    first_day = Date(help_text="Earliest acceptable day (Berlin date).")
    last_day = Date(help_text="Latest acceptable day (Berlin date), inclusive.")
    language = Varchar(length=8, help_text="Language of the mails.")
    email = Varchar(
        length=254, null=True, default=None, help_text="Where offers go (personal data)."
    )
    contact_key = Varchar(length=64, help_text="HMAC-SHA256 of the normalized e-mail.")
    state = Varchar(
        length=16,
        help_text="requested (lottery, before the draw), waiting, offered, booked, "
        "declined, expired or withdrawn.",
    )
    release = ForeignKey(
        Release,
        null=True,
        default=None,
        on_delete=OnDelete.cascade,
        help_text="Lottery release the request was made for; empty for the plain waitlist.",
    )
    draw_rank = Integer(
        default=0, help_text="Place in a lottery's draw order; 0 on the plain waitlist."
    )
    appointment = ForeignKey(
        Appointment,
        null=True,
        default=None,
        on_delete=OnDelete.set_null,
        help_text="The appointment offered (and, once accepted, booked).",
    )
    token_id = Varchar(
        length=32, unique=True, help_text="Nonce (hex) of the token that manages the entry."
    )
    queued_at = Timestamptz(help_text="When it joined the line (UTC); a lottery's draw time.")
    created_at = Timestamptz(help_text="When it was made (UTC).")
    updated_at = Timestamptz(help_text="Last change (UTC).")
