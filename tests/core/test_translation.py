from pathlib import Path

import pytest

from app.core.translation import Catalogs, load_catalog, parse_accept_language
from app.settings import LANGUAGES, ROOT

LOCALES = ROOT / "locales"


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs.load(LOCALES, LANGUAGES, "de")


def test_the_url_wins_over_cookie_and_browser(catalogs):
    assert catalogs.negotiate(explicit="tr", cookie="ar", accept_language="ru") == "tr"


def test_the_cookie_wins_over_the_browser(catalogs):
    assert catalogs.negotiate(explicit=None, cookie="uk", accept_language="pl") == "uk"


def test_the_browser_preference_is_followed_by_quality(catalogs):
    header = "fr-CH, fr;q=0.9, ro;q=0.8, en;q=0.7"
    assert catalogs.negotiate(accept_language=header) == "ro"


def test_a_region_tag_matches_its_language(catalogs):
    assert catalogs.negotiate(accept_language="fa-IR") == "fa"


def test_an_unknown_language_everywhere_falls_back_to_german(catalogs):
    assert catalogs.negotiate(explicit="xx", cookie="zz", accept_language="ja, zh;q=0.5") == "de"


def test_quality_zero_means_not_this_language():
    assert parse_accept_language("en;q=0, tr") == ["tr"]


def test_malformed_accept_language_does_not_raise():
    assert parse_accept_language(";;;q=abc,, ,") == []


@pytest.mark.parametrize(
    ("code", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("de", "ltr"), ("uk", "ltr")]
)
def test_writing_direction_comes_from_the_locale(catalogs, code, direction):
    assert catalogs[code].language.dir == direction


def test_every_offered_language_names_itself(catalogs):
    names = {lang.code: lang.native_name for lang in catalogs.languages}
    assert names["de"] == "Deutsch"
    assert names["tr"] == "Türkçe"
    assert set(names) == set(LANGUAGES)


def test_german_messages_come_from_the_catalog(catalogs):
    assert catalogs["de"].gettext("This value is not valid.") == "Dieser Wert ist ungültig."


def test_an_untranslated_message_shows_its_source_text(catalogs):
    assert catalogs["de"].gettext("A message nobody has written yet") == (
        "A message nobody has written yet"
    )


def test_arabic_plural_categories_map_to_six_gettext_forms(catalogs):
    mapping = catalogs["ar"].cldr_plural_index
    assert set(mapping) == {"zero", "one", "two", "few", "many", "other"}
    assert len(set(mapping.values())) == 6


def test_german_has_one_and_other(catalogs):
    assert catalogs["de"].cldr_plural_index == {"one": 0, "other": 1}


def test_a_fuzzy_translation_is_not_shown(tmp_path: Path):
    po = tmp_path / "de" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, fuzzy\nmsgid "Hello"\nmsgstr "Tschüss"\n\nmsgid "Yes"\nmsgstr "Ja"\n',
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path, "de")
    assert catalog.gettext("Hello") == "Hello"
    assert catalog.gettext("Yes") == "Ja"


def test_plural_forms_follow_the_count(tmp_path: Path):
    po = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "{n} person"\nmsgid_plural "{n} people"\n'
        'msgstr[0] "{n} человек"\nmsgstr[1] "{n} человека"\nmsgstr[2] "{n} человек"\n',
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path, "ru")
    assert catalog.ngettext("{n} person", "{n} people", 3) == "3 человека"
    assert catalog.ngettext("{n} person", "{n} people", 21) == "21 человек"
    assert catalog.cldr_plural_index["few"] == 1
