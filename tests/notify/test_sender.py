import asyncio
import logging
from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from icalendar import Calendar

from app.jobs import service as jobs
from app.jobs.worker import Worker
from app.main import create_app
from app.notify import message, service
from app.notify.ics import appointment_ics
from app.notify.sender import make_sender
from app.notify.service import MAIL_SEND
from app.settings import Settings


async def _queue(context, clock, *, to="citizen@example.org", lang="de", **options):
    return await service.queue_mail(
        "booking.confirmed", to=to, lang=lang, context=context, now=clock.now(), **options
    )


def _ics(context, lang="de"):
    return appointment_ics(
        "appointment-17@amtsweg.example",
        context["start"],
        context["end"],
        context["service"],
        context["office"],
        "",
        context["manage_url"],
        lang,
    )


async def test_a_queued_mail_reaches_a_real_smtp_server_as_rendered(
    context, clock, settings, smtp_server, worker
):
    mail_id = await _queue(context, clock, lang="ar", ics=_ics(context, "ar"))
    assert await worker.run_until_idle() == 1

    (received,) = smtp_server.received
    assert received.rcpt_tos == ["citizen@example.org"]
    assert received.mail_from == "noreply@heidelberg.example"
    mail = received.message
    stored = await service.get_mail(mail_id)
    assert stored is not None and stored.state == "sent" and stored.sent_at == clock.now()
    assert mail["To"] == "citizen@example.org"
    assert mail["Subject"] == stored.subject
    assert mail["Content-Language"] == "ar"
    assert mail["Message-ID"] == stored.message_id
    assert mail["From"] == "Bürgeramt <noreply@heidelberg.example>"
    assert mail["Auto-Submitted"] == "auto-generated"

    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert f"{settings.base_url}/de/booking/cancel?token=c4nc3l" in text
    assert f'href="{settings.base_url}/de/booking/cancel?token=c4nc3l"' in html
    assert 'dir="rtl"' in html

    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    calendar = Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert event.walk("VALARM")


async def test_two_workers_over_one_database_send_each_mail_exactly_once(
    context, clock, smtp_server, smtp_sender
):
    addresses = [f"citizen{number}@example.org" for number in range(40)]
    for address in addresses:
        await _queue(context, clock, to=address)
    workers = [Worker({MAIL_SEND: smtp_sender}, clock, name=f"w{i}", batch=7) for i in range(2)]
    await asyncio.gather(*(worker.run_until_idle() for worker in workers))

    received = sorted(rcpt for item in smtp_server.received for rcpt in item.rcpt_tos)
    assert received == sorted(addresses)
    assert len({mail["Message-ID"] for mail in smtp_server.messages}) == 40
    assert await jobs.count("done") == 40


async def test_a_job_that_runs_twice_sends_its_mail_once(context, clock, smtp_server, smtp_sender):
    mail_id = await _queue(context, clock)
    await smtp_sender({"mail_id": mail_id})
    await smtp_sender({"mail_id": mail_id})
    assert len(smtp_server.received) == 1


async def test_a_mail_already_sent_can_no_longer_be_withdrawn(context, clock, smtp_server, worker):
    mail_id = await _queue(context, clock, dedupe_key="reminder-2h:17")
    await worker.run_until_idle()
    assert await service.withdraw("reminder-2h:17") is False
    stored = await service.get_mail(mail_id)
    assert stored is not None and stored.state == "sent"


async def test_a_job_whose_mail_was_withdrawn_sends_nothing(smtp_server, smtp_sender):
    await smtp_sender({"mail_id": 999})
    assert smtp_server.received == []


async def test_while_smtp_is_down_the_mail_waits_and_is_delivered_once_later(
    context, clock, settings, stopped_smtp_server
):
    worker = Worker(
        {MAIL_SEND: make_sender(stopped_smtp_server.settings(settings), clock)}, clock, name="w"
    )
    mail_id = await _queue(context, clock)
    assert await worker.run_until_idle() == 1  # connection refused
    assert await jobs.count("pending") == 1
    stored = await service.get_mail(mail_id)
    assert stored is not None and stored.state == "queued"

    stopped_smtp_server.start()
    assert await worker.run_until_idle() == 0  # backing off: not due yet
    clock.advance(timedelta(seconds=31))
    assert await worker.run_until_idle() == 1
    clock.advance(timedelta(hours=2))
    assert await worker.run_until_idle() == 0
    assert len(stopped_smtp_server.received) == 1
    stored = await service.get_mail(mail_id)
    assert stored is not None and stored.state == "sent"


async def test_a_temporarily_refused_recipient_is_tried_again(context, clock, smtp_server, worker):
    smtp_server.inbox.refuse["citizen@example.org"] = 450
    mail_id = await _queue(context, clock)
    await worker.run_until_idle()
    assert await jobs.count("pending") == 1
    del smtp_server.inbox.refuse["citizen@example.org"]
    clock.advance(timedelta(seconds=31))
    await worker.run_until_idle()
    stored = await service.get_mail(mail_id)
    assert stored is not None and stored.state == "sent"
    assert len(smtp_server.received) == 1


