"""Fill translations into one .po file from a JSON table {msgid: msgstr | [plural forms]}.

A value may also be {"msgstr": msgstr | [plural forms], "fuzzy": true}: a translation the
translator is unsure of, kept for review and not shown until the flag is removed.

usage: python scripts/lib/po_fill.py locales/<lang>/LC_MESSAGES/messages.po table.json

Only entries named in the table change; everything else in the file stays as it was.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

Entry = str | list[str] | dict[str, object]


def fill(po_path: Path, table: dict[str, Entry]) -> int:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else (message.id or ("",))[0]
        if key and key in table:
            value = table[key]
            fuzzy = False
            if isinstance(value, dict):
                fuzzy = bool(value.get("fuzzy"))
                value = value["msgstr"]  # type: ignore[assignment]
            message.string = tuple(value) if isinstance(value, list) else value
            if fuzzy:
                message.flags.add("fuzzy")
            else:
                message.flags.discard("fuzzy")
            filled += 1
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100)
    return filled


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    po_path, table_path = Path(argv[0]), Path(argv[1])
    table = json.loads(table_path.read_text(encoding="utf-8"))
    print(f"{po_path}: {fill(po_path, table)} filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
