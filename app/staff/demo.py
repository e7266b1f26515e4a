"""The demo city's staff: a clerk and a lead of two demo offices, ready to log in.

Their passwords and TOTP secrets are derived from the app's secret key, so what
`python -m app urls` prints stays true across restarts, and another installation's demo
logins do not work here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.catalogue import service as catalogue
from app.catalogue.service import OfficeNotFound
from app.settings import Settings
from app.staff import service, totp
from app.staff.errors import UsernameTaken
from app.staff.schemas import Role, StaffMemberCreate

OFFICES = ("altstadt", "virtuell")


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    display_name: str
    role: Role
    password: str
    totp_secret: str


def logins(settings: Settings) -> list[DemoLogin]:
    """The demo accounts with their credentials (nothing is read from the database)."""
    accounts: list[tuple[str, str, Role]] = [
        ("demo-clerk", "Clara Demo (Sachbearbeitung)", "clerk"),
        ("demo-lead", "Leon Demo (Teamleitung)", "lead"),
    ]
    key = settings.secret_key
    return [
        DemoLogin(name, display, role, totp.demo_password(key, name), totp.demo_secret(key, name))
        for name, display, role in accounts
    ]


async def load(settings: Settings, *, now: datetime) -> bool:
    """Create the demo accounts and their roles if missing; True if any was created."""
    office_ids = []
    for slug in OFFICES:
        try:
            office_ids.append((await catalogue.get_office(slug, settings.default_language)).id)
        except OfficeNotFound:
            continue  # not the demo city: no demo staff for it
    if not office_ids:
        return False
    created = False
    for demo in logins(settings):
        try:
            staff_id = (
                await service.create_staff(
                    StaffMemberCreate(demo.username, demo.display_name, demo.password), now=now
                )
            ).id
            created = True
        except UsernameTaken:
            existing = await service.account(demo.username)
            # Finished before (or deactivated on purpose): leave it. A start that stopped
            # between creating and enrolling the account is completed here.
            if existing is None or existing["totp_enrolled_at"] is not None:
                continue
            staff_id = int(existing["id"])
        await service.set_enrolled_secret(
            staff_id, demo.totp_secret, secret_key=settings.secret_key, now=now
        )
        for office_id in office_ids:
            await service.grant_role(staff_id, office_id, demo.role, now=now)
    return created


async def present(settings: Settings) -> bool:
    """Whether the demo clerk exists (so that printing its login makes sense)."""
    return await service.account(logins(settings)[0].username) is not None
