"""Which language a request speaks: the URL, then the `lang` cookie, then Accept-Language."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection

from app.core.translation import Catalog, Catalogs

LANG_COOKIE = "lang"


def catalogs_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Catalogs:
    catalogs: Catalogs = connection.app.state.catalogs
    return catalogs


def request_language(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    cached = connection.scope.get("state", {}).get("lang")
    if isinstance(cached, str):
        return cached
    explicit = connection.path_params.get("lang") or connection.query_params.get("lang")
    lang = catalogs_of(connection).negotiate(
        explicit=explicit if isinstance(explicit, str) else None,
        cookie=connection.cookies.get(LANG_COOKIE),
        accept_language=connection.headers.get("accept-language"),
    )
    connection.scope.setdefault("state", {})["lang"] = lang
    return lang


def request_catalog(connection: ASGIConnection[Any, Any, Any, Any]) -> Catalog:
    return catalogs_of(connection)[request_language(connection)]
