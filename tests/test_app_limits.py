"""The rate limits are wired into the app itself, not only testable on their own."""

from dataclasses import replace

import httpx
from conftest import running

from app.main import create_app


async def test_the_app_answers_429_with_retry_after_once_a_client_exceeds_its_limit(
    settings, engine, clock
):
    limited = replace(settings, rate_limits=(("read", "3/minute"),))
    app = create_app(limited, clock=clock, engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with (
        running(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client,
    ):
        answers = [(await client.get("/api/services")).status_code for _ in range(4)]
        refused = await client.get("/api/services", headers={"Accept-Language": "de"})
    assert answers == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) > 0
    assert refused.json()["code"] == "too_many_requests"
    assert "default-src 'self'" in refused.headers["content-security-policy"]
