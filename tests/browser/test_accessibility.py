"""axe-core finds nothing on any front end, left-to-right and right-to-left."""

import pytest

from tests.browser.conftest import as_enrolled_kiosk

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/de/",
        "/ar/",
        "/clerk/de/",
        "/clerk/fa/",
        "/kiosk/de/",
        "/kiosk/ar/services",
        "/kiosk/de/enrol",
        "/display/de/",
        "/de/accessibility",
    ],
)
async def test_axe_core_finds_no_violations(new_context, server, axe_script, path):
    # Only here is the CSP bypassed: axe is injected as a script the page did not ask for.
    # No service worker: the page is checked as served, not racing a background install.
    context, _watch = await new_context(server.url, bypass_csp=True, service_workers="block")
    if path.startswith("/kiosk/") and not path.endswith("/enrol"):
        await as_enrolled_kiosk(context)
    page = await context.new_page()
    await page.goto(path, wait_until="networkidle")
    await page.add_script_tag(path=str(axe_script))
    results = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [
        f"{rule['id']}: {rule['help']} → {[node['target'] for node in rule['nodes']]}"
        for rule in results["violations"]
    ]
    assert violations == []
