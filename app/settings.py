"""One frozen settings object, read from `APP_*` environment variables once.

Secret keys that are not given are generated on first start and kept in the data folder
(`secrets.json`, mode 0600), so a restart keeps every token, link and QR code valid.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
)

ROOT = Path(__file__).resolve().parent.parent

LANGUAGES = ("de", "en", "tr", "uk", "ar", "ru", "pl", "ro", "fa")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    host: str
    port: int
    base_url: str
    city_code: str
    city_name: str
    default_language: str
    languages: tuple[str, ...]
    debug: bool
    run_worker: bool
    secret_key: bytes = field(repr=False)
    token_signing_key: bytes = field(repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("APP_DATA_DIR", str(ROOT / "data"))).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        stored = _stored_secrets(data_dir)
        database_url = env.get("APP_DATABASE_URL") or f"sqlite:///{data_dir / 'amtsweg.sqlite3'}"
        if urlparse(database_url).scheme not in {"sqlite", "postgresql", "postgres"}:
            raise SettingsError("APP_DATABASE_URL must start with sqlite:/// or postgresql://")
        host = env.get("APP_HOST", "127.0.0.1")
        port = _int(env, "APP_PORT", 8000)
        languages = tuple(
            lang for lang in env.get("APP_LANGUAGES", ",".join(LANGUAGES)).split(",") if lang
        )
        unknown = set(languages) - set(LANGUAGES)
        if unknown:
            raise SettingsError(f"APP_LANGUAGES names languages without a catalog: {unknown}")
        default_language = env.get("APP_DEFAULT_LANGUAGE", "de")
        if default_language not in languages:
            raise SettingsError("APP_DEFAULT_LANGUAGE must be one of APP_LANGUAGES")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=env.get("APP_REDIS_URL") or None,
            host=host,
            port=port,
            base_url=env.get("APP_BASE_URL", f"http://{host}:{port}").rstrip("/"),
            city_code=env.get("APP_CITY_CODE", "HD"),
            city_name=env.get("APP_CITY_NAME", "Heidelberg"),
            default_language=default_language,
            languages=languages,
            debug=env.get("APP_DEBUG", "") in {"1", "true", "yes"},
            run_worker=env.get("APP_WORKER", "1") not in {"0", "false", "no"},
            secret_key=_key(env, "APP_SECRET_KEY", stored["secret_key"]),
            token_signing_key=_key(env, "APP_TOKEN_SIGNING_KEY", stored["token_signing_key"]),
        )


def _int(env: dict[str, str], name: str, default: int) -> int:
    try:
        return int(env.get(name, default))
    except ValueError:
        raise SettingsError(f"{name} must be a whole number") from None


def _key(env: dict[str, str], name: str, stored: str) -> bytes:
    value = env.get(name) or stored
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        raise SettingsError(f"{name} must be base64url") from None
    if len(raw) < 32:
        raise SettingsError(f"{name} must hold at least 32 bytes")
    return raw


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _stored_secrets(data_dir: Path) -> dict[str, str]:
    """Read the generated secrets, creating them atomically on the very first start."""
    path = data_dir / "secrets.json"
    if not path.exists():
        signing = Ed25519PrivateKey.generate().private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        )
        fresh = {"secret_key": _b64(secrets.token_bytes(32)), "token_signing_key": _b64(signing)}
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(fresh, handle)
        try:
            os.link(tmp, path)  # fails if another process won the race: theirs is kept
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    stored: dict[str, str] = json.loads(path.read_text())
    return stored