async def test_a_recipient_refused_for_good_fails_without_retrying(
    context, clock, smtp_server, worker
):
    smtp_server.inbox.refuse["gone@example.org"] = 550
    mail_id = await _queue(context, clock, to="gone@example.org")
    await worker.run_until_idle()
    stored = await service.get_mail(mail_id)
    assert stored is not None and stored.state == "failed"
    assert stored.error is not None and "No such mailbox" in stored.error
    assert await jobs.count("dead") == 1
    clock.advance(timedelta(days=1))
    assert await worker.run_until_idle() == 0
    assert smtp_server.received == []


async def test_a_crash_between_sending_and_marking_sends_the_same_bytes_again(
    context, clock, smtp_server, smtp_sender, monkeypatch
):
    """The at-least-once boundary: the relay took the mail, the process died before the
    row said so. The job's lease runs out, the mail goes again — identical, so mail
    clients show it once — and only then is it marked sent."""
    mail_id = await _queue(context, clock, ics=_ics(context))
    mark_sent = service.mark_sent

    async def die(*args, **kwargs):
        raise asyncio.CancelledError  # the process is killed: no handler code runs on

    monkeypatch.setattr(service, "mark_sent", die)
    with pytest.raises(asyncio.CancelledError):
        await Worker({MAIL_SEND: smtp_sender}, clock, name="crashed").run_once()
    monkeypatch.setattr(service, "mark_sent", mark_sent)

    survivor = Worker({MAIL_SEND: smtp_sender}, clock, name="survivor")
    assert await survivor.run_until_idle() == 0  # the dead worker's lease still holds
    clock.advance(survivor.lease + timedelta(seconds=1))
    assert await survivor.run_until_idle() == 1

    first, second = smtp_server.received
    assert first.data == second.data
    stored = await service.get_mail(mail_id)
    assert stored is not None and stored.state == "sent"
    assert await jobs.count("done") == 1


async def test_a_message_is_built_to_the_same_bytes_every_time(context, clock):
    mail = await service.get_mail(await _queue(context, clock, ics=_ics(context)))
    assert mail is not None
    once = message.build(mail, sender="B <noreply@x.example>", message_id="<1@x.example>")
    again = message.build(mail, sender="B <noreply@x.example>", message_id="<1@x.example>")
    assert once.as_bytes() == again.as_bytes()
    parsed = message_from_bytes(once.as_bytes(), policy=default)
    body = parsed.get_body(("plain",)).get_content()
    assert body.replace("\r\n", "\n") == mail.text_body


async def test_without_smtp_the_mail_is_written_to_the_outbox_and_announced(
    context, clock, settings, tmp_path, caplog
):
    outbox_settings = replace(settings, data_dir=tmp_path, smtp_host=None)
    worker = Worker({MAIL_SEND: make_sender(outbox_settings, clock)}, clock, name="w")
    mail_id = await _queue(context, clock)
    with caplog.at_level(logging.INFO, logger="amtsweg.notify"):
        await worker.run_until_idle()

    path = tmp_path / "outbox" / f"{mail_id}.eml"
    written = message_from_bytes(path.read_bytes(), policy=default)
    assert written["To"] == "citizen@example.org"
    assert context["cancel_url"] in written.get_body(("plain",)).get_content()
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [f"{mail_id}.eml"]
    assert [r.getMessage() for r in caplog.records if str(path) in r.getMessage()]
    stored = await service.get_mail(mail_id)
    assert stored is not None and stored.state == "sent"


async def test_a_reminder_goes_out_when_it_is_due_and_not_before(
    context, clock, smtp_server, worker
):
    due = clock.now() + timedelta(hours=3)
    await service.queue_mail(
        "booking.reminder",
        to="citizen@example.org",
        lang="en",
        context=context,
        now=clock.now(),
        due_at=due,
        dedupe_key="reminder-48h:17",
    )
    assert await worker.run_until_idle() == 0
    clock.advance(timedelta(hours=3))
    assert await worker.run_until_idle() == 1
    (mail,) = smtp_server.messages
    assert mail["Subject"].startswith("Reminder: your appointment on Monday")


async def test_the_apps_own_worker_sends_mail(context, clock, settings, engine, smtp_server):
    app = create_app(smtp_server.settings(settings), clock=clock, engine=engine)
    await _queue(context, clock)
    await app.state.worker.run_until_idle()
    assert len(smtp_server.received) == 1


def test_starttls_is_on_by_default_except_on_ports_25_and_465(tmp_path):
    def starttls(**env):
        return Settings.from_env({"APP_DATA_DIR": str(tmp_path), **env}).smtp_starttls

    assert starttls() is False  # no relay: the outbox
    assert starttls(APP_SMTP_HOST="mail.example.org") is True  # 587, submission
    assert starttls(APP_SMTP_HOST="mail.example.org", APP_SMTP_PORT="25") is False
    assert starttls(APP_SMTP_HOST="mail.example.org", APP_SMTP_PORT="465") is False
    assert starttls(APP_SMTP_HOST="relay", APP_SMTP_PORT="25", APP_SMTP_STARTTLS="true") is True


def test_the_sender_address_defaults_to_the_city_and_the_outbox_to_the_data_folder(tmp_path):
    settings = Settings.from_env({"APP_DATA_DIR": str(tmp_path), "APP_CITY_NAME": "München"})
    assert settings.mail_from == "Bürgeramt <noreply@xn--mnchen-3ya.example>"
    assert settings.outbox_dir == tmp_path / "outbox"
    assert "smtp_password" not in repr(replace(settings, smtp_password="hunter2"))
