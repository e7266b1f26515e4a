import re
from datetime import UTC, datetime

import pytest

from app.core.translation import RTL
from app.notify.content import TEMPLATES
from app.notify.rendering import MailContextError, catalogs, render
from app.settings import LANGUAGES

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_renders_in_every_language_without_a_missing_placeholder(
    template, lang, context
):
    mail = render(template, lang, context, has_ics=True)
    for part in (mail.subject, mail.text, mail.html):
        assert not PLACEHOLDER.search(part), part
        assert "{" not in part
    assert mail.language == lang
    assert context["service"] in mail.text
    assert "Bürgeramt Altstadt" in mail.text
    assert "Europe/Berlin" in mail.text
    for link in TEMPLATES[template].links:
        assert context[link.key] in mail.text
        assert f'href="{context[link.key]}"' in mail.html
    assert f'<html lang="{lang}" dir="{"rtl" if lang in RTL else "ltr"}">' in mail.html


def test_every_mail_about_a_booked_appointment_has_a_one_click_cancel_link(context):
    for template in ("booking.confirmed", "booking.changed", "booking.reminder"):
        mail = render(template, "en", context)
        assert "Cancel appointment:\n" + context["cancel_url"] in mail.text


def test_a_german_mail_shows_german_where_translated_and_the_english_source_elsewhere(context):
    german = catalogs()["de"]
    for template, spec in TEMPLATES.items():
        mail = render(template, "de", context)
        for paragraph in spec.paragraphs:
            if "{" in paragraph:
                continue  # formatted; the plain sentences are enough to tell the language
            translated = german.messages.get(paragraph)
            assert (translated or paragraph) in mail.text, (template, paragraph)
            if translated and translated != paragraph:
                assert paragraph not in mail.text
        # Dates are German already, through Babel.
        assert "Montag, 30. November 2026" in mail.text, template


def test_times_are_berlin_wall_clock_time_and_say_so(context):
    winter = render("booking.reminder", "en", {**context, "end": None})
    assert "Monday, November 30, 2026, 10:30\u202fAM (Europe/Berlin)" in winter.text
    summer_start = datetime(2026, 7, 6, 8, 30, tzinfo=UTC)  # CEST, UTC+2
    summer = render("booking.reminder", "de", {**context, "start": summer_start, "end": None})
    assert "Montag, 6. Juli 2026, 10:30 (Europe/Berlin)" in summer.text


def test_an_appointment_with_an_end_shows_its_time_range(context):
    mail = render("booking.confirmed", "de", context)
    assert "10:30–10:45 Uhr (Europe/Berlin)" in mail.text


def test_the_reminder_subject_names_the_day_in_the_mails_language(context):
    assert render("booking.reminder", "en", context).subject == (
        "Reminder: your appointment on Monday, November 30, 2026"
    )


def test_arabic_and_persian_mails_read_right_to_left(context):
    for lang in ("ar", "fa"):
        assert 'dir="rtl"' in render("booking.confirmed", lang, context).html
    assert 'dir="ltr"' in render("booking.confirmed", "tr", context).html


def test_context_values_are_escaped_in_the_html_part(context):
    mail = render("booking.confirmed", "en", {**context, "service": "<script>x</script>"})
    assert "<script>" not in mail.html
    assert "&lt;script&gt;" in mail.html
    assert "<script>x</script>" in mail.text  # plain text is not HTML


def test_the_calendar_note_appears_only_with_a_calendar_file(context):
    note = "The attached calendar file adds the appointment to your calendar"
    assert note in render("booking.confirmed", "en", context, has_ics=True).text
    assert note not in render("booking.confirmed", "en", context, has_ics=False).text


def test_an_optional_link_is_left_out_when_not_given(context):
    mail = render("booking.cancelled", "en", {**context, "book_url": None})
    assert "Book a new appointment" not in mail.text
    assert "<a " not in mail.html


def test_a_missing_context_value_is_reported_by_name(context):
    del context["cancel_url"]
    with pytest.raises(MailContextError, match="cancel_url"):
        render("booking.confirmed", "en", context)


def test_a_relative_link_is_refused_because_a_mail_is_read_far_from_the_site(context):
    with pytest.raises(MailContextError, match="absolute"):
        render("booking.confirmed", "en", {**context, "cancel_url": "/de/booking/cancel"})


def test_a_naive_time_is_refused(context):
    with pytest.raises(MailContextError, match="timezone"):
        render("booking.confirmed", "en", {**context, "start": datetime(2026, 11, 30, 10)})


def test_an_unknown_template_is_refused(context):
    with pytest.raises(MailContextError, match="unknown"):
        render("booking.nonsense", "en", context)
