"""The unique (staff, office) index of memberships, as raw SQL: Piccolo's composite
constraints fail on SQLite, `CREATE UNIQUE INDEX IF NOT EXISTS` works on both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T09:03:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one role per staff member and office"

INDEXES = {
    # `grant_role`'s `INSERT … ON CONFLICT (staff, office)` needs exactly this index.
    "staff_membership_staff_office_unique": (
        "CREATE UNIQUE INDEX IF NOT EXISTS staff_membership_staff_office_unique "
        "ON staff_membership (staff, office)"
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="staff", description=DESCRIPTION)

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
