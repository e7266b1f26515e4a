"""The catalogue's tables: where the city serves (offices, desks, hours, closures) and what.

Text a citizen reads is stored per language as a JSON object, `{"de": …, "en": …}`, with
German always present; readers fall back to German. Times of day are local Berlin time.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    SmallInt,
    Time,
    Varchar,
)
from piccolo.table import Table


class Office(Table, tablename="catalogue_office"):
    """One place where citizens are served: a district Bürgeramt or the virtual office."""

    id = Serial(primary_key=True, help_text="Row number; declared so type checkers see it.")

    slug = Varchar(length=64, unique=True, help_text="Stable name in URLs, e.g. 'altstadt'.")
    kind = Varchar(length=16, help_text="'district' (a building) or 'virtual' (video only).")
    name = Varchar(length=120, help_text="Proper name, e.g. 'Bürgeramt Altstadt'.")
    street = Varchar(length=120, help_text="Street and number; empty for the virtual office.")
    postcode = Varchar(length=10, help_text="German postcode, five digits.")
    city = Varchar(length=80, help_text="Town or city name.")
    phone = Varchar(length=40, help_text="Phone number as people dial it.")
    email = Varchar(length=120, help_text="Contact e-mail address of the office.")
    languages = JSON(
        default="[]", help_text="Languages the staff speak, as codes, e.g. ['de', 'en', 'tr']."
    )
    accessibility = JSON(
        default="{}", help_text="Access notes per language: step-free entry, toilets, loops."
    )


class Desk(Table, tablename="catalogue_desk"):
    """One place in an office where one clerk serves one visitor at a time."""

    id = Serial(primary_key=True, help_text="Row number; declared so type checkers see it.")

    office = ForeignKey(
        Office, null=False, on_delete=OnDelete.cascade, help_text="Office the desk is in."
    )
    label = Varchar(length=40, help_text="What the call display shows, e.g. 'Schalter 3'.")
    channel = Varchar(
        length=16, default="in_person", help_text="'in_person' (a counter) or 'video' (a call)."
    )
    active = Boolean(default=True, help_text="False while the desk is out of service.")


class OpeningHours(Table, tablename="catalogue_opening_hours"):
    """One period an office is open on one weekday; a day may have several (lunch break)."""

    id = Serial(primary_key=True, help_text="Row number; declared so type checkers see it.")

    office = ForeignKey(
        Office, null=False, on_delete=OnDelete.cascade, help_text="Office that is open."
    )
    weekday = SmallInt(help_text="0 = Monday … 6 = Sunday.")
    opens = Time(help_text="Local Berlin time the doors open.")
    closes = Time(help_text="Local Berlin time the last visitor is served; after `opens`.")


class Closure(Table, tablename="catalogue_closure"):
    """Whole days on which one office, or every office, stays closed despite its hours."""

    id = Serial(primary_key=True, help_text="Row number; declared so type checkers see it.")

    office = ForeignKey(
        Office,
        null=True,
        on_delete=OnDelete.cascade,
        help_text="Office that is closed; empty means every office (e.g. a city-wide day).",
    )
    starts_on = Date(help_text="First closed day (local date).")
    ends_on = Date(help_text="Last closed day, inclusive; equal to starts_on for one day.")
    reason = JSON(default="{}", help_text="Why, per language, e.g. staff training.")


class Service(Table, tablename="catalogue_service"):
    """One thing a citizen can get done, e.g. applying for an ID card, and how."""

    id = Serial(primary_key=True, help_text="Row number; declared so type checkers see it.")

    slug = Varchar(length=64, unique=True, help_text="Stable name in URLs, e.g. 'personalausweis'.")
    leika = Varchar(
        length=14, null=True, default=None, help_text="LeiKa key (14 digits) where known."
    )
    ticket_letter = Varchar(
        length=1, help_text="Queue service group; tickets are numbered with it, e.g. 'A' → A017."
    )
    position = SmallInt(default=0, help_text="Order in lists; lower comes first.")
    name = JSON(default="{}", help_text="Name per language.")
    description = JSON(default="{}", help_text="One or two sentences per language.")
    documents = JSON(default="{}", help_text="Per language, the list of documents to bring.")
    duration_minutes = Integer(help_text="Time a clerk needs, which sizes appointment slots.")
    fee_cents = Integer(default=0, help_text="Fee in euro cents; 0 means free of charge.")
    allows_in_person = Boolean(default=True, help_text="Can be done at a district office.")
    allows_video = Boolean(default=False, help_text="Can be done (or prepared) by video call.")
    in_person_reason = JSON(
        null=True,
        default=None,
        help_text="Per language, why a visit in person is required; empty if it is not.",
    )
    online_url = Varchar(
        length=300, null=True, default=None, help_text="Online service elsewhere (a link out)."
    )
    online_note = JSON(
        null=True, default=None, help_text="Per language, who can use the online service."
    )
    active = Boolean(default=True, help_text="False once the service is no longer offered.")


class DeskService(Table, tablename="catalogue_desk_service"):
    """That one desk offers one service; capacity is counted from these pairs.

    (desk, service) is unique through an index created in the migration, because
    Piccolo's composite constraints do not work on SQLite.
    """

    id = Serial(primary_key=True, help_text="Row number; declared so type checkers see it.")

    desk = ForeignKey(
        Desk, null=False, on_delete=OnDelete.cascade, help_text="Desk that offers it."
    )
    service = ForeignKey(
        Service,
        null=False,
        on_delete=OnDelete.cascade,
        index=True,
        help_text="Service offered there.",
    )
