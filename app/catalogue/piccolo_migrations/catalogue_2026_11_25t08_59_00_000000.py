"""Composite indexes, written as raw SQL because Piccolo's composite constraints fail on
SQLite; `CREATE UNIQUE INDEX IF NOT EXISTS` works on SQLite and PostgreSQL alike."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T08:59:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique desk labels per office and desk services; lookup indexes"

INDEXES = {
    # A desk offers a service once: capacity counts (desk, service) pairs.
    "catalogue_desk_service_unique": (
        "CREATE UNIQUE INDEX IF NOT EXISTS catalogue_desk_service_unique "
        "ON catalogue_desk_service (desk, service)"
    ),
    # The call display says "Schalter 3": that label must name one desk per office.
    "catalogue_desk_label_unique": (
        "CREATE UNIQUE INDEX IF NOT EXISTS catalogue_desk_label_unique "
        "ON catalogue_desk (office, label)"
    ),
    "catalogue_opening_hours_office_weekday": (
        "CREATE INDEX IF NOT EXISTS catalogue_opening_hours_office_weekday "
        "ON catalogue_opening_hours (office, weekday)"
    ),
    "catalogue_closure_ends_on": (
        "CREATE INDEX IF NOT EXISTS catalogue_closure_ends_on ON catalogue_closure (ends_on)"
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="catalogue", description=DESCRIPTION)

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
