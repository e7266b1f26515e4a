"""Problem details: every error leaves translated, with a stable code and the field named."""

import httpx
import msgspec
import pytest
from litestar import Litestar, post
from litestar.datastructures import State
from litestar.params import JSONBody

from app.core.errors import Conflict
from app.core.problems import EXCEPTION_HANDLERS
from app.core.translation import Catalogs
from app.settings import LANGUAGES, ROOT


class Contact(msgspec.Struct):
    email: str
    age: int


@post("/probe/contact", sync_to_thread=False)
def contact(data: JSONBody[Contact]) -> dict[str, str]:
    return {"email": data.email}


@post("/probe/conflict", sync_to_thread=False)
def conflict() -> None:
    raise Conflict()


@post("/probe/crash", sync_to_thread=False)
def crash() -> None:
    raise RuntimeError("secret internals: /etc/passwd")


@pytest.fixture
async def probe():
    app = Litestar(
        route_handlers=[contact, conflict, crash],
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"catalogs": Catalogs.load(ROOT / "locales", LANGUAGES, "de")}),
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe.local") as client:
        yield client


async def test_a_wrong_type_names_the_field(probe):
    response = await probe.post("/probe/contact", json={"email": "a@b.example", "age": "old"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_input"
    assert [error["field"] for error in problem["errors"]] == ["age"]
    assert problem["title"] == "Bitte prüfen Sie Ihre Eingabe."


async def test_a_missing_field_is_called_required(probe):
    response = await probe.post("/probe/contact?lang=de", json={"email": "a@b.example"})
    problem = response.json()
    assert problem["errors"][0]["field"] == "age"
    assert problem["errors"][0]["detail"] == "Dieses Feld ist ein Pflichtfeld."


async def test_broken_json_is_a_clear_problem(probe):
    response = await probe.post(
        "/probe/contact", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


async def test_a_domain_error_keeps_its_status_and_code(probe):
    response = await probe.post("/probe/conflict", headers={"Accept-Language": "de"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["lang"] == "de"


async def test_the_message_follows_the_requested_language(probe):
    english = (await probe.post("/probe/conflict?lang=en")).json()
    assert english["title"] == "This was changed in the meantime. Please reload and try again."


async def test_an_unexpected_error_reveals_no_internals(probe):
    response = await probe.post("/probe/crash")
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "passwd" not in response.text
    assert "Traceback" not in response.text


async def test_an_unknown_route_is_a_problem_not_a_stack_trace(probe):
    response = await probe.get("/nowhere")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


async def test_a_wrong_method_is_named_as_such(probe):
    response = await probe.get("/probe/conflict")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
