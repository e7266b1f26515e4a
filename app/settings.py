"""One frozen settings object, read from `APP_*` environment variables once.

Secret keys that are not given are generated on first start and kept in the data folder
(`secrets.json`, mode 0600), so a restart keeps every token, link and QR code valid.

Mail goes through the city's own SMTP relay when `APP_SMTP_HOST` is set; without it every
mail is written to `<data_dir>/outbox/<id>.eml` and announced on the console. STARTTLS
(`APP_SMTP_STARTTLS`) defaults to on for any port but 25 (server-to-server relay, often
plain on a trusted network) and 465 (implicit TLS from the first byte).

Web push signs with a VAPID key (RFC 8292, P-256): `APP_VAPID_PRIVATE_KEY` (base64url of
the raw 32-byte private scalar), else one generated on first start and kept in
`<data_dir>/vapid.json` (mode 0600) beside `secrets.json`. `APP_VAPID_SUBJECT` is the
contact push services may write to (mailto: or https:), by default the mail sender's
address. `APP_PUSH_ALLOW_LOOPBACK_HTTP` lets a push endpoint on 127.0.0.1 / ::1 /
localhost use plain http (tests, development); every other endpoint must be https.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlparse

from cryptography.hazmat.primitives.asymmetric.ec import (
    SECP256R1,
    derive_private_key,
    generate_private_key,
)
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
    smtp_host: str | None
    smtp_port: int
    smtp_username: str | None
    smtp_starttls: bool
    mail_from: str
    secret_key: bytes = field(repr=False)
    token_signing_key: bytes = field(repr=False)
    smtp_password: str | None = field(default=None, repr=False)
    # Anti-bot: the ALTCHA difficulty (highest counter a client may have to try; 20 000 took
    # 0.2–1.2 s in Chromium on 2 cores, so a slow phone still waits only seconds), the
    # reverse proxies whose X-Forwarded-For is believed, and APP_RATE_LIMIT_<GROUP> values.
    altcha_max_number: int = 20_000
    trusted_proxies: tuple[str, ...] = ()
    rate_limits: tuple[tuple[str, str], ...] = ()
    # Staff sessions end after this long without a request, and after this long in any case.
    staff_idle_timeout: timedelta = timedelta(minutes=30)
    staff_session_lifetime: timedelta = timedelta(hours=10)
    # Web push: the VAPID private key (raw P-256 scalar), its contact, and whether a push
    # endpoint on loopback may use plain http (tests and development only).
    vapid_private_key: bytes = field(default=b"", repr=False)
    vapid_subject: str = ""
    push_allow_loopback_http: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        return Path(self.database_url.removeprefix("sqlite:///"))

    @property
    def outbox_dir(self) -> Path:
        """Where mail goes when no SMTP host is configured."""
        return self.data_dir / "outbox"

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
        city_name = env.get("APP_CITY_NAME", "Heidelberg")
        smtp_host = env.get("APP_SMTP_HOST") or None
        smtp_port = _int(env, "APP_SMTP_PORT", 587)
        starttls_default = smtp_host is not None and smtp_port not in {25, 465}
        # The city's name as a host label; idna keeps "München" a valid domain.
        mail_host = city_name.lower().replace(" ", "-").encode("idna").decode() + ".example"
        mail_from = env.get("APP_MAIL_FROM") or f"Bürgeramt <noreply@{mail_host}>"
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=env.get("APP_REDIS_URL") or None,
            host=host,
            port=port,
            base_url=env.get("APP_BASE_URL", f"http://{host}:{port}").rstrip("/"),
            city_code=env.get("APP_CITY_CODE", "HD"),
            city_name=city_name,
            default_language=default_language,
            languages=languages,
            debug=env.get("APP_DEBUG", "") in {"1", "true", "yes"},
            run_worker=env.get("APP_WORKER", "1") not in {"0", "false", "no"},
            smtp_host=smtp_host,
            smtp_port=smtp_port,
            smtp_username=env.get("APP_SMTP_USERNAME") or None,
            smtp_password=env.get("APP_SMTP_PASSWORD") or None,
            smtp_starttls=_bool(env, "APP_SMTP_STARTTLS", starttls_default),
            mail_from=mail_from,
            secret_key=_key(env, "APP_SECRET_KEY", stored["secret_key"]),
            token_signing_key=_key(env, "APP_TOKEN_SIGNING_KEY", stored["token_signing_key"]),
            altcha_max_number=_int(env, "APP_ALTCHA_MAX_NUMBER", 20_000),
            trusted_proxies=tuple(
                part.strip()
                for part in env.get("APP_TRUSTED_PROXIES", "").split(",")
                if part.strip()
            ),
            rate_limits=tuple(
                sorted(
                    (name.removeprefix("APP_RATE_LIMIT_").lower(), value)
                    for name, value in env.items()
                    if name.startswith("APP_RATE_LIMIT_")
                )
            ),
            staff_idle_timeout=timedelta(minutes=_positive(env, "APP_STAFF_IDLE_MINUTES", 30)),
            staff_session_lifetime=timedelta(hours=_positive(env, "APP_STAFF_SESSION_HOURS", 10)),
            vapid_private_key=_vapid_key(env, data_dir),
            vapid_subject=_vapid_subject(env, mail_from),
            push_allow_loopback_http=_bool(env, "APP_PUSH_ALLOW_LOOPBACK_HTTP", False),
        )


def _positive(env: dict[str, str], name: str, default: float) -> float:
    try:
        value = float(env.get(name, default))
    except ValueError:
        raise SettingsError(f"{name} must be a number") from None
    if not value > 0:
        raise SettingsError(f"{name} must be greater than 0")
    return value


def _int(env: dict[str, str], name: str, default: int) -> int:
    try:
        return int(env.get(name, default))
    except ValueError:
        raise SettingsError(f"{name} must be a whole number") from None


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value not in {"1", "true", "yes", "0", "false", "no"}:
        raise SettingsError(f"{name} must be true or false")
    return value in {"1", "true", "yes"}


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
    return _kept(data_dir / "secrets.json", _fresh_secrets)


def _fresh_secrets() -> dict[str, str]:
    signing = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return {"secret_key": _b64(secrets.token_bytes(32)), "token_signing_key": _b64(signing)}


def _kept(path: Path, fresh: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The JSON file at `path`, written from `fresh()` (mode 0600) if it does not exist yet.

    Several processes may start at once: each writes its own temporary file and links it
    into place; the first link wins and every process reads the winner's values.
    """
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(fresh(), handle)
        try:
            os.link(tmp, path)  # fails if another process won the race: theirs is kept
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    stored: dict[str, str] = json.loads(path.read_text())
    return stored


