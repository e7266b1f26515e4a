from datetime import timedelta

import pytest

from app.core.database import write_transaction
from app.jobs import service as jobs
from app.notify import service
from app.notify.rendering import MailContextError
from app.notify.tables import Mail


class Boom(Exception):
    pass


async def _queue(context, clock, **options):
    return await service.queue_mail(
        "booking.confirmed",
        to="citizen@example.org",
        lang="uk",
        context=context,
        now=clock.now(),
        **options,
    )


async def test_a_queued_mail_is_stored_rendered_with_one_job_to_send_it(context, clock):
    mail_id = await _queue(context, clock, case_id=42)
    mail = await service.get_mail(mail_id)
    assert mail is not None
    assert (mail.state, mail.recipient, mail.language, mail.case_id) == (
        "queued",
        "citizen@example.org",
        "uk",
        42,
    )
    assert "Personalausweis beantragen" in mail.subject
    assert context["cancel_url"] in mail.text_body
    assert mail.html_body is not None and 'lang="uk"' in mail.html_body
    assert mail.due_at == clock.now()
    assert await jobs.count("pending") == 1
    assert [m.id for m in await service.mails_of_case(42)] == [mail_id]


async def test_a_dedupe_key_queues_a_reminder_once(context, clock):
    key = "reminder-48h:17:2026-11-30T09:30"
    due = context["start"] - timedelta(hours=48)
    first = await _queue(context, clock, due_at=due, dedupe_key=key)
    second = await _queue(context, clock, due_at=due, dedupe_key=key)
    assert first is not None
    assert second is None
    assert await Mail.count() == 1
    assert await jobs.count("pending") == 1


async def test_withdraw_cancels_a_pending_reminder_and_forgets_its_row(context, clock):
    key = "reminder-2h:17:2026-11-30T09:30"
    await _queue(context, clock, due_at=context["start"] - timedelta(hours=2), dedupe_key=key)
    assert await service.withdraw(key) is True
    assert await Mail.count() == 0
    assert await jobs.count("pending") == 0
    assert await service.withdraw(key) is False


async def test_a_withdrawn_reminder_can_be_queued_again_for_the_same_key(context, clock):
    key = "reminder-2h:17:2026-11-30T09:30"
    await _queue(context, clock, dedupe_key=key)
    await service.withdraw(key)
    assert await _queue(context, clock, dedupe_key=key) is not None


async def test_withdrawing_an_unknown_key_changes_nothing(context, clock):
    await _queue(context, clock, dedupe_key="reminder-48h:1")
    assert await service.withdraw("reminder-48h:2") is False
    assert await Mail.count() == 1


async def test_mail_queued_in_a_callers_transaction_is_rolled_back_with_it(context, clock):
    with pytest.raises(Boom):
        async with write_transaction(service.engine()):
            await _queue(context, clock)
            raise Boom
    assert await Mail.count() == 0
    assert await jobs.count("pending") == 0


async def test_a_duplicate_inside_a_callers_transaction_leaves_no_stray_row(context, clock):
    async with write_transaction(service.engine()):
        await _queue(context, clock, dedupe_key="k")
        assert await _queue(context, clock, dedupe_key="k") is None
    assert await Mail.count() == 1


@pytest.mark.parametrize(
    "address",
    [
        "",
        "not-an-address",
        "a@localhost",
        "citizen@example.org\r\nBcc: all@example.org",
        "a@example.org, b@example.org",
        "Name <a@example.org>",
        "ü@example.org",
    ],
)
async def test_an_unusable_address_is_refused_and_nothing_is_stored(address, context, clock):
    with pytest.raises(service.InvalidEmail):
        await service.queue_mail(
            "booking.confirmed", to=address, lang="de", context=context, now=clock.now()
        )
    assert await Mail.count() == 0
    assert await jobs.count("pending") == 0


async def test_a_context_the_template_cannot_use_stores_nothing(context, clock):
    del context["service"]
    with pytest.raises(MailContextError):
        await _queue(context, clock)
    assert await Mail.count() == 0


async def test_a_language_without_a_catalog_falls_back_to_german(context, clock):
    mail_id = await service.queue_mail(
        "booking.confirmed", to="a@example.org", lang="xx", context=context, now=clock.now()
    )
    mail = await service.get_mail(mail_id)
    assert mail is not None and mail.language == "de"
