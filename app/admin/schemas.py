"""What the administration API accepts and answers, beyond the catalogue's own shapes.

A change that could strand booked appointments (a closure, new hours, a desk out of
service or a service taken off a desk) carries `cancel_appointments`: the booking codes
the administrator saw in the preview and agreed to cancel. Without it, a change that
strands anyone is refused with 409 `appointments_affected`, listing them.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from app.booking.impact import AffectedAppointment
from app.catalogue.editing_schemas import (
    AdminOffice,
    ClosureFields,
    DeskFields,
    HoursPeriod,
)

Codes = Annotated[list[Annotated[str, msgspec.Meta(max_length=16)]], msgspec.Meta(max_length=5000)]


class ClosureCreate(ClosureFields, forbid_unknown_fields=True, kw_only=True):
    cancel_appointments: Codes | None = None


class HoursUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The office's whole week; days left out are closed."""

    hours: Annotated[list[HoursPeriod], msgspec.Meta(max_length=42)]
    cancel_appointments: Codes | None = None


class DeskUpdate(DeskFields, forbid_unknown_fields=True, kw_only=True):
    cancel_appointments: Codes | None = None


class DeskServicesUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The ids of every service the desk offers from now on."""

    services: Annotated[list[Annotated[int, msgspec.Meta(ge=1)]], msgspec.Meta(max_length=500)]
    cancel_appointments: Codes | None = None


class OfficeChange(msgspec.Struct, kw_only=True):
    """The office after a change, and how many appointments it cancelled on the way."""

    office: AdminOffice
    cancelled: int
    cancelled_codes: list[str]


class Affected(msgspec.Struct, kw_only=True):
    """The appointments a change would strand (the extension of a 409 problem)."""

    count: int
    appointments: list[AffectedAppointment]
