"""What the pages of the front ends show, gathered from the domains that own it."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date, format_time

from app.catalogue import service as catalogue
from app.catalogue.schemas import Service
from app.core.clock import BERLIN
from app.core.errors import NotFound
from app.core.translation import Catalog, _
from app.settings import Settings
from app.web.schemas import LocalTime, Manifest, ManifestIcon

TIME_ZONE = "Europe/Berlin"
THEME_COLOR = "#2044aa"  # KERN's action colour (darkblue-700), as sRGB for the manifest
BACKGROUND_COLOR = "#ffffff"


class LanguageNotOffered(NotFound):
    code = "unknown_language"
    message = _("This language is not offered.")


async def services(lang: str) -> list[Service]:
    """The services the city offers, in `lang`, with fees formatted for that language."""
    return await catalogue.list_services(lang)


def local_time(moment: datetime, lang: str) -> LocalTime:
    """`moment` as people in the office see it: Berlin wall-clock time, zone named."""
    berlin = moment.astimezone(BERLIN)
    return LocalTime(
        iso=moment.isoformat(),
        date=format_date(berlin, "full", locale=lang),
        time=format_time(berlin, "short", tzinfo=BERLIN, locale=lang),
        zone=TIME_ZONE,
    )


def manifest(catalog: Catalog, settings: Settings) -> Manifest:
    """The installable app's manifest in the reader's language; its id stays one app."""
    lang = catalog.language.code
    return Manifest(
        id="/",
        name=catalog.gettext(_("{city} Citizens' Office"), city=settings.city_name),
        short_name=catalog.gettext(_("Citizens' Office")),
        description=catalog.gettext(_("Find a service, book an appointment and follow your case.")),
        lang=lang,
        dir=catalog.language.dir,
        start_url=f"/{lang}/",
        scope="/",
        display="standalone",
        background_color=BACKGROUND_COLOR,
        theme_color=THEME_COLOR,
        icons=[
            ManifestIcon("/static/pwa/icons/icon.svg", "any", "image/svg+xml"),
            ManifestIcon("/static/pwa/icons/icon-192.png", "192x192", "image/png"),
            ManifestIcon("/static/pwa/icons/icon-512.png", "512x512", "image/png"),
            ManifestIcon("/static/pwa/icons/maskable-512.png", "512x512", "image/png", "maskable"),
        ],
    )
