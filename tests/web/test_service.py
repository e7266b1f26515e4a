"""The web domain's rules: Berlin time labelled, the manifest, and versioned shells."""

import json
import shutil
from datetime import UTC, datetime

import pytest

from app.core.translation import Catalogs
from app.settings import LANGUAGES, ROOT, Settings
from app.web import assets, service


def test_a_moment_is_shown_in_berlin_winter_time_with_the_zone_named():
    shown = service.local_time(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "de")
    assert shown.time == "10:00"
    assert shown.date == "Montag, 23. November 2026"
    assert shown.zone == "Europe/Berlin"


def test_a_moment_in_summer_is_shown_in_berlin_summer_time():
    shown = service.local_time(datetime(2026, 7, 1, 9, 0, tzinfo=UTC), "en")
    assert shown.time == "11:00\u202fAM"
    assert shown.iso == "2026-07-01T09:00:00+00:00"


def test_arabic_times_use_latin_digits_like_the_call_display():
    shown = service.local_time(datetime(2026, 11, 23, 9, 5, tzinfo=UTC), "ar")
    assert "10:05" in shown.time


def test_the_manifest_speaks_the_readers_language_and_direction(settings: Settings):
    catalogs = Catalogs.load(ROOT / "locales", settings.languages, settings.default_language)
    manifest = service.manifest(catalogs["ar"], settings)
    assert (manifest.lang, manifest.dir, manifest.start_url) == ("ar", "rtl", "/ar/")
    assert manifest.id == "/" and manifest.scope == "/"
    assert settings.city_name in manifest.name


def test_the_manifest_offers_icons_for_install_and_a_maskable_one(settings: Settings):
    catalogs = Catalogs.load(ROOT / "locales", settings.languages, settings.default_language)
    icons = service.manifest(catalogs["de"], settings).icons
    assert {icon.sizes for icon in icons if icon.type == "image/png"} == {"192x192", "512x512"}
    assert any(icon.purpose == "maskable" for icon in icons)


def test_building_the_shells_twice_gives_the_same_version():
    assert assets.build_shells(LANGUAGES).version == assets.build_shells(LANGUAGES).version


def test_changing_any_asset_changes_the_version(tmp_path, monkeypatch: pytest.MonkeyPatch):
    copy = tmp_path / "pwa"
    shutil.copytree(assets.PWA_DIR, copy)
    monkeypatch.setattr(assets, "PWA_DIR", copy)
    before = assets.build_shells(LANGUAGES).version
    with (copy / "app.css").open("a") as css:
        css.write("\n/* changed */\n")
    assert assets.build_shells(LANGUAGES).version != before


def test_the_worker_is_stamped_with_its_shell_and_version():
    shells = assets.build_shells(("de", "ar"))
    source = shells.worker(shells.kiosk).decode()
    build_line = next(line for line in source.splitlines() if line.startswith("const BUILD = "))
    build = json.loads(build_line.removeprefix("const BUILD = ").rstrip(";"))
    assert build["app"] == "amtsweg-kiosk"
    assert build["version"] == shells.version
    assert "/kiosk/ar/" in build["precache"] and "/api/i18n/ar" in build["precache"]


def test_the_two_shells_clean_up_only_their_own_caches():
    shells = assets.build_shells(LANGUAGES)
    assert not shells.pwa.app.startswith(shells.kiosk.app)
    assert not shells.kiosk.app.startswith(shells.pwa.app)
    assert "startsWith(`${BUILD.app}-`)" in shells.worker(shells.pwa).decode()


def test_a_missing_npm_install_is_reported_by_name(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(assets, "KERN_DIR", tmp_path / "missing")
    with pytest.raises(assets.MissingAssets, match="npm ci"):
        assets.build_shells(LANGUAGES)
