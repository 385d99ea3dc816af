"""Recovery asks for write-offs (`recovery.write_off.requested`): the intake handler, with in-memory stores and
the events it would publish collected, no broker or database."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.writeoff import intake, standing
from services.writeoff.dependencies import WriteOff
from services.writeoff.domain import BANDS_DIRECTORY, load_every_council_policy
from services.writeoff.settings import WriteOffSettings
from services.writeoff.stores import WriteOffStores
from shared.clock import BusinessClock
from shared.contracts.billing import DebtRaised
from shared.contracts.envelope import Envelope
from shared.contracts.recovery import WriteOffRequested
from shared.contracts.writeoff import WriteOffRejected
from shared.messaging.event_writer import CollectedEvents
from shared.messaging.inbox_router import Handling
from tests.unit.writeoff.in_memory_stores import TODAY, InMemoryStores

POLICIES = load_every_council_policy(BANDS_DIRECTORY)


def write_off_service(council: str = "derby") -> WriteOff:
    """The service as its handlers see it, configured for `council` (no runtime: nothing here runs one)."""
    return WriteOff(
        settings=WriteOffSettings(council=council),
        runtime=None,  # type: ignore[arg-type]
        policies=POLICIES,
        clock=BusinessClock(TODAY),
    )


def recovery_asks(debt_id: UUID, **overrides: Any) -> WriteOffRequested:
    values: dict[str, Any] = dict(
        request_id=uuid4(),
        case_id=uuid4(),
        debt_id=debt_id,
        customer_id=None,
        debt_type="sundry",
        income_code="PK100",
        originating_service="Parking Services",
        financial_year="2025/26",
        amount_pence=800_00,
        reason_code="absconded_untraceable",
        evidence=["trace report TR-1"],
        requested_by="recovery",
        requested_on=TODAY,
    )
    values.update(overrides)
    return WriteOffRequested(**values)


class Intake:
    """The intake of one configured service, over in-memory stores."""

    def __init__(self, council: str = "derby") -> None:
        self.memory = InMemoryStores()
        self.service = write_off_service(council)
        self.published = CollectedEvents(producer="writeoff")

    def handling(self) -> Handling[WriteOffStores, WriteOff]:
        return Handling(self.memory.as_stores(), self.published, self.service)

    async def hears(self, *requests: WriteOffRequested) -> list[Envelope]:
        envelopes = [Envelope.wrap(r, producer="recovery") for r in requests]
        await intake.write_off_requested(list(zip(requests, envelopes, strict=True)), self.handling())
        return envelopes

    def status(self, request: WriteOffRequested) -> str:
        return str(self.memory.requests.kept[request.request_id].status)

    def rejections(self) -> list[WriteOffRejected]:
        return [m for m in self.published.messages if isinstance(m, WriteOffRejected)]


async def test_a_request_for_a_debt_that_can_be_written_off_awaits_a_schedule() -> None:
    desk = Intake()
    debt_id = uuid4()
    desk.memory.standing.knows(debt_id, 800_00, "customer-1")
    request = recovery_asks(debt_id)
    await desk.hears(request)
    assert desk.status(request) == "pending"
    assert desk.memory.requests.kept[request.request_id].customer_id == "customer-1"
    assert desk.published.messages == []


async def test_a_debt_on_hold_is_refused_and_recovery_is_told_why_by_a_message_caused_by_its_request() -> (
    None
):
    desk = Intake()
    debt_id = uuid4()
    desk.memory.standing.knows(debt_id, 800_00, on_hold=True, hold_reason="dispute")
    request = recovery_asks(debt_id)
    (envelope,) = await desk.hears(request)
    assert desk.status(request) == "rejected"
    (rejection,) = desk.rejections()
    assert rejection.request_id == request.request_id and rejection.case_id == request.case_id
    assert rejection.refusal_codes == ["debt_on_hold"]
    assert "on hold (dispute)" in rejection.reason
    assert rejection.rejected_on == TODAY
    assert desk.published.envelopes[0].causation_id == envelope.event_id


async def test_no_more_than_the_balance_can_be_written_off() -> None:
    desk = Intake()
    debt_id = uuid4()
    desk.memory.standing.knows(debt_id, 500_00)
    request = recovery_asks(debt_id, amount_pence=500_01)
    await desk.hears(request)
    assert desk.rejections()[0].refusal_codes == ["amount_exceeds_balance"]


async def test_a_request_heard_before_its_debt_waits_until_billing_raises_it() -> None:
    desk = Intake()
    debt_id = uuid4()
    request = recovery_asks(debt_id)
    await desk.hears(request)
    assert desk.status(request) == "awaiting_debt"
    raised = DebtRaised(
        debt_id=debt_id,
        customer_ids=[uuid4()],
        debt_type="sundry",
        amount_pence=800_00,
        financial_year="2025/26",
        due_date=date(2025, 6, 1),
        raised_on=date(2025, 5, 1),
        originating_service="Parking Services",
        income_code="PK100",
        external_reference="INV-1",
        evidence_reference="invoice",
    )
    await standing.debts_raised([(raised, Envelope.wrap(raised, producer="billing"))], desk.handling())
    assert desk.status(request) == "pending"


async def test_only_one_request_per_debt_awaits_a_decision_at_a_time() -> None:
    desk = Intake()
    debt_id = uuid4()
    desk.memory.standing.knows(debt_id, 800_00)
    first, second = recovery_asks(debt_id), recovery_asks(debt_id)
    await desk.hears(first, second)
    assert (desk.status(first), desk.status(second)) == ("pending", "rejected")
    assert desk.rejections()[0].refusal_codes == ["already_requested"]


async def test_the_same_request_published_twice_is_kept_once() -> None:
    desk = Intake()
    debt_id = uuid4()
    desk.memory.standing.knows(debt_id, 800_00)
    request = recovery_asks(debt_id)
    await desk.hears(request, request)
    await desk.hears(request)
    assert list(desk.memory.requests.kept) == [request.request_id]
    assert desk.status(request) == "pending"
    assert desk.published.messages == []


async def test_a_request_naming_a_council_by_recovery_s_name_is_decided_under_that_council() -> None:
    desk = Intake("derby")
    debt_id = uuid4()
    desk.memory.standing.knows(debt_id, 800_00)
    request = recovery_asks(debt_id, council="sundry_policy_council")
    await desk.hears(request)
    assert desk.memory.requests.kept[request.request_id].council == "district_sundry"


@pytest.mark.parametrize(
    ("council", "status"), [("derby", "pending"), ("nelc", "rejected")], ids=["derby", "nelc"]
)
async def test_two_services_configured_for_different_councils_each_apply_their_own_reasons(
    council: str, status: str
) -> None:
    # Derby accepts "serious hardship" as a reason; North East Lincolnshire's list has no such reason.
    desk = Intake(council)
    debt_id = uuid4()
    desk.memory.standing.knows(debt_id, 800_00)
    request = recovery_asks(debt_id, reason_code="serious_hardship")
    await desk.hears(request)
    assert desk.memory.requests.kept[request.request_id].council == council
    assert desk.status(request) == status


async def test_two_bootstrapped_services_in_one_process_each_decide_under_their_own_council() -> None:
    from services.writeoff.bootstrap import bootstrap

    derby, nelc = bootstrap(council="derby"), bootstrap(council="nelc")
    assert derby.runtime is not nelc.runtime
    outcomes = {}
    for service in (derby, nelc):
        desk = Intake()
        desk.service = service
        debt_id = uuid4()
        desk.memory.standing.knows(debt_id, 800_00)
        request = recovery_asks(debt_id, reason_code="serious_hardship")
        await desk.hears(request)
        kept = desk.memory.requests.kept[request.request_id]
        outcomes[service.settings.council] = (kept.council, str(kept.status))
    assert outcomes == {"derby": ("derby", "pending"), "nelc": ("nelc", "rejected")}
