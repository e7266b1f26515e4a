"""Staff rules without HTTP: hashing, TOTP, lock-out, enrolment, roles, demo accounts, CLI."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta

import pytest

from app.audit.tables import AuditEntry
from app.core.clock import FrozenClock
from app.settings import ROOT, Settings
from app.staff import demo, login, passwords, service, totp
from app.staff.errors import (
    AccountLocked,
    InvalidCredentials,
    InvalidTotp,
    InvalidUsername,
    TotpReplayed,
    UsernameTaken,
)
from app.staff.passwords import WeakPassword
from app.staff.schemas import OfficeRole, Staff, StaffMemberCreate
from app.staff.tables import StaffMember
from tests.staff.conftest import PASSWORD, MakeAccount


async def test_a_password_is_kept_as_an_argon2id_hash_that_only_it_matches() -> None:
    hashed = await passwords.hash_password("a long enough password")
    assert hashed.startswith("$argon2id$") and "a long enough password" not in hashed
    assert await passwords.verify(hashed, "a long enough password")
    assert not await passwords.verify(hashed, "a long enough passworD")
    assert not await passwords.verify("not a hash", "a long enough password")


async def test_a_short_password_is_refused() -> None:
    with pytest.raises(WeakPassword):
        await passwords.hash_password("too short")


def test_a_totp_secret_is_encrypted_and_opens_only_for_its_own_account(
    settings: Settings,
) -> None:
    secret = totp.new_secret()
    stored = totp.encrypt(secret, staff_id=7, secret_key=settings.secret_key)
    assert secret not in stored
    assert totp.decrypt(stored, staff_id=7, secret_key=settings.secret_key) == secret
    with pytest.raises(totp.UnreadableSecret):
        totp.decrypt(stored, staff_id=8, secret_key=settings.secret_key)
    with pytest.raises(totp.UnreadableSecret):
        totp.decrypt(stored, staff_id=7, secret_key=b"another key of thirty-two bytes!")


def test_codes_of_the_current_step_and_its_neighbours_match_and_nothing_else(
    clock: FrozenClock,
) -> None:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # fixed with the clock: no chance collisions
    now = clock.now()
    step = int(now.timestamp()) // 30
    for offset in (-1, 0, 1):
        code = totp.code_at(secret, now + timedelta(seconds=30 * offset))
        assert totp.matching_step(secret, code, now) == step + offset
    assert (
        totp.matching_step(secret, totp.code_at(secret, now - timedelta(seconds=60)), now) is None
    )
    assert totp.matching_step(secret, "12a456", now) is None
    assert totp.matching_step(secret, "١٢٣٤٥٦", now) is None  # Arabic-Indic digits


async def test_an_older_code_is_refused_after_a_newer_one_was_used(
    make_account: MakeAccount, settings: Settings, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk")
    newer = totp.code_at(clerk.secret, clock.now() + timedelta(seconds=30))
    older = totp.code_at(clerk.secret, clock.now())
    key = settings.secret_key
    await login.check_code(clerk.id, newer, secret_key=key, now=clock.now(), ip=None)
    with pytest.raises(TotpReplayed):
        await login.check_code(clerk.id, older, secret_key=key, now=clock.now(), ip=None)


async def test_concurrent_wrong_passwords_check_at_most_five_then_lock(
    make_account: MakeAccount, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk")
    results = await asyncio.gather(
        *(
            login.check_password("clerk", f"wrong password {n}", now=clock.now(), ip=None)
            for n in range(8)
        ),
        return_exceptions=True,
    )
    kinds = [type(result) for result in results]
    assert kinds.count(InvalidCredentials) + kinds.count(AccountLocked) == 8
    assert kinds.count(InvalidCredentials) <= 4
    failures = await AuditEntry.count().where(AuditEntry.action == "staff.login_failed")
    assert failures == 5  # exactly five passwords were checked
    with pytest.raises(AccountLocked):
        await login.check_password("clerk", PASSWORD, now=clock.now(), ip=None)
    clock.advance(timedelta(minutes=15))
    checked = await login.check_password("clerk", PASSWORD, now=clock.now(), ip=None)
    assert checked.staff_id == clerk.id


async def test_a_right_password_does_not_count_towards_the_lock(
    make_account: MakeAccount, clock: FrozenClock
) -> None:
    await make_account("clerk")
    for _round in range(3):
        with pytest.raises(InvalidCredentials):
            await login.check_password("clerk", "wrong password!", now=clock.now(), ip=None)
        await login.check_password("clerk", PASSWORD, now=clock.now(), ip=None)
    row = await StaffMember.select(StaffMember.failed_logins).first()
    assert row == {"failed_logins": 3}


async def test_a_wrong_code_at_enrolment_leaves_the_account_unenrolled(
    make_account: MakeAccount, settings: Settings, clock: FrozenClock
) -> None:
    newcomer = await make_account("newcomer", enrolled=False)
    key = settings.secret_key
    secret = await login.enrolment_secret(newcomer.id, secret_key=key, now=clock.now())
    assert secret is not None
    assert await login.enrolment_secret(newcomer.id, secret_key=key, now=clock.now()) == secret
    with pytest.raises(InvalidTotp):
        await login.check_code(newcomer.id, "000000x", secret_key=key, now=clock.now(), ip=None)
    assert await service.signed_in_staff(newcomer.id) is None

    code = totp.code_at(secret, clock.now())
    await login.check_code(newcomer.id, code, secret_key=key, now=clock.now(), ip=None)
    assert await service.signed_in_staff(newcomer.id) is not None
    assert await login.enrolment_secret(newcomer.id, secret_key=key, now=clock.now()) is None


async def test_two_logins_at_once_issue_one_secret(
    make_account: MakeAccount, settings: Settings, clock: FrozenClock
) -> None:
    newcomer = await make_account("newcomer", enrolled=False)
    secrets = await asyncio.gather(
        *(
            login.enrolment_secret(newcomer.id, secret_key=settings.secret_key, now=clock.now())
            for _ in range(5)
        )
    )
    assert len(set(secrets)) == 1 and secrets[0] is not None


async def test_user_names_are_unique_regardless_of_case(clock: FrozenClock) -> None:
    await service.create_staff(StaffMemberCreate("A.Schmidt", "Anna", PASSWORD), now=clock.now())
    with pytest.raises(UsernameTaken):
        await service.create_staff(
            StaffMemberCreate(" a.schmidt", "Anna", PASSWORD), now=clock.now()
        )
    with pytest.raises(InvalidUsername):
        await service.create_staff(StaffMemberCreate("a b", "Anna", PASSWORD), now=clock.now())


async def test_a_second_grant_changes_the_role_and_a_revoke_removes_it(
    make_account: MakeAccount, office_a: int, office_b: int, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk", roles={office_a: "clerk", office_b: "clerk"})
    await service.grant_role(clerk.id, office_a, "lead", now=clock.now())
    assert await service.revoke_role(clerk.id, office_b)
    staff = await service.signed_in_staff(clerk.id)
    assert staff is not None
    assert staff.offices == [OfficeRole(office_a, "Bürgeramt Altstadt", "lead")]


async def test_a_deactivated_account_is_nobody(
    make_account: MakeAccount, clock: FrozenClock
) -> None:
    clerk = await make_account("clerk")
    assert await service.set_active(clerk.id, False, now=clock.now())
    assert await service.signed_in_staff(clerk.id) is None
    with pytest.raises(InvalidCredentials):
        await login.check_password("clerk", PASSWORD, now=clock.now(), ip=None)


def test_an_admin_may_act_in_every_office_and_a_clerk_only_in_their_own() -> None:
    clerk = Staff(1, "c", "C", False, [OfficeRole(10, "Altstadt", "clerk")])
    admin = Staff(2, "a", "A", True, [])
    assert (clerk.role_in(10), clerk.role_in(11), admin.role_in(11)) == ("clerk", None, "admin")
    assert clerk.may(10, {"clerk", "lead"}) and not clerk.may(10, {"lead"})
    assert not clerk.may(11, {"clerk"}) and admin.may(11, {"lead"})


async def test_the_demo_clerk_and_lead_can_log_in_with_the_printed_credentials(
    settings: Settings, clock: FrozenClock, office_a: int
) -> None:
    assert await demo.load(settings, now=clock.now())
    assert not await demo.load(settings, now=clock.now())
    assert demo.logins(settings) == demo.logins(settings)  # derived, not random
    for account in demo.logins(settings):
        checked = await login.check_password(
            account.username, account.password, now=clock.now(), ip=None
        )
        assert checked.enrolled
        code = totp.code_at(account.totp_secret, clock.now())
        await login.check_code(
            checked.staff_id, code, secret_key=settings.secret_key, now=clock.now(), ip=None
        )
        staff = await service.signed_in_staff(checked.staff_id)
        assert staff is not None
        assert [(o.office_id, o.role) for o in staff.offices] == [(office_a, account.role)]


async def test_demo_staff_are_made_only_for_the_demo_city(
    settings: Settings, clock: FrozenClock, office_b: int
) -> None:
    assert not await demo.load(settings, now=clock.now())  # "bergheim" alone is no demo office
    assert not await demo.present(settings)


async def _cli(*args: str, stdin: bytes) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        str(ROOT / ".venv" / "bin" / "python"),
        "-m",
        "app",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    out, err = await process.communicate(stdin)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_create_admin_makes_an_administrator_and_prints_the_enrolment(
    settings: Settings, clock: FrozenClock
) -> None:
    code, out, _err = await _cli(
        "create-admin", "Chief", "Chris Chief", "--password-stdin", stdin=b"a long admin password\n"
    )
    assert code == 0
    row = await StaffMember.select().where(StaffMember.username == "chief").first()
    assert row is not None and row["is_admin"] and row["totp_enrolled_at"] is None
    secret = totp.decrypt(row["totp_secret"], staff_id=row["id"], secret_key=settings.secret_key)
    assert f"otpauth://totp/Amtsweg%20Heidelberg:chief?secret={secret}" in out
    assert "█" in out  # the QR code, for scanning off the terminal
    checked = await login.check_password("chief", "a long admin password", now=clock.now(), ip=None)
    assert not checked.enrolled

    again, _out, err = await _cli(
        "create-admin",
        "chief",
        "Someone Else",
        "--password-stdin",
        stdin=b"another long password\n",
    )
    assert again == 1
    assert "This user name is already taken. Nothing was created." in err
    assert await StaffMember.count() == 1
