"""What the live domain answers over HTTP."""

from __future__ import annotations

import msgspec


class DisplayLink(msgspec.Struct, frozen=True, kw_only=True):
    """The address of an office's call display; whoever holds it may mount the display."""

    office_id: int
    key: str
    url: str
