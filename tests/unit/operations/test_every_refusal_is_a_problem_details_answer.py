"""Every refusal an API gives is in one shape an integrator can rely on: RFC 9457 problem details, with the reason
in `detail` (and `reason`), whatever raised it."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from shared.problem_details import PROBLEM_JSON, answer_with_problem_details


class Hold(BaseModel):
    reason: str
    review_on: str


def an_app() -> FastAPI:
    app = FastAPI()

    @app.post("/cases/{case_id}/holds")
    async def apply_hold(case_id: int, hold: Hold) -> dict[str, str]:
        if case_id == 1:
            raise HTTPException(409, detail="hold 1 was already lifted")
        if case_id == 2:
            raise HTTPException(
                422, detail={"reason": "the file was quarantined", "problems": ["line 3: no amount"]}
            )
        raise HTTPException(
            401, detail={"reason": "the token has expired"}, headers={"WWW-Authenticate": "Bearer"}
        )

    answer_with_problem_details(app)
    return app


async def post(path: str, body: object) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=an_app()), base_url="http://recovery"
    ) as client:
        return await client.post(path, json=body)


HOLD = {"reason": "contract review", "review_on": "2026-07-01"}


async def test_a_refusal_in_words_is_a_problem_with_its_status_title_and_reason() -> None:
    answer = await post("/cases/1/holds", HOLD)
    assert answer.status_code == 409 and answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "hold 1 was already lifted",
        "reason": "hold 1 was already lifted",
    }


async def test_what_else_a_refusal_carries_travels_beside_the_reason() -> None:
    answer = (await post("/cases/2/holds", HOLD)).json()
    assert answer["detail"] == "the file was quarantined" and answer["problems"] == ["line 3: no amount"]


async def test_an_unauthenticated_answer_keeps_its_challenge_header() -> None:
    answer = await post("/cases/3/holds", HOLD)
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["detail"] == "the token has expired"


async def test_a_request_that_does_not_fit_says_where_and_what() -> None:
    answer = await post("/cases/1/holds", {"reason": "contract review"})
    body = answer.json()
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM_JSON
    assert body["title"] == "Unprocessable Content" or body["title"] == "Unprocessable Entity"
    assert body["errors"][0]["where"] == "body.review_on" and "review_on" in body["detail"]