def _vapid_subject(env: dict[str, str], mail_from: str) -> str:
    """A contact push services can reach: given, or the mail sender's address."""
    subject = env.get("APP_VAPID_SUBJECT") or f"mailto:{parseaddr(mail_from)[1]}"
    if not subject.startswith(("mailto:", "https://")) or subject in {"mailto:", "https://"}:
        raise SettingsError("APP_VAPID_SUBJECT must be a mailto: or https: contact")
    return subject


def _vapid_key(env: dict[str, str], data_dir: Path) -> bytes:
    """The VAPID private key: given (base64url, 32 bytes), or generated once and kept."""
    value = env.get("APP_VAPID_PRIVATE_KEY") or _stored_vapid_key(data_dir)
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        derive_private_key(int.from_bytes(raw, "big"), SECP256R1())
    except ValueError:
        raise SettingsError("APP_VAPID_PRIVATE_KEY must be a P-256 key, base64url") from None
    if len(raw) != 32:
        raise SettingsError("APP_VAPID_PRIVATE_KEY must hold 32 bytes")
    return raw


def _stored_vapid_key(data_dir: Path) -> str:
    """Read the generated VAPID key, creating it atomically on the first start.

    A file of its own, so that installations whose secrets.json predates web push get a
    key the same race-free way.
    """
    return _kept(data_dir / "vapid.json", _fresh_vapid_key)["private_key"]


def _fresh_vapid_key() -> dict[str, str]:
    scalar = generate_private_key(SECP256R1()).private_numbers().private_value
    return {"private_key": _b64(scalar.to_bytes(32, "big"))}
