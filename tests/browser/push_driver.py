"""Web push in Chromium as the tests drive it: a browser subscription of the test's own,
a push handed to the service worker by the DevTools protocol, the notifications it shows,
and a click on one. See test_push.py for why the subscription is the test's own."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import socket
from typing import Any

from booking_driver import Api
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PUSH_MODULE = "/static/pwa/push.js"
# The notifications the worker shows, once one of them opens `url` (any, when null). Asked
# again every 50 ms until then, within `timeout`: Playwright's wait_for_function does not
# wait for a promise, and getNotifications() has nothing but a promise to give.
NOTIFICATIONS = """async ([url, timeout]) => {
  const registration = await navigator.serviceWorker.ready;
  const deadline = Date.now() + timeout;
  for (;;) {
    const shown = (await registration.getNotifications()).map((n) => ({title: n.title,
      body: n.body, lang: n.lang, dir: n.dir, tag: n.tag, icon: n.icon, data: n.data}));
    const found = shown.some((n) => url === null || n.data.url === url);
    if (found || Date.now() > deadline) return shown;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}"""
NOTICE_TIMEOUT_MS = 20_000


async def notifications(page, url: str | None = None, within_ms: int = NOTICE_TIMEOUT_MS) -> list:
    """The notifications shown, once one opens `url` (or any is shown), or when time is up."""
    shown: list = await page.evaluate(NOTIFICATIONS, [url, within_ms])
    return shown


# Counts the permission prompts a page asks for, and whether each came from a user action.
COUNT_PERMISSION_REQUESTS = """(() => {
  const asked = [];
  const request = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    asked.push(navigator.userActivation.isActive);
    return request(...args);
  };
  Object.defineProperty(window, "permissionRequests", { value: asked });
})();"""


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def loopback_port() -> int:
    """A port nobody listens on: no push service needs to answer, nothing is sent."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def browser_subscription() -> dict[str, Any]:
    """What `PushSubscription.toJSON()` gives, with keys of the test's own."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return {
        "endpoint": f"http://127.0.0.1:{loopback_port()}/push/{secrets.token_urlsafe(12)}",
        "expirationTime": None,
        "keys": {
            "p256dh": b64url(key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)),
            "auth": b64url(os.urandom(16)),
        },
    }


async def token_page(server: Any, lang: str, kind: str) -> str:
    """The address of a new appointment's or case's own page (its token in it)."""
    api = Api(server.url)
    try:
        if kind == "appointment":
            slot = (await api.availability("anmeldung", "wieblingen"))["days"][0]["slots"][0]
            held = await api.hold(
                service="anmeldung", office="wieblingen", starts_at=slot["starts_at"], language=lang
            )
            assert held.status_code == 201, held.text
            return f"/{lang}/appointments/{held.json()['token']}"
        opened = await api.client.post(
            "/api/cases", json={"service": "personalausweis", "language": lang}
        )
        assert opened.status_code == 201, opened.text
        return f"/{lang}/case/{opened.json()['token']}"
    finally:
        await api.close()


async def deliver(context, page, server: Any, payload: dict[str, str]) -> None:
    """Hand the service worker a push, as the browser does when its push service does."""
    cdp = await context.new_cdp_session(page)
    scope = f"{server.url}/"
    found: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def updated(params: dict[str, Any]) -> None:
        for registration in params["registrations"]:
            live = registration["scopeURL"] == scope and not registration["isDeleted"]
            if live and not found.done():
                found.set_result(registration["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", updated)
    await cdp.send("ServiceWorker.enable")
    registration_id = await asyncio.wait_for(found, 10)
    message = {"origin": server.url, "registrationId": registration_id, "data": json.dumps(payload)}
    await cdp.send("ServiceWorker.deliverPushMessage", message)


async def enrolled_page(new_context, server: Any, lang: str, kind: str):
    """A citizen who uses the app (its worker active) has reminders on for a token's page."""
    context, watch = await new_context(server.url)
    await context.grant_permissions(["notifications"], origin=server.url)
    page = watch.follow(await context.new_page())
    await page.goto(f"/{lang}/")
    await page.locator("[data-notice=ready]").wait_for()
    path = await token_page(server, lang, kind)
    await page.goto(path)  # controlled by the worker now
    await page.locator("#push-optin:not([hidden])").wait_for()
    subscription = browser_subscription()
    await page.evaluate(
        "async ([module, subscription]) => (await import(module)).enrol(subscription)",
        [PUSH_MODULE, subscription],
    )
    stored = await page.evaluate(
        "async (module) => (await import(module)).storedTokens()", PUSH_MODULE
    )
    token = path.rsplit("/", 1)[1]
    assert stored == [{"token": token, "lang": lang, "page": path}]
    return context, watch, page, path, token


def direction(lang: str) -> str:
    return "rtl" if lang == "ar" else "ltr"


async def click_notification(context) -> None:
    """Click the shown notification: its `notificationclick`, dispatched in the worker."""
    [worker] = [worker for worker in context.service_workers if worker.url.endswith("/sw.js")]
    await worker.evaluate(
        """async () => {
          const [notification] = await self.registration.getNotifications();
          self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
        }"""
    )


# Chromium here has no push service to subscribe at, so this test alone stands in for it:
# the browser's subscription becomes the test's own. Everything else is the page's flow.
FAKE_PUSH_SERVICE = """((json) => {
  let current = null;
  PushManager.prototype.getSubscription = async function () { return current; };
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey).buffer;
    current = {
      endpoint: json.endpoint,
      options: { userVisibleOnly: options.userVisibleOnly, applicationServerKey: key },
      toJSON: () => json,
      unsubscribe: async () => { current = null; return true; },
    };
    return current;
  };
})(SUBSCRIPTION);"""
