"""A referred case is placed with the agent by file over SFTP; the agent's acknowledgement, payment, fee and
stage come back the same way and are published for billing and recovery."""

from __future__ import annotations

from datetime import date

from services.agents_gateway.domain.openpgp import decrypt_and_verify, sign_and_encrypt
from services.agents_gateway.domain.records import (
    CaseReturned,
    FeeCharged,
    FeeStage,
    PaymentCollected,
    PlacementAcknowledged,
    ReturnReason,
    StatusUpdate,
    VulnerabilityReferral,
)
from tests.council_bus import eventually, fetch_value
from tests.integration.agents_gateway.conftest import (
    AGENT,
    a_council_tax_referral,
    placed_with_the_agent,
    placement_status,
    published,
)


async def test_a_referral_is_placed_acknowledged_and_paid_through_files(gateway, http, agent):
    referral = await a_council_tax_referral(balance_pence=850_00)
    case = str(referral.referral_id)

    placement = await placed_with_the_agent(http, agent, referral)
    assert placement.debtor.name == "Jane Example"
    assert placement.debtor.address.postcode == "DE1 1AA"
    [debt] = placement.debts
    assert debt.balance_pence == 850_00
    assert debt.liability_order is not None
    assert debt.liability_order.order_reference == referral.liability_order_reference
    assert await placement_status(referral.referral_id) == "sent"
    sent = await fetch_value(
        "SELECT count(*) FROM agents_gateway.sent_file f JOIN agents_gateway.placement p "
        "ON p.placed_file_id = f.file_id WHERE p.referral_id = $1 AND length(f.sha256) = 64 AND f.sequence > 0",
        referral.referral_id,
    )
    assert sent == 1

    agent.send_returns(
        [
            PlacementAcknowledged(
                case_reference=case, agent_reference="BR-1001", acknowledged_on=date(2026, 6, 3)
            ),
            StatusUpdate(case_reference=case, stage="compliance", effective_on=date(2026, 6, 3)),
            FeeCharged(
                case_reference=case,
                stage=FeeStage.COMPLIANCE,
                amount_pence=75_00,
                charged_on=date(2026, 6, 3),
            ),
            PaymentCollected(
                case_reference=case,
                agent_reference="BR-1001",
                payment_reference=f"PAY-{case[:8]}",
                amount_pence=200_00,
                collected_on=date(2026, 6, 10),
            ),
        ]
    )
    response = await http.post(f"/agents/{AGENT}/poll-now")
    assert response.status_code == 200
    [outcome] = [f for f in response.json()["files"] if f["outcome"] != "duplicate"]
    assert outcome["outcome"] == "applied", outcome
    assert outcome["record_count"] == 4

    assert await placement_status(referral.referral_id) == "acknowledged"
    [acknowledged] = await published("agents_gateway.placement.acknowledged", "referral_id", case)
    assert acknowledged["agent_reference"] == "BR-1001"
    [payment] = await published("agents_gateway.payment.collected", "debt_id", str(referral.debt_id))
    assert payment == {
        "debt_id": str(referral.debt_id),
        "agent": AGENT,
        "agent_payment_reference": f"PAY-{case[:8]}",
        "amount_pence": 200_00,
        "collected_on": "2026-06-10",
    }
    [fee] = await published("agents_gateway.fee.reported", "debt_id", str(referral.debt_id))
    assert fee["accepted"] is True and fee["findings"] == []
    [stage] = await published("agents_gateway.status.updated", "debt_id", str(referral.debt_id))
    assert stage["stage"] == "compliance"

    # The relay publishes what the transaction committed.
    await eventually(
        lambda: fetch_value(
            "SELECT count(*) FROM agents_gateway.outbox WHERE routing_key = 'agents_gateway.payment.collected' "
            "AND published_at IS NULL"
        ),
        lambda unpublished: unpublished == 0,
    )


async def test_the_same_return_file_fetched_twice_is_applied_once(gateway, http, agent):
    """Uploaded again under another name, or re-encrypted (new ciphertext, same content): applied once."""
    referral = await a_council_tax_referral()
    case = str(referral.referral_id)
    await placed_with_the_agent(http, agent, referral)
    name, _, protected = agent.returns_file(
        [
            PaymentCollected(
                case_reference=case,
                agent_reference="BR-2",
                payment_reference=f"TWICE-{case[:8]}",
                amount_pence=10_00,
                collected_on=date(2026, 6, 10),
            )
        ]
    )
    agent.upload(name, protected)
    first = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    assert [f["outcome"] for f in first if f["file_name"] == name] == ["applied"]

    # The agent uploads the same file again under another name, and re-encrypts it under a third.
    agent.upload("again_" + name, protected)
    keys = gateway.agents.agent(AGENT).keys
    same_content = decrypt_and_verify(protected, keys.our_private_key, keys.agent_public_key)
    agent.upload(
        "reencrypted_" + name,
        sign_and_encrypt(same_content, agent.agent_private_key, agent.council_public_key),
    )
    second = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    ours = {"again_" + name, "reencrypted_" + name}
    assert [f["outcome"] for f in second if f["file_name"] in ours] == ["duplicate", "duplicate"]

    payments = await published("agents_gateway.payment.collected", "debt_id", str(referral.debt_id))
    assert len(payments) == 1


async def test_a_vulnerability_referral_and_a_returned_case_are_published_for_recovery(gateway, http, agent):
    vulnerable = await a_council_tax_referral()
    gone_away = await a_council_tax_referral()
    await placed_with_the_agent(http, agent, vulnerable)
    await placed_with_the_agent(http, agent, gone_away)
    agent.send_returns(
        [
            VulnerabilityReferral(
                case_reference=str(vulnerable.referral_id),
                referred_on=date(2026, 6, 12),
                indicators=["recent bereavement", "mental health condition"],
                notes="debtor asked for time",
            ),
            CaseReturned(
                case_reference=str(gone_away.referral_id),
                returned_on=date(2026, 6, 14),
                reason=ReturnReason.GONE_AWAY,
                balance_remaining_pence=850_00,
            ),
        ]
    )
    files = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    assert [f["outcome"] for f in files if f["outcome"] != "duplicate"] == ["applied"]

    [referral] = await published("agents_gateway.vulnerability.referred", "debt_id", str(vulnerable.debt_id))
    assert referral["indicators"] == ["recent bereavement", "mental health condition"]
    [returned] = await published("agents_gateway.case.returned", "debt_id", str(gone_away.debt_id))
    assert returned["reason"] == "gone_away" and returned["referral_id"] == str(gone_away.referral_id)
    assert await placement_status(gone_away.referral_id) == "returned"
