"""Rules the write-off service asks in SQL for speed agree with their domain twin on the same cases, in the real
database: which requests still await a decision (`RequestStore.awaiting_decision_by_debt` against
`domain.request_awaits_decision`)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from services.writeoff.domain import Evidence, RequestChannel, RequestStatus, request_awaits_decision
from services.writeoff.stores.requests import RequestStore, StoredRequest
from tests.integration.writeoff.desk import TODAY


class _RollBack(Exception):
    """Leaves nothing behind for the other tests (which schedule every pending request of a council)."""


def a_request(status: RequestStatus) -> StoredRequest:
    return StoredRequest(
        request_id=uuid4(),
        council="derby",
        debt_id=uuid4(),
        case_id=None,
        customer_id="",
        debt_type="sundry",
        debt_area=None,
        income_code="PK100",
        financial_year="2025/26",
        originating_service="Parking Services",
        amount_pence=100_00,
        reason_code="absconded_untraceable",
        evidence=(Evidence("reference", "trace report"),),
        written_report=None,
        requested_by="recovery",
        channel=RequestChannel.RECOVERY_EXHAUSTED,
        requested_on=TODAY,
        status=status,
    )


async def test_the_sql_and_the_domain_agree_on_which_requests_await_a_decision(writeoff_service) -> None:
    requests = [a_request(status) for status in RequestStatus]
    with pytest.raises(_RollBack):
        async with writeoff_service.database.transaction() as session:
            store = RequestStore(session)
            await store.save(requests)
            awaiting = await store.awaiting_decision_by_debt(r.debt_id for r in requests)
            in_sql = {r.status: r.debt_id in awaiting for r in requests}
            raise _RollBack
    assert in_sql == {r.status: request_awaits_decision(r.status) for r in requests}
    assert set(in_sql.values()) == {True, False}  # both sides of the rule are tried
