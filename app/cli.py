"""Operations from the shell: `python -m app migrate | seed | urls | prepare | create-admin | …`.

usage: python -m app {migrate,seed,urls,prepare,create-admin,audit-verify}
  migrate       apply every pending Piccolo migration to the configured database
  seed          load the demo city on first run (does nothing if offices exist), and its
                demo clerk and lead
  urls          print where the front ends live, and the demo clerk's login
  prepare       migrate, seed and urls in one go (what scripts/serve runs)
  create-admin  USERNAME "DISPLAY NAME" [--password-stdin]: create an administrator and
                print the QR code for their authenticator app
  audit-verify  check the audit log's hash chain; exit 1 naming the first broken link
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import io
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

os.environ.setdefault("PICCOLO_CONF", "app.piccolo_conf")

import qrcode
from piccolo.apps.migrations.commands.forwards import run_forwards

from app.audit import service as audit
from app.catalogue import demo
from app.catalogue import service as catalogue
from app.core import database
from app.core.clock import Clock
from app.core.errors import DomainError
from app.live import service as live
from app.main import TABLES
from app.settings import Settings
from app.staff import demo as staff_demo
from app.staff import service as staff
from app.staff import totp
from app.staff.passwords import check_strength
from app.staff.schemas import StaffMemberCreate


async def migrate(settings: Settings) -> None:
    result = await run_forwards("all")
    if not result.success:
        raise SystemExit(f"migrations failed: {result.message}")


@asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[None]:
    engine = database.engine_for(settings.database_url)
    database.bind(TABLES, engine)
    await database.start(engine)
    try:
        yield
    finally:
        await database.stop(engine)


async def seed(settings: Settings) -> None:
    async with connected(settings):
        loaded = await demo.load(settings)
        staff_loaded = await staff_demo.load(settings, now=Clock().now())
    print("demo data loaded" if loaded else "demo data already present")
    if staff_loaded:
        print("demo staff accounts created")


async def urls(settings: Settings) -> None:
    base = settings.base_url
    lang = settings.default_language
    async with connected(settings):
        with_demo_staff = await staff_demo.present(settings)
        try:  # each office's display has a signed link; the demo's first office shows how
            office = await catalogue.get_office("altstadt", lang)
            display = f"{live.display_link(settings, office.id, lang).url}  ({office.name})"
        except catalogue.OfficeNotFound:
            display = "the link is on each office's queue screen"
    enrol = f"{base}/clerk/{lang}/admin/devices"
    print(f"""
  Amtsweg is running.
    citizen app      {base}/{lang}/
    kiosk            {base}/kiosk/{lang}/  (enrol it with a code from {enrol})
    clerk workspace  {base}/clerk/{lang}/
    clerk queue      {base}/clerk/{lang}/queue
    administration   {base}/clerk/{lang}/admin/
    call display     {display}
    API docs         {base}/api/docs
    OpenAPI schema   {base}/api/schema/openapi.json
""")
    if with_demo_staff:
        print(f"  Demo staff logins at {base}/clerk/{lang}/login (add the TOTP key to an app):")
        for login in staff_demo.logins(settings):
            print(f"    {login.role:<6} user {login.username:<11} password {login.password}")
            print(f"           TOTP key {login.totp_secret}")
        print()


async def prepare(settings: Settings) -> None:
    """What `scripts/serve` needs before the server starts, in one process (one import)."""
    await migrate(settings)
    await seed(settings)
    await urls(settings)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password (at least 12 characters): ")
    check_strength(password)
    if getpass.getpass("Password again: ") != password:
        raise SystemExit("the passwords differ; nothing was created")
    return password


def _qr_text(data: str) -> str:
    code = qrcode.QRCode(border=2)
    code.add_data(data)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


async def create_admin(
    settings: Settings, username: str, display_name: str, *, password_stdin: bool
) -> None:
    """An administrator whose second factor is issued now, shown as a QR code to scan."""
    now = Clock().now()
    try:
        password = _password(password_stdin)
        async with connected(settings):
            created = await staff.create_staff(
                StaffMemberCreate(username, display_name, password, is_admin=True), now=now
            )
            secret = await staff.issue_totp_secret(
                created.id, secret_key=settings.secret_key, now=now
            )
    except DomainError as exc:  # a taken or malformed user name, a weak password
        raise SystemExit(f"{exc.message} Nothing was created.") from None
    assert secret is not None  # a new account has not enrolled yet
    uri = totp.provisioning_uri(
        secret, username=created.username, issuer=f"Amtsweg {settings.city_name}"
    )
    print(f"Administrator {created.username!r} created.")
    print("Scan this with an authenticator app (or type in the key), then log in at")
    print(f"{settings.base_url}/clerk/{settings.default_language}/login with the first code.")
    print("The login page shows the same QR code until the first code is confirmed.\n")
    print(_qr_text(uri))
    print(f"key: {secret}\nURI: {uri}")


async def audit_verify(settings: Settings) -> int:
    async with connected(settings):
        result = await audit.verify()
    if result.ok:
        print(f"audit log intact: {result.checked} entries, head {result.head_hash}")
        return 0
    print(
        f"audit log BROKEN at entry {result.first_broken_seq}: {result.reason} "
        f"({result.checked} entries before it are intact)",
        file=sys.stderr,
    )
    return 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("migrate", "seed", "urls", "prepare", "audit-verify"):
        commands.add_parser(name)
    admin = commands.add_parser("create-admin", help="create an administrator account")
    admin.add_argument("username")
    admin.add_argument("display_name")
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "migrate":
        asyncio.run(migrate(settings))
    elif args.command == "seed":
        asyncio.run(seed(settings))
    elif args.command == "urls":
        asyncio.run(urls(settings))
    elif args.command == "prepare":
        asyncio.run(prepare(settings))
    elif args.command == "create-admin":
        asyncio.run(
            create_admin(
                settings, args.username, args.display_name, password_stdin=args.password_stdin
            )
        )
    else:
        raise SystemExit(asyncio.run(audit_verify(settings)))


if __name__ == "__main__":
    main(sys.argv[1:])
