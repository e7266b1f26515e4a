"""The lottery's draw itself, without a database: the seed, the order, the allocation.

Published rule: the seed is HMAC-SHA256(secret, "amtsweg:release:<id>"), fixed before any
request exists; the order is `random.Random(seed).shuffle` of the request ids in
ascending order; in that order each request gets the earliest start on its preferred
days where a desk has all its units free, and no unit is given twice.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from app.booking import calendar


@dataclass(frozen=True, slots=True)
class Wish:
    """One request in the draw: its service and its preferred Berlin days."""

    request_id: int
    service_id: int
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class Supply:
    """What one service can use: its openings, its desks (ascending) and units per slot."""

    found: list[calendar.Opening]
    desks: tuple[int, ...]
    need: int


def seed_for(release_id: int, secret_key: bytes) -> str:
    return hmac.new(
        secret_key, f"amtsweg:release:{release_id}".encode(), hashlib.sha256
    ).hexdigest()


def draw_order(request_ids: Sequence[int], seed: str) -> list[int]:
    """The published rule: shuffle the ids, ascending, with a PRNG seeded by `seed`."""
    order = sorted(request_ids)
    # A seeded PRNG is the point: the draw must be replayable from its published seed.
    random.Random(seed).shuffle(order)  # noqa: S311
    return order


def allocate(
    order: Sequence[int],
    wishes: Mapping[int, Wish],
    supply: Mapping[int, Supply],
    taken: Mapping[int, set[int]],
    *,
    earliest: int,
    first: int,
    end: int,
) -> dict[int, tuple[int, int]]:
    """Request id → (desk, start unit): in draw order, each request the earliest start in
    [first, end) on its preferred days where a desk has all its units free; units already
    taken or allocated are never allocated again."""
    busy: dict[int, set[int]] = defaultdict(set)
    for desk, indexes in taken.items():
        busy[desk] |= indexes
    allocation: dict[int, tuple[int, int]] = {}
    for request_id in order:
        wish = wishes[request_id]
        offer = supply.get(wish.service_id)
        if offer is None:
            continue
        for opening in offer.found:
            if not wish.first_day <= opening.day <= wish.last_day:
                continue
            chosen = first_fit(opening, offer, busy, max(earliest, first), end)
            if chosen is not None:
                desk, start = chosen
                busy[desk].update(range(start, start + offer.need))
                allocation[request_id] = chosen
                break
    return allocation


def first_fit(
    opening: calendar.Opening,
    offer: Supply,
    busy: Mapping[int, set[int]],
    earliest: int,
    end: int,
) -> tuple[int, int] | None:
    """The earliest (desk, start) in the opening, starting before `end`, with all units free."""
    last_start = min(opening.end - offer.need, end - 1)
    for start in range(max(opening.first, earliest), last_start + 1):
        units = range(start, start + offer.need)
        for desk in offer.desks:
            if busy.get(desk, set()).isdisjoint(units):
                return desk, start
    return None
