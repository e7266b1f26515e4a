"""The unique index on (subscription, case) of push links, as raw SQL: Piccolo's
composite constraints fail on SQLite; `CREATE UNIQUE INDEX IF NOT EXISTS` works on both."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T12:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one link per subscription and case"

# `INSERT … ON CONFLICT (subscription, case_id)` names exactly this index.
CREATE = "CREATE UNIQUE INDEX IF NOT EXISTS push_link_pair ON push_link (subscription, case_id)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="push", description=DESCRIPTION)

    async def create_indexes():
        await engine_finder().run_ddl(CREATE)

    async def drop_indexes():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS push_link_pair")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
