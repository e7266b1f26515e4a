"""Composite and partial indexes of the queue tables, as raw SQL: Piccolo's composite
constraints fail on SQLite, `CREATE [UNIQUE] INDEX IF NOT EXISTS` works on both."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T11:59:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique numbers per office, day and group; one called ticket per desk"

INDEXES = {
    # The numbering's `INSERT … ON CONFLICT (office_id, day, group_letter) DO NOTHING`
    # needs exactly this index.
    "queue_counter_office_day_group_unique": (
        "CREATE UNIQUE INDEX IF NOT EXISTS queue_counter_office_day_group_unique "
        "ON queue_counter (office_id, day, group_letter)"
    ),
    # A number is shown once per office and day, whatever the counter says.
    "queue_ticket_office_day_number_unique": (
        "CREATE UNIQUE INDEX IF NOT EXISTS queue_ticket_office_day_number_unique "
        "ON queue_ticket (office_id, day, number)"
    ),
    # A desk serves one visitor at a time: two calls to one desk cannot both stand.
    "queue_ticket_one_called_per_desk": (
        "CREATE UNIQUE INDEX IF NOT EXISTS queue_ticket_one_called_per_desk "
        "ON queue_ticket (desk_id) WHERE state = 'called'"
    ),
    # "Call next" reads the office's waiting line in this order.
    "queue_ticket_line": (
        "CREATE INDEX IF NOT EXISTS queue_ticket_line "
        "ON queue_ticket (office_id, state, sort_at, id)"
    ),
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="queue", description=DESCRIPTION)

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
