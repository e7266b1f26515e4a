"""How long a waiting visitor still waits: people ahead × recent service time ÷ open desks.

- people ahead: waiting tickets of the same office and service group with an earlier
  place in the line (see `ordering`);
- service time: the median of the last `wait_sample` (APP_QUEUE_WAIT_SAMPLE, 20)
  finished tickets of that office and group, from their last call to finishing; before
  there are any, `default_service_minutes` (APP_QUEUE_DEFAULT_SERVICE_MINUTES, 10);
- open desks: desks of the office that called a ticket in the last `open_desk_minutes`
  (APP_QUEUE_OPEN_DESK_MINUTES, 60), at least one.

The median, not the mean, so that one long case does not double everyone's estimate.
"""

from __future__ import annotations

import math
from datetime import datetime
from statistics import median
from typing import Any

from app.queue.rules import QueueRules
from app.queue.tables import Ticket


async def people_ahead(row: dict[str, Any]) -> int:
    if row["state"] != "waiting":
        return 0
    earlier = (Ticket.sort_at < row["sort_at"]) | (
        (Ticket.sort_at == row["sort_at"]) & (Ticket.id < row["id"])
    )
    count = await Ticket.count().where(
        Ticket.office_id == row["office_id"],
        Ticket.group_letter == row["group_letter"],
        Ticket.state == "waiting",
        earlier,
    )
    return int(count)


async def service_seconds(office_id: int, letter: str, rules: QueueRules) -> float:
    rows = (
        await Ticket.select(Ticket.service_seconds)
        .where(
            Ticket.office_id == office_id,
            Ticket.group_letter == letter,
            Ticket.state == "finished",
            Ticket.service_seconds.is_not_null(),
        )
        .order_by(Ticket.finished_at, ascending=False)
        .limit(rules.wait_sample)
    )
    if not rows:
        return rules.default_service_minutes * 60.0
    return float(median(int(row["service_seconds"]) for row in rows))


async def open_desks(office_id: int, now: datetime, rules: QueueRules) -> int:
    rows = (
        await Ticket.select(Ticket.desk_id)
        .where(
            Ticket.office_id == office_id,
            Ticket.desk_id.is_not_null(),
            Ticket.called_at >= now - rules.open_desk_window,
        )
        .distinct()
    )
    return max(1, len(rows))


async def wait(row: dict[str, Any], now: datetime, rules: QueueRules) -> tuple[int, int]:
    """(people ahead, estimated wait in whole minutes, rounded up) of a ticket row."""
    ahead = await people_ahead(row)
    if ahead == 0:
        return 0, 0
    seconds = await service_seconds(row["office_id"], row["group_letter"], rules)
    desks = await open_desks(row["office_id"], now, rules)
    return ahead, math.ceil(seconds * ahead / desks / 60)
