"""The VAPID key and contact: generated once and kept, or given; checked at start."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from app.push import vapid
from app.settings import Settings, SettingsError


def test_the_key_is_generated_once_and_kept_in_the_data_folder(tmp_path: Path) -> None:
    first = Settings.from_env({"APP_DATA_DIR": str(tmp_path)})
    again = Settings.from_env({"APP_DATA_DIR": str(tmp_path)})
    assert len(first.vapid_private_key) == 32
    assert first.vapid_private_key == again.vapid_private_key
    assert vapid.public_key(first) == vapid.public_key(again)
    assert stat.S_IMODE((tmp_path / "vapid.json").stat().st_mode) == 0o600
    other = Settings.from_env({"APP_DATA_DIR": str(tmp_path / "other")})
    assert other.vapid_private_key != first.vapid_private_key


def test_a_given_key_and_contact_win_and_the_contact_defaults_to_the_sender(
    tmp_path: Path,
) -> None:
    raw = bytes(31) + b"\x07"
    given = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    settings = Settings.from_env(
        {"APP_DATA_DIR": str(tmp_path), "APP_VAPID_PRIVATE_KEY": given,
         "APP_VAPID_SUBJECT": "https://stadt.example/kontakt"}
    )  # fmt: skip
    assert settings.vapid_private_key == raw
    assert settings.vapid_subject == "https://stadt.example/kontakt"
    assert not (tmp_path / "vapid.json").exists()
    mail = Settings.from_env({"APP_DATA_DIR": str(tmp_path), "APP_MAIL_FROM": "Amt <amt@x.de>"})
    assert mail.vapid_subject == "mailto:amt@x.de"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("APP_VAPID_SUBJECT", "amt@x.de"),
        ("APP_VAPID_SUBJECT", "http://x.de"),
        ("APP_VAPID_PRIVATE_KEY", "short"),
        ("APP_VAPID_PRIVATE_KEY", base64.urlsafe_b64encode(bytes(32)).decode()),
        ("APP_PUSH_ALLOW_LOOPBACK_HTTP", "maybe"),
    ],
)
def test_a_bad_vapid_setting_stops_the_start(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({"APP_DATA_DIR": str(tmp_path), name: value})
