"""The pages, workers, manifest and static files as a browser receives them."""

import json
import re
from html.parser import HTMLParser

import httpx
import pytest

from app.catalogue import demo
from app.settings import LANGUAGES, Settings

PAGES = [
    "/de/",
    "/ar/",
    "/de/accessibility",
    "/fa/imprint",
    "/clerk/de/",
    "/kiosk/de/",
    "/kiosk/ar/services",
    "/display/de/",
    "/api/docs",
]


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, plus the text of inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)

    def local_urls(self) -> set[str]:
        """What the browser loads with the page (not where its links lead)."""
        urls = {
            attrs.get("href") or attrs.get("src")
            for tag, attrs in self.tags
            if tag in {"link", "script", "img"} and attrs.get("rel") != "alternate"
        }
        return {url for url in urls if url and url.startswith("/")}


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def html_attrs(html: str) -> dict[str, str | None]:
    return next(attrs for tag, attrs in parse(html).tags if tag == "html")


@pytest.fixture
async def demo_city(settings: Settings) -> None:
    await demo.load(settings)


async def test_the_root_sends_a_browser_to_its_preferred_language(client: httpx.AsyncClient):
    response = await client.get("/", headers={"Accept-Language": "tr-TR,tr;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response.headers["location"] == "/tr/"
    assert "Accept-Language" in response.headers["vary"]


async def test_the_language_cookie_beats_the_browser_language(client: httpx.AsyncClient):
    client.cookies.set("lang", "fa")
    response = await client.get("/", headers={"Accept-Language": "ar"})
    assert response.headers["location"] == "/fa/"


async def test_without_any_preference_the_root_speaks_german(client: httpx.AsyncClient):
    response = await client.get("/", headers={"Accept-Language": "ja, zh;q=0.4"})
    assert response.headers["location"] == "/de/"


@pytest.mark.parametrize("front_end", ["clerk", "kiosk", "display"])
async def test_each_front_end_root_sends_to_its_negotiated_language(client, front_end):
    response = await client.get(f"/{front_end}/", headers={"Accept-Language": "uk"})
    assert (response.status_code, response.headers["location"]) == (302, f"/{front_end}/uk/")


@pytest.mark.parametrize(("lang", "direction"), [("de", "ltr"), ("ar", "rtl"), ("fa", "rtl")])
async def test_every_page_declares_its_language_and_direction(client, lang, direction):
    for path in (f"/{lang}/", f"/clerk/{lang}/", f"/kiosk/{lang}/", f"/display/{lang}/"):
        attrs = html_attrs((await client.get(path)).text)
        assert (attrs["lang"], attrs["dir"]) == (lang, direction), path


async def test_the_start_page_lists_every_service_with_fee_and_channels(client, demo_city):
    html = (await client.get("/de/")).text
    services = (await client.get("/api/services", params={"lang": "de"})).json()
    assert services, "the demo city offers services"
    for service in services:
        assert service["name"] in html
        assert (service["fee"] if service["fee_cents"] else "Gebührenfrei") in html
    assert "Persönlich an einem unserer Standorte" in html
    assert "Per Videoanruf" in html


async def test_the_start_page_shows_service_names_in_the_pages_language(client, demo_city):
    german = (await client.get("/api/services", params={"lang": "de"})).json()
    arabic = (await client.get("/api/services", params={"lang": "ar"})).json()
    html = (await client.get("/ar/")).text
    assert all(service["name"] in html for service in arabic)
    assert any(service["name"] not in html for service in german)


async def test_an_empty_catalogue_shows_an_empty_state_not_an_empty_list(client):
    html = (await client.get("/en/")).text
    assert "No services are offered at the moment." in html


async def test_a_page_in_an_unknown_language_is_a_404_problem(client: httpx.AsyncClient):
    for path in ("/xx/", "/xx/accessibility", "/clerk/xx/", "/kiosk/xx/services"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "unknown_language"


async def test_pages_have_no_inline_script_or_style(client: httpx.AsyncClient):
    for path in PAGES:
        html = (await client.get(path)).text
        tags = parse(html)
        assert not tags.inline_scripts, path
        assert all("style" not in attrs for _tag, attrs in tags.tags), path
        assert all(tag != "style" for tag, _attrs in tags.tags), path


async def test_every_local_file_a_page_refers_to_exists(client: httpx.AsyncClient):
    for path in PAGES:
        for url in parse((await client.get(path)).text).local_urls():
            assert (await client.get(url)).status_code == 200, f"{path} → {url}"


async def test_pages_refer_to_nothing_on_another_origin(client: httpx.AsyncClient):
    for path in PAGES:
        for tag, attrs in parse((await client.get(path)).text).tags:
            if tag in {"link", "script", "img", "iframe"}:
                url = attrs.get("href") or attrs.get("src") or ""
                assert url.startswith("/") and not url.startswith("//"), f"{path}: {url}"


async def test_every_page_has_one_h1_a_skip_link_and_a_main_landmark(client):
    for path in PAGES[:-1]:
        tags = parse((await client.get(path)).text).tags
        assert [tag for tag, _attrs in tags].count("h1") == 1, path
        assert any(tag == "main" and attrs.get("id") == "main" for tag, attrs in tags), path
        assert any(tag == "a" and attrs.get("href") == "#main" for tag, attrs in tags), path


async def test_the_language_switch_links_to_the_same_page_in_every_language(client):
    tags = parse((await client.get("/de/accessibility")).text).tags
    links = {
        attrs["data-lang"]: attrs for tag, attrs in tags if tag == "a" and "data-lang" in attrs
    }
    assert set(links) == set(LANGUAGES)
    assert links["ar"]["href"] == "/ar/accessibility" and links["ar"]["dir"] == "rtl"
    assert links["de"].get("aria-current") == "page"


async def test_the_footer_links_the_accessibility_statement_and_imprint(client):
    for path in ("/tr/", "/clerk/tr/"):
        urls = {attrs.get("href") for tag, attrs in parse((await client.get(path)).text).tags}
        assert {"/tr/accessibility", "/tr/imprint"} <= urls, path
    for path in ("/tr/accessibility", "/tr/imprint"):
        assert (await client.get(path)).status_code == 200


async def test_the_kiosk_starts_with_a_choice_of_every_language(client: httpx.AsyncClient):
    tags = parse((await client.get("/kiosk/de/")).text).tags
    hrefs = {attrs.get("href") for tag, attrs in tags if tag == "a"}
    assert {f"/kiosk/{code}/services" for code in LANGUAGES} <= hrefs


async def test_the_call_display_shows_the_berlin_time_labelled(client: httpx.AsyncClient):
    html = (await client.get("/display/de/")).text  # the test clock says 09:00 UTC
    assert "10:00" in html
    assert "Europe/Berlin" in html


async def test_security_headers_reach_pages_static_files_and_workers(client):
    for path in (
        "/de/",
        "/static/pwa/app.css",
        "/static/vendor/kern/kern.min.css",
        "/static/kiosk/kiosk.js",
        "/sw.js",
        "/manifest.webmanifest",
        "/api/docs",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert "camera=()" in response.headers["permissions-policy"], path


@pytest.mark.parametrize(("path", "scope"), [("/sw.js", "/"), ("/kiosk/sw.js", "/kiosk/")])
async def test_service_workers_are_served_uncached_with_their_scope(client, path, scope):
    response = await client.get(path)
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == scope
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("path", ["/sw.js", "/kiosk/sw.js"])
async def test_everything_a_worker_precaches_answers(client, path, demo_city):
    precache = _build(await client.get(path))["precache"]
    for url in precache:
        assert (await client.get(url)).status_code == 200, url


@pytest.mark.parametrize(
    ("worker", "pages"),
    [
        ("/sw.js", ["/de/", "/fa/accessibility"]),
        ("/kiosk/sw.js", ["/kiosk/de/", "/kiosk/ar/services"]),
    ],
)
async def test_a_shell_page_and_its_module_imports_are_all_precached(client, worker, pages):
    precache = set(_build(await client.get(worker))["precache"])
    for page in pages:
        urls = parse((await client.get(page)).text).local_urls()
        modules = [url for url in urls if url.endswith(".js")]
        while modules:
            module = modules.pop()
            source = (await client.get(module)).text
            for target in re.findall(r'^import .*?"([^"]+)";$', source, re.MULTILINE | re.DOTALL):
                resolved = str(httpx.URL(module).join(target))
                modules.append(resolved)
                urls.add(resolved)
        missing = urls - precache
        assert not missing, f"{page} needs {missing}"


async def test_the_manifest_is_served_as_a_manifest_in_the_asked_language(client):
    response = await client.get("/manifest.webmanifest", params={"lang": "fa"})
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["lang"], manifest["dir"], manifest["start_url"]) == ("fa", "rtl", "/fa/")
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        image = await client.get(icon["src"])
        assert image.status_code == 200
        assert image.headers["content-type"].startswith(icon["type"])


async def test_the_api_docs_run_swagger_ui_from_our_own_copy(client: httpx.AsyncClient):
    response = await client.get("/api/docs")
    urls = parse(response.text).local_urls()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in urls
    assert (await client.get("/api/schema/openapi.json")).status_code == 200


def _build(worker: httpx.Response) -> dict[str, list[str]]:
    line = next(line for line in worker.text.splitlines() if line.startswith("const BUILD = "))
    build: dict[str, list[str]] = json.loads(line.removeprefix("const BUILD = ").rstrip(";"))
    return build
