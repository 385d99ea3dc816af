"""A bad file is refused whole: nothing in it is applied, it is kept with a report of every problem, the council
is alerted, and the agent is told by a rejection file."""

from __future__ import annotations

from datetime import date

import pytest

from services.agents_gateway.domain.file_format import FileKind
from services.agents_gateway.domain.openpgp import sign_and_encrypt
from services.agents_gateway.domain.records import PaymentCollected, PlacementAcknowledged
from tests.council_bus import fetch_value
from tests.integration.agents_gateway.conftest import (
    AGENT,
    a_council_tax_referral,
    placed_with_the_agent,
    placement_status,
    published,
)


def acknowledgement_and_payment(case: str) -> list:
    return [
        PlacementAcknowledged(case_reference=case, agent_reference="BR-7", acknowledged_on=date(2026, 6, 3)),
        PaymentCollected(
            case_reference=case,
            agent_reference="BR-7",
            payment_reference=f"BAD-{case[:8]}",
            amount_pence=99_00,
            collected_on=date(2026, 6, 4),
        ),
    ]


async def quarantined_on_poll(http, name: str) -> dict:
    files = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    [outcome] = [f for f in files if f["file_name"] == name]
    assert outcome["outcome"] == "quarantined", outcome
    return outcome


async def nothing_applied(referral) -> None:
    assert await placement_status(referral.referral_id) == "sent"
    assert (
        await published("agents_gateway.placement.acknowledged", "referral_id", str(referral.referral_id))
        == []
    )
    assert await published("agents_gateway.payment.collected", "debt_id", str(referral.debt_id)) == []
    assert (
        await fetch_value(
            "SELECT count(*) FROM agents_gateway.agent_payment WHERE referral_id = $1", referral.referral_id
        )
        == 0
    )
    assert (
        await fetch_value(
            "SELECT count(*) FROM agents_gateway.agent_activity WHERE referral_id = $1", referral.referral_id
        )
        == 0
    )


async def alerted_and_rejected(agent, name: str, sha256: str, code: str) -> None:
    [alert] = await published("agents_gateway.file.quarantined", "file_sha256", sha256)
    assert alert["file_name"] == name and any(problem.startswith(code) for problem in alert["problems"])
    stored = await fetch_value(
        "SELECT length(content) FROM agents_gateway.received_file WHERE sha256 = $1 AND outcome = 'quarantined'",
        sha256,
    )
    assert stored and stored > 0, "the file is kept whole"
    rejections = [
        record
        for report in agent.council_files(FileKind.FILE_REJECTION)
        for record in report.records
        if record.rejected_file_sha256 == sha256
    ]
    assert code in {record.code for record in rejections}


@pytest.fixture
async def placed(gateway, http, agent):
    referral = await a_council_tax_referral()
    await placed_with_the_agent(http, agent, referral)
    return referral


