from app.settings import LANGUAGES


async def test_the_catalog_of_a_language_is_served_as_json(client):
    response = await client.get("/api/i18n/de")
    assert response.status_code == 200
    body = response.json()
    assert body["lang"] == "de"
    assert body["dir"] == "ltr"
    assert body["plural"] == {"one": 0, "other": 1}
    assert body["messages"]["This value is not valid."] == "Dieser Wert ist ungültig."


async def test_an_rtl_catalog_says_so(client):
    body = (await client.get("/api/i18n/fa")).json()
    assert body["dir"] == "rtl"


async def test_an_unchanged_catalog_is_not_sent_again(client):
    first = await client.get("/api/i18n/tr")
    again = await client.get("/api/i18n/tr", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


async def test_an_unknown_language_is_a_problem_with_a_stable_code(client):
    response = await client.get("/api/i18n/xx", headers={"Accept-Language": "de"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "unknown_language"
    assert problem["title"] == "Diese Sprache wird nicht angeboten."


async def test_every_first_tier_language_is_offered(client):
    languages = (await client.get("/api/languages")).json()
    assert [lang["code"] for lang in languages] == list(LANGUAGES)
    assert {lang["code"]: lang["dir"] for lang in languages}["ar"] == "rtl"
