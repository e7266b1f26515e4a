"""What handlers may ask for by name; each is built once in `create_app` and kept in state."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from app.core.clock import Clock
from app.core.locale import request_catalog
from app.core.tokens import TokenSigner
from app.core.translation import Catalog, Catalogs
from app.settings import Settings


def _settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def _clock(state: State) -> Clock:
    clock: Clock = state.clock
    return clock


def _signer(state: State) -> TokenSigner:
    signer: TokenSigner = state.signer
    return signer


def _catalogs(state: State) -> Catalogs:
    catalogs: Catalogs = state.catalogs
    return catalogs


def _catalog(request: Request[Any, Any, Any]) -> Catalog:
    return request_catalog(request)


DEPENDENCIES = {
    "settings": Provide(_settings, sync_to_thread=False),
    "clock": Provide(_clock, sync_to_thread=False),
    "signer": Provide(_signer, sync_to_thread=False),
    "catalogs": Provide(_catalogs, sync_to_thread=False),
    "catalog": Provide(_catalog, sync_to_thread=False),
}

# Aliases for handler signatures: `def handler(self, clock: ClockDep) -> …`. Litestar 3 stops
# inferring dependencies from parameter names alone, so every injected value is marked.
SettingsDep = NamedDependency[Settings]
ClockDep = NamedDependency[Clock]
SignerDep = NamedDependency[TokenSigner]
CatalogsDep = NamedDependency[Catalogs]
CatalogDep = NamedDependency[Catalog]
