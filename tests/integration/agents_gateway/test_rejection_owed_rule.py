"""Which quarantined files owe the agent a rejection file is written once, in domain/rejection_file.py; the file
store asks the same in SQL over every quarantined file (the retry of rejections that could not be uploaded, and
the status page's count). Both must answer alike for the same reports."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import text

from services.agents_gateway.domain.file_validation import ProblemCode
from services.agents_gateway.domain.rejection_file import problems_for_the_agent
from services.agents_gateway.stores import AgentsGatewayStores


def problem(code: ProblemCode) -> dict[str, Any]:
    return {"code": code.value, "message": "as found", "line": 2, "case_reference": None}


REPORTS: list[list[dict[str, Any]]] = [
    [problem(ProblemCode.BAD_SIGNATURE)],
    [problem(ProblemCode.COUNCIL_KEY_UNUSABLE)],
    [problem(ProblemCode.COUNCIL_KEY_UNUSABLE), problem(ProblemCode.UNKNOWN_CASE)],
    [problem(ProblemCode.INVALID_RECORD), problem(ProblemCode.TRAILER_HASH_MISMATCH)],
    [],
]

_QUARANTINED = text(
    "INSERT INTO received_file (agent_code, file_name, sha256, outcome, problems) "
    "VALUES ('NOBODY', 'rule.pgp', :sha256, 'quarantined', CAST(:problems AS jsonb)) RETURNING file_id"
)


class _RolledBack(Exception):
    """Leave nothing behind: the status page and the rejection retry of other tests must not see these files."""


@pytest.mark.parametrize("report", REPORTS, ids=[",".join(p["code"] for p in r) or "none" for r in REPORTS])
async def test_a_rejection_is_owed_in_sql_exactly_when_the_domain_says_the_agent_must_hear(
    gateway, report
) -> None:
    with pytest.raises(_RolledBack):
        async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
            file_id = (
                await handling.session.execute(
                    _QUARANTINED, {"sha256": uuid4().hex, "problems": json.dumps(report)}
                )
            ).scalar_one()
            owed = {file.file_id for file in await handling.stores.received_files.rejections_owed()}
            assert (file_id in owed) == bool(problems_for_the_agent(report))
            raise _RolledBack
