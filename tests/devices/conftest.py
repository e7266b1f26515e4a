"""What the device tests stand on: the workspace's two offices with a clerk, a lead, an
administrator and a clerk of the other office, and signed-in clients for them."""

from __future__ import annotations

from tests.staff.conftest import log_in, make_account, office_a, office_b
from tests.workspace.conftest import client_for, world

__all__ = ["client_for", "log_in", "make_account", "office_a", "office_b", "world"]
