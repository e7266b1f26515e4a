"""What the web domain hands out besides HTML: the web app manifest and labelled times."""

from __future__ import annotations

import msgspec


class ManifestIcon(msgspec.Struct):
    src: str
    sizes: str
    type: str
    purpose: str = "any"


class Manifest(msgspec.Struct):
    """The citizen app's web app manifest (what "install" on a phone reads)."""

    id: str
    name: str
    short_name: str
    description: str
    lang: str
    dir: str
    start_url: str
    scope: str
    display: str
    background_color: str
    theme_color: str
    icons: list[ManifestIcon]


class LocalTime(msgspec.Struct):
    """A moment shown to people: formatted in Berlin time, with the zone named beside it."""

    iso: str
    date: str
    time: str
    zone: str
