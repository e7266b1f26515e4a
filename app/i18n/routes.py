"""The catalog for the front ends, one JSON document per language."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import msgspec
from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Response

from app.core.dependencies import CatalogsDep
from app.core.errors import NotFound
from app.core.translation import _


class UnknownLanguage(NotFound):
    code = "unknown_language"
    message = _("This language is not offered.")


class LanguageOut(msgspec.Struct):
    code: str
    dir: str
    native_name: str


class I18nController(Controller):
    path = "/api"
    tags = ["i18n"]

    @get("/languages", sync_to_thread=False)
    def languages(self, catalogs: CatalogsDep) -> list[LanguageOut]:
        """The languages offered, each with its writing direction and its own name."""
        return [LanguageOut(lang.code, lang.dir, lang.native_name) for lang in catalogs.languages]

    @get("/i18n/{lang:str}", sync_to_thread=False)
    def catalog(
        self, lang: FromPath[str], catalogs: CatalogsDep, request: Request[Any, Any, Any]
    ) -> Response[bytes]:
        """Every translated message of one language, with its CLDR plural-category map."""
        if lang not in catalogs:
            raise UnknownLanguage(field="lang")
        body = json.dumps(catalogs[lang].as_json(), ensure_ascii=False, sort_keys=True).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == etag:
            return Response(b"", status_code=304, headers=headers)
        return Response(body, media_type="application/json; charset=utf-8", headers=headers)


HANDLERS = [I18nController]
