"""Every call carries the officer's own token, and each answer a service can give becomes what the page says:
a refusal with the service's reason, a thing not found, a route the service does not offer, a service away."""

from __future__ import annotations

import httpx
import pytest

from services.workbench.clients import (
    DidNotAnswer,
    NotAllowed,
    NotFound,
    NotOffered,
    NotSignedIn,
    Refused,
    ServiceClient,
)


def client_answering(status: int, body: object, seen: list[httpx.Request] | None = None) -> ServiceClient:
    def answer(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=body)

    http = httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://recovery.test")
    return ServiceClient("recovery", http, "officer-token")


async def test_the_officer_s_token_goes_as_the_bearer_token():
    seen: list[httpx.Request] = []
    assert await client_answering(200, {"ok": True}, seen).post("/cases/1/holds", {"kind": "dispute"}) == {
        "ok": True
    }
    assert seen[0].headers["authorization"] == "Bearer officer-token"


@pytest.mark.parametrize(
    ("status", "body", "problem", "reason"),
    [
        (401, {"detail": {"reason": "token expired"}}, NotSignedIn, "token expired"),
        (403, {"detail": {"reason": "holds none of the roles"}}, NotAllowed, "holds none of the roles"),
        (404, {"detail": "no recovery case 1"}, NotFound, "no recovery case 1"),
        (404, {"detail": "Not Found"}, NotOffered, "not available from recovery"),
        (405, {"detail": "Method Not Allowed"}, NotOffered, "not available from recovery"),
        (409, {"detail": "hold 1 was already lifted"}, Refused, "hold 1 was already lifted"),
        (
            422,
            {"detail": [{"loc": ["body", "review_on"], "msg": "Field required"}]},
            Refused,
            "review_on: Field required",
        ),
        (503, {"detail": "database away"}, DidNotAnswer, "recovery failed (503)"),
    ],
)
async def test_each_answer_becomes_what_the_officer_is_told(status, body, problem, reason):
    with pytest.raises(problem) as raised:
        await client_answering(status, body).get("/cases/1")
    assert raised.value.reason == reason


async def test_a_service_that_does_not_answer_is_named():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(refuse), base_url="http://billing.test")
    with pytest.raises(DidNotAnswer) as raised:
        await ServiceClient("billing", http, "t").get("/customers")
    assert raised.value.reason == "billing did not answer (ConnectError)"


async def test_the_trays_and_the_single_view_ask_each_service_by_its_own_route():
    from uuid import UUID

    from services.workbench.clients.agents_gateway import AgentsGatewayApi
    from services.workbench.clients.breathing_space import BreathingSpaceApi
    from services.workbench.clients.recovery import RecoveryApi

    customer = UUID("0190a000-0000-7000-8000-000000000001")
    seen: list[httpx.Request] = []
    assert await RecoveryApi(
        client_answering(200, {"holds": [{"case_id": "c"}]}, seen)
    ).holds_due_for_review() == [{"case_id": "c"}]
    assert (
        await BreathingSpaceApi(client_answering(200, {"moratoria": []}, seen)).customer_moratoria(customer)
        == []
    )
    assert await AgentsGatewayApi(client_answering(200, [], seen)).placements_of_customer(customer) == []
    assert [(r.url.path, dict(r.url.params)) for r in seen] == [
        ("/holds/due-for-review", {}),
        (f"/customers/{customer}/moratoria", {}),
        ("/placements", {"customer_id": str(customer)}),
    ]
