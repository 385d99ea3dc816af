"""Court results files over HTTP (`COURT_RESULTS.md`): an officer uploads the court's file as the request body
(`Content-Type: text/csv`; a revenues or senior officer); it is applied whole or quarantined whole with the report of every bad row. The same
file sent again (the same bytes) is answered with what became of it the first time, and nothing is applied again.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from services.recovery.court_results_files import QUARANTINED, receive_court_results
from services.recovery.http import Officer, Reader, Service
from services.recovery.stores import RecoveryStores

router = APIRouter()

MOST_BYTES = 20 * 1024 * 1024


@router.post(
    "/court-results-files",
    status_code=201,
    responses={
        200: {"description": "This file (the same bytes) was received before: what became of it then"},
        201: {"description": "Every row applied"},
        422: {"description": "Quarantined whole: nothing applied; `problems` names each bad row and why"},
    },
)
async def upload_court_results(
    request: Request,
    service: Service,
    officer: Officer,
    file_name: str = Query(min_length=1, max_length=200, description="The file's name, for the record"),
) -> JSONResponse:
    """Receive a court results file (one CSV row per summons: granted, adjourned, withdrawn or paid)."""
    content = await request.body()
    if not content:
        raise HTTPException(422, "the request body is the court results file (text/csv), and it is empty")
    if len(content) > MOST_BYTES:
        raise HTTPException(413, f"a court results file is at most {MOST_BYTES} bytes")
    verdict = await receive_court_results(service, file_name, content, "upload", officer.recorded_as)
    body: dict[str, Any] = {**asdict(verdict.receipt), "already_received": not verdict.first_time}
    body["received_on"] = verdict.receipt.received_on.isoformat()
    if not verdict.first_time:
        return JSONResponse(body, status_code=200)
    return JSONResponse(body, status_code=422 if verdict.receipt.status == QUARANTINED else 201)


@router.get("/court-results-files/{sha256}")
async def court_results_file(sha256: str, service: Service, _: Reader) -> dict[str, Any]:
    """What became of a court results file, by its sha256: applied, or quarantined with the report."""
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        receipt = await handling.stores.court_results_files.receipt(sha256.lower())
    if receipt is None:
        raise HTTPException(404, f"no court results file with sha256 {sha256}")
    return asdict(receipt)
