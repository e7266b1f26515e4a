"""One gettext catalog for Python and JavaScript, read from `locales/<lang>/.../messages.po`.

Python code marks strings with `_()` (a marker: the text is translated when it is shown,
in the language of whoever sees it). The same catalog is served to the front ends as JSON,
with the gettext plural index mapped to CLDR categories so that JS never evaluates a
Plural-Forms expression.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.pofile import read_po

RTL = frozenset({"ar", "fa", "he", "ur"})


def _(message: str) -> str:
    """Mark a message for extraction; it is translated where it is rendered."""
    return message


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    dir: str
    native_name: str


@dataclass(frozen=True, slots=True)
class Catalog:
    language: Language
    messages: Mapping[str, str | tuple[str, ...]]
    plural: Callable[[int], int]
    cldr_plural_index: Mapping[str, int]

    def gettext(self, message: str, **params: Any) -> str:
        found = self.messages.get(message) or message
        text = (found[0] or message) if isinstance(found, tuple) else found
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        forms = self.messages.get(singular)
        if isinstance(forms, tuple) and all(forms):
            text = forms[min(self.plural(n), len(forms) - 1)]
        else:
            text = singular if n == 1 else plural
        return text.format(n=n, **params)

    def as_json(self) -> dict[str, Any]:
        return {
            "lang": self.language.code,
            "dir": self.language.dir,
            "plural": dict(self.cldr_plural_index),
            "messages": {
                key: list(value) if isinstance(value, tuple) else value
                for key, value in self.messages.items()
                if value and (not isinstance(value, tuple) or all(value))
            },
        }


def language(code: str) -> Language:
    locale = Locale.parse(code)
    return Language(
        code=code,
        dir="rtl" if locale.character_order == "right-to-left" else "ltr",
        native_name=(locale.get_display_name(locale) or code),
    )


def load_catalog(locales_dir: Path, code: str) -> Catalog:
    path = locales_dir / code / "LC_MESSAGES" / "messages.po"
    messages: dict[str, str | tuple[str, ...]] = {}
    plural_expr = "(n != 1)"
    if path.exists():
        with path.open("rb") as handle:
            po = read_po(handle, locale=code)
        plural_expr = po.plural_expr
        for entry in po:
            if not entry.id or entry.fuzzy:
                continue  # a fuzzy translation is a guess: show the source text instead
            key = entry.id[0] if isinstance(entry.id, tuple | list) else entry.id
            value = entry.string
            if isinstance(value, tuple | list):
                messages[key] = tuple(value)
            elif value:
                messages[key] = value
    plural = stdlib_gettext.c2py(plural_expr)
    return Catalog(language(code), messages, plural, _cldr_index(code, plural))


def _cldr_index(code: str, plural: Callable[[int], int]) -> dict[str, int]:
    """Map each CLDR plural category of the language to its gettext form index."""
    locale = Locale.parse(code)
    index: dict[str, int] = {}
    for n in range(0, 1001):
        index.setdefault(locale.plural_form(Decimal(n)), plural(n))
    return index


class Catalogs:
    def __init__(self, catalogs: Iterable[Catalog], default: str) -> None:
        self._by_code = {catalog.language.code: catalog for catalog in catalogs}
        self.default = default

    @classmethod
    def load(cls, locales_dir: Path, codes: Iterable[str], default: str) -> Catalogs:
        return cls((load_catalog(locales_dir, code) for code in codes), default)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._by_code)

    @property
    def languages(self) -> tuple[Language, ...]:
        return tuple(catalog.language for catalog in self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Catalog:
        return self._by_code.get(code) or self._by_code[self.default]

    def negotiate(
        self,
        *,
        explicit: str | None = None,
        cookie: str | None = None,
        accept_language: str | None = None,
    ) -> str:
        """The URL wins, then the cookie, then the browser's Accept-Language, then German."""
        for candidate in (explicit, cookie):
            if candidate in self._by_code:
                return candidate
        for tag in parse_accept_language(accept_language or ""):
            primary = tag.split("-")[0]
            if primary in self._by_code:
                return primary
        return self.default


def parse_accept_language(header: str) -> list[str]:
    """Language tags of an Accept-Language header, best first; q=0 means "not this"."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.strip().lower()))
    return [tag for _q, _p, tag in sorted(weighted)]
