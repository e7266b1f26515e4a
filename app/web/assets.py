"""Where the front ends' files live, and the service workers stamped with their version.

The version is a hash of every file a page is built from (our modules, styles, icons,
templates, catalogs and the vendored KERN files we precache), computed once when the app
starts. A changed asset therefore changes the bytes of `/sw.js`, which is how a browser
learns that an update is available.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.settings import ROOT

PWA_DIR = ROOT / "pwa"
KIOSK_DIR = ROOT / "kiosk"
TEMPLATES_DIR = Path(__file__).parent / "templates"
LOCALES_DIR = ROOT / "locales"
KERN_DIR = ROOT / "node_modules" / "@kern-ux" / "native" / "dist"
SWAGGER_DIR = ROOT / "node_modules" / "swagger-ui-dist"
# ALTCHA's CSP-safe parts: `lib/` (solver), `workers/` (same-origin workers), `external/`.
ALTCHA_DIR = ROOT / "node_modules" / "altcha" / "dist"

# One source for both workers: they differ only in what they precache and their cache prefix.
WORKER_SOURCE = PWA_DIR / "sw.js"
_BUILD_MARKER = "const BUILD = "

# The weights KERN's styles use; our own fonts.css declares exactly these, so the set of
# font files a page can ask for is known and all of them are precached.
FONT_FILES = (
    "fonts/fira-sans/FiraSans-Regular.woff2",
    "fonts/fira-sans/FiraSans-Medium.woff2",
    "fonts/fira-sans/FiraSans-SemiBold.woff2",
    "fonts/fira-sans/FiraSans-Bold.woff2",
)
KERN_FILES = ("kern.min.css", *FONT_FILES)

# The booking pages need the network for their data; with their modules precached, a
# booking page opened offline from the cache still says that it is offline.
BOOKING_FILES = (
    "booking.css",
    *(f"js/booking/{path.name}" for path in sorted((PWA_DIR / "js" / "booking").glob("*.js"))),
)

PWA_FILES = (
    "app.css",
    "fonts.css",
    "i18n.js",
    "offline.js",
    "language-switch.js",
    "start.js",
    "push.js",
    "push.css",
    "ticket.js",
    "ticket.css",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/maskable-512.png",
    *BOOKING_FILES,
)
KIOSK_FILES = ("kiosk.css", "kiosk.js")
# The kiosk imports the shared modules of the citizen app by URL.
KIOSK_SHARED_PWA_FILES = ("fonts.css", "i18n.js", "offline.js", "icons/icon.svg")


class MissingAssets(RuntimeError):
    """The vendored packages are not installed: run `npm ci` in the repository root."""


@dataclass(frozen=True, slots=True)
class Shell:
    """One installable front end: its worker's cache prefix, scope and precache list."""

    app: str
    scope: str
    precache: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Shells:
    version: str
    pwa: Shell
    kiosk: Shell

    def worker(self, shell: Shell) -> bytes:
        """The service worker source with this shell's build stamped into its first line."""
        build = json.dumps(
            {"app": shell.app, "version": self.version, "precache": list(shell.precache)},
            separators=(",", ":"),
        )
        lines = WORKER_SOURCE.read_text(encoding="utf-8").splitlines(keepends=True)
        stamped = [
            f"{_BUILD_MARKER}{build};\n" if line.startswith(_BUILD_MARKER) else line
            for line in lines
        ]
        return "".join(stamped).encode()


def build_shells(languages: Iterable[str]) -> Shells:
    """Describe both shells and stamp them with the hash of everything they are made of."""
    codes = tuple(languages)
    if not (KERN_DIR / "kern.min.css").is_file() or not (SWAGGER_DIR / "swagger-ui.css").is_file():
        raise MissingAssets(MissingAssets.__doc__)
    kern = tuple(f"/static/vendor/kern/{name}" for name in KERN_FILES)
    catalogs = tuple(f"/api/i18n/{code}" for code in codes)
    pwa = Shell(
        app="amtsweg-pwa",
        scope="/",
        precache=(
            *kern,
            *(f"/static/pwa/{name}" for name in PWA_FILES),
            *catalogs,
            *(f"/manifest.webmanifest?lang={code}" for code in codes),
            *(f"/{code}/" for code in codes),
        ),
    )
    kiosk = Shell(
        app="amtsweg-kiosk",
        scope="/kiosk/",
        precache=(
            *kern,
            *(f"/static/pwa/{name}" for name in KIOSK_SHARED_PWA_FILES),
            *(f"/static/kiosk/{name}" for name in KIOSK_FILES),
            *catalogs,
            *(f"/kiosk/{code}/" for code in codes),
            *(f"/kiosk/{code}/services" for code in codes),
        ),
    )
    sources = [
        (PWA_DIR, _files(PWA_DIR)),
        (KIOSK_DIR, _files(KIOSK_DIR)),
        (TEMPLATES_DIR, _files(TEMPLATES_DIR)),
        (LOCALES_DIR, _files(LOCALES_DIR)),
        (KERN_DIR, [KERN_DIR / name for name in KERN_FILES]),
    ]
    return Shells(version=_digest(sources), pwa=pwa, kiosk=kiosk)


def _files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


def _digest(sources: list[tuple[Path, list[Path]]]) -> str:
    """A short hash of each file's name and content; where the checkout lives is left out."""
    digest = hashlib.sha256()
    for directory, paths in sources:
        for path in paths:
            digest.update(f"{directory.name}/{path.relative_to(directory)}".encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
