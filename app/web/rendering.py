"""Server-side pages: Jinja templates rendered in the language of the URL.

Every page gets `_` and `ngettext` bound to its language's catalog, the `<html lang dir>`
values, and links to the same page in every other language for the switcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Response

from app.core.locale import catalogs_of
from app.core.translation import Catalog, Language
from app.settings import Settings
from app.web.assets import TEMPLATES_DIR
from app.web.service import LanguageNotOffered

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True, slots=True)
class Alternate:
    """The same page in another language, as the language switcher links to it."""

    language: Language
    href: str
    current: bool


def offered_language(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: a page in a language we do not offer is a 404, not a German page."""
    lang = connection.path_params.get("lang")
    if lang is not None and lang not in catalogs_of(connection):
        raise LanguageNotOffered(field="lang")


def render(
    request: Request[Any, Any, Any],
    template: str,
    *,
    lang: str,
    path: str,
    **context: Any,
) -> Response[str]:
    """Render `template` in `lang`; `path` is the page's URL with `{lang}` in it."""
    catalog: Catalog = catalogs_of(request)[lang]
    settings: Settings = request.app.state.settings
    alternates = [
        Alternate(language, path.format(lang=language.code), language.code == lang)
        for language in catalogs_of(request).languages
    ]
    html = _ENV.get_template(template).render(
        _=catalog.gettext,
        ngettext=catalog.ngettext,
        language=catalog.language,
        alternates=alternates,
        city=settings.city_name,
        **context,
    )
    return Response(html, media_type="text/html")
