"""The retention tests stand on the workspace's small world (two offices, two cases)."""

from tests.workspace.conftest import (  # noqa: F401 — fixtures
    actor_of,
    client_for,
    log_in,
    make_account,
    office_a,
    office_b,
    world,
)
