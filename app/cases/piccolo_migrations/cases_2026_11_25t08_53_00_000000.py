"""Composite indexes of the case tables, as raw SQL: Piccolo's composite constraints fail
on SQLite, `CREATE [UNIQUE] INDEX IF NOT EXISTS` works on SQLite and PostgreSQL alike."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T08:53:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique reference counter per city and year; timeline order index"

INDEXES = {
    # One counter row per (city, year): the reference allocator's
    # `INSERT … ON CONFLICT (city_code, year) DO NOTHING` needs exactly this index.
    "cases_counter_city_year_unique": (
        "CREATE UNIQUE INDEX IF NOT EXISTS cases_counter_city_year_unique "
        "ON cases_counter (city_code, year)"
    ),
    # The timeline is always read in this order.
    "cases_event_case_at": (
        "CREATE INDEX IF NOT EXISTS cases_event_case_at ON cases_event (case_id, at, id)"
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cases", description=DESCRIPTION)

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