async def test_a_tampered_file_is_quarantined_with_nothing_applied(http, agent, placed):
    name, _, protected = agent.returns_file(acknowledgement_and_payment(str(placed.referral_id)))
    tampered = bytearray(protected)
    tampered[len(tampered) // 2] ^= 0xFF
    agent.upload(name, bytes(tampered))
    outcome = await quarantined_on_poll(http, name)
    assert outcome["problems"][0].startswith("damaged_ciphertext")
    await nothing_applied(placed)
    await alerted_and_rejected(agent, name, outcome["sha256"], "damaged_ciphertext")


async def test_a_file_signed_with_the_wrong_key_is_quarantined_with_nothing_applied(
    http, agent, placed, stranger_key
):
    name, _, protected = agent.returns_file(
        acknowledgement_and_payment(str(placed.referral_id)), sign_with=stranger_key.private_armoured
    )
    agent.upload(name, protected)
    outcome = await quarantined_on_poll(http, name)
    assert outcome["problems"] == [
        "bad_signature: the file is signed, but not with the agent's registered key"
    ]
    await nothing_applied(placed)
    await alerted_and_rejected(agent, name, outcome["sha256"], "bad_signature")


async def test_a_file_encrypted_to_another_key_is_quarantined(http, agent, placed, stranger_key):
    name, _, protected = agent.returns_file(
        acknowledgement_and_payment(str(placed.referral_id)), encrypt_to=stranger_key.public_armoured
    )
    agent.upload(name, protected)
    outcome = await quarantined_on_poll(http, name)
    assert outcome["problems"][0].startswith("wrong_key")
    await nothing_applied(placed)


async def test_a_truncated_file_is_quarantined_with_nothing_applied(http, agent, placed):
    name, plaintext, _ = agent.returns_file(acknowledgement_and_payment(str(placed.referral_id)))
    # Signed and encrypted properly, but the content stops after the first record: no trailer.
    cut = plaintext[: plaintext.index(b"\n", plaintext.index(b"\n") + 1) + 1]
    agent.upload(name, sign_and_encrypt(cut, agent.agent_private_key, agent.council_public_key))
    outcome = await quarantined_on_poll(http, name)
    assert any(problem.startswith("truncated") for problem in outcome["problems"])
    await nothing_applied(placed)
    await alerted_and_rejected(agent, name, outcome["sha256"], "truncated")


async def test_a_truncated_download_is_quarantined(http, agent, placed):
    name, _, protected = agent.returns_file(acknowledgement_and_payment(str(placed.referral_id)))
    agent.upload(name, protected[: len(protected) - 200])
    outcome = await quarantined_on_poll(http, name)
    assert outcome["problems"][0].startswith("damaged_ciphertext")
    await nothing_applied(placed)


async def test_an_unknown_case_and_an_invalid_record_are_both_reported_and_nothing_is_applied(
    http, agent, placed
):
    case = str(placed.referral_id)
    name, plaintext, _ = agent.returns_file(
        [
            *acknowledgement_and_payment(case),
            PlacementAcknowledged(
                case_reference="NOT-OURS", agent_reference="X", acknowledged_on=date(2026, 6, 3)
            ),
        ]
    )
    # The agent's system wrote a payment with a negative amount on line 3 (trailer recomputed by a careless fix
    # would still not save it: the record itself is invalid).
    lines = plaintext.split(b"\n")
    lines[2] = lines[2].replace(b'"amount_pence":9900', b'"amount_pence":-9900')
    agent.upload(name, sign_and_encrypt(b"\n".join(lines), agent.agent_private_key, agent.council_public_key))
    outcome = await quarantined_on_poll(http, name)
    codes = [problem.split(" ")[0] for problem in outcome["problems"]]
    assert "invalid_record" in codes and "unknown_case" in codes and "trailer_hash_mismatch" in codes
    assert any("(line 3)" in problem for problem in outcome["problems"])
    assert any(
        "(line 4)" in problem and problem.startswith("unknown_case") for problem in outcome["problems"]
    )
    await nothing_applied(placed)

    status = (await http.get("/status")).json()
    assert status["status"] == "alert" and status["quarantined"] >= 1
    listed = [f for f in (await http.get("/quarantine")).json() if f["sha256"] == outcome["sha256"]]
    assert listed and listed[0]["rejection_sent"] is True
    assert len(listed[0]["problems"]) == len(outcome["problems"])

    # An officer deals with it; the file and its report stay, the alert for it closes.
    file_id = listed[0]["file_id"]
    resolved = await http.post(
        f"/quarantine/{file_id}/resolve",
        json={"resolution": "agent resent the file corrected"},
    )
    assert resolved.status_code == 200
    [after] = [f for f in (await http.get("/quarantine")).json() if f["file_id"] == file_id]
    # Who resolved it is the signed-in officer, never a field of the request.
    assert "agents.officer" in after["resolved_by"] and after["problems"] == listed[0]["problems"]
    again = await http.post(f"/quarantine/{file_id}/resolve", json={"resolution": "again"})
    assert again.status_code == 404


async def test_the_same_bad_file_fetched_twice_is_quarantined_once(http, agent, placed):
    name, _, protected = agent.returns_file(acknowledgement_and_payment(str(placed.referral_id)))
    tampered = protected[:-50] + bytes(50)
    agent.upload(name, tampered)
    outcome = await quarantined_on_poll(http, name)
    files = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    assert [f["outcome"] for f in files if f["file_name"] == name] == ["duplicate"]
    assert len(await published("agents_gateway.file.quarantined", "file_sha256", outcome["sha256"])) == 1
