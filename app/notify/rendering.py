"""Render a mail in one language: subject, plain text and a simple accessible HTML part.

Times are Berlin wall-clock time, formatted by Babel in the mail's language with the zone
named; the HTML part carries `lang` and `dir`, so Arabic and Persian read right to left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.core.clock import BERLIN
from app.core.translation import Catalog, Catalogs
from app.notify import content
from app.notify.schemas import RenderedMail
from app.settings import LANGUAGES, ROOT

TIME_ZONE = "Europe/Berlin"

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


class MailContextError(ValueError):
    """The caller passed a context the template cannot be rendered from (a bug, not input)."""


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Action:
    label: str
    url: str


@cache
def catalogs() -> Catalogs:
    """Every language's catalog, read once per process; unknown languages get German."""
    return Catalogs.load(ROOT / "locales", LANGUAGES, "de")


def render(
    template: str, lang: str, context: Mapping[str, Any], *, has_ics: bool = False
) -> RenderedMail:
    """Render `template` in `lang` from `context`; raises MailContextError when it cannot.

    Links must be absolute (`{base_url}/…`): a mail is read far from the site.
    """
    spec = content.TEMPLATES.get(template)
    if spec is None:
        raise MailContextError(f"unknown mail template {template!r}")
    _check(template, spec, context)
    catalog = catalogs()[lang]
    code = catalog.language.code
    params = _params(context, code, catalog)
    paragraphs = [catalog.gettext(text, **params) for text in spec.paragraphs]
    if has_ics and spec.calendar_note:
        paragraphs.append(catalog.gettext(spec.calendar_note))
    subject = catalog.gettext(spec.subject, **params)
    values = {
        "language": catalog.language,
        "subject": subject,
        "paragraphs": paragraphs,
        "facts": _facts(context, code, catalog),
        "actions": [
            Action(catalog.gettext(link.label), str(context[link.key]))
            for link in spec.links
            if context.get(link.key)
        ],
        "footer": catalog.gettext(content.FOOTER),
    }
    return RenderedMail(
        language=code,
        subject=subject,
        text=_ENV.get_template("mail.txt").render(values),
        html=_ENV.get_template("mail.html").render(values),
    )


def moment(value: datetime, lang: str, catalog: Catalog) -> str:
    """e.g. "Montag, 30. November 2026, 10:30 (Europe/Berlin)"."""
    berlin = value.astimezone(BERLIN)
    return catalog.gettext(
        content.MOMENT,
        date=format_date(berlin, "full", locale=lang),
        time=format_time(berlin, "short", locale=lang),
        zone=TIME_ZONE,
    )


def _check(template: str, spec: content.MailTemplate, context: Mapping[str, Any]) -> None:
    needed = set(spec.required) | {link.key for link in spec.links if link.required}
    missing = sorted(key for key in needed if context.get(key) in (None, ""))
    if missing:
        raise MailContextError(f"mail {template!r} needs {', '.join(missing)}")
    for key, value in context.items():
        if isinstance(value, datetime) and value.tzinfo is None:
            raise MailContextError(f"{key} must be timezone-aware")
        if key.endswith("_url") and value and not str(value).startswith(("https://", "http://")):
            raise MailContextError(f"{key} must be an absolute URL, not {value!r}")


def _params(context: Mapping[str, Any], lang: str, catalog: Catalog) -> dict[str, str]:
    """Placeholder values: moments formatted in `lang`, plus the start's `date` alone."""
    params = {
        key: moment(value, lang, catalog) if isinstance(value, datetime) else str(value)
        for key, value in context.items()
        if value is not None
    }
    start = context.get("start")
    if isinstance(start, datetime):
        params["date"] = format_date(start.astimezone(BERLIN), "full", locale=lang)
    return params


def _facts(context: Mapping[str, Any], lang: str, catalog: Catalog) -> list[Fact]:
    facts = [
        Fact(catalog.gettext(content.SERVICE), str(context["service"])),
        Fact(catalog.gettext(content.PLACE), str(context["office"])),
    ]
    if context.get("address"):
        facts.append(Fact(catalog.gettext(content.ADDRESS), str(context["address"])))
    facts.append(Fact(catalog.gettext(content.TIME), _span(context, lang, catalog)))
    previous = context.get("previous_start")
    if isinstance(previous, datetime):
        facts.append(Fact(catalog.gettext(content.PREVIOUS_TIME), moment(previous, lang, catalog)))
    if context.get("reference"):
        facts.append(Fact(catalog.gettext(content.REFERENCE), str(context["reference"])))
    return facts


def _span(context: Mapping[str, Any], lang: str, catalog: Catalog) -> str:
    """The appointment's date and time, as a range when its end is known."""
    start: datetime = context["start"]
    end = context.get("end")
    if not isinstance(end, datetime):
        return moment(start, lang, catalog)
    begin, finish = start.astimezone(BERLIN), end.astimezone(BERLIN)
    # The locale's own clock: "10:30–10:45 Uhr" in German, "10:30 – 10:45 AM" in English.
    skeleton = "Hm" if "H" in str(Locale.parse(lang).time_formats["short"]) else "hm"
    return catalog.gettext(
        content.MOMENT,
        date=format_date(begin, "full", locale=lang),
        time=format_interval(begin.time(), finish.time(), skeleton, locale=lang),
        zone=TIME_ZONE,
    )
