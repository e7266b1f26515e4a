"""The booking's composite and partial indexes, as raw SQL: Piccolo's composite
constraints fail on SQLite; `CREATE [UNIQUE] INDEX IF NOT EXISTS … [WHERE …]` works on
SQLite and PostgreSQL alike."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T09:16:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "desk-unit lock, one active booking per contact, waitlist order and limits"

INDEXES = {
    # The lock: a desk's unit is taken once. `INSERT … ON CONFLICT (desk, unit_start)`
    # names exactly this index; availability reads ranges of it per desk.
    "booking_desk_unit_lock": (
        "CREATE UNIQUE INDEX IF NOT EXISTS booking_desk_unit_lock "
        "ON booking_desk_unit (desk, unit_start)"
    ),
    # At most one held or confirmed appointment per contact and service.
    "booking_appointment_one_active": (
        "CREATE UNIQUE INDEX IF NOT EXISTS booking_appointment_one_active "
        "ON booking_appointment (contact_key, service) WHERE state IN ('held', 'confirmed')"
    ),
    "booking_appointment_office_start": (
        "CREATE INDEX IF NOT EXISTS booking_appointment_office_start "
        "ON booking_appointment (office, starts_at)"
    ),
    # The line, in the order it is served.
    "booking_waitlist_line": (
        "CREATE INDEX IF NOT EXISTS booking_waitlist_line ON booking_waitlist_entry "
        "(service, channel, state, queued_at, draw_rank, id)"
    ),
    # One open place on the plain waitlist per contact and service…
    "booking_waitlist_one_open": (
        "CREATE UNIQUE INDEX IF NOT EXISTS booking_waitlist_one_open "
        "ON booking_waitlist_entry (contact_key, service) "
        "WHERE release IS NULL AND state IN ('waiting', 'offered')"
    ),
    # …and one request per contact in each lottery release.
    "booking_waitlist_one_request": (
        "CREATE UNIQUE INDEX IF NOT EXISTS booking_waitlist_one_request "
        "ON booking_waitlist_entry (release, contact_key) WHERE release IS NOT NULL"
    ),
    "booking_waitlist_appointment": (
        "CREATE INDEX IF NOT EXISTS booking_waitlist_appointment "
        "ON booking_waitlist_entry (appointment)"
    ),
    "booking_release_office_state": (
        "CREATE INDEX IF NOT EXISTS booking_release_office_state "
        "ON booking_release (office, state)"
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in INDEXES.values():
            await engine.run_ddl(statement)

    async def drop_indexes():
        engine = engine_finder()
        for name in INDEXES:
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
