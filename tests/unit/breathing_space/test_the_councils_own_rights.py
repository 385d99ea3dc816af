"""The council's own rights as a creditor (Debt Respite Scheme regulations 2020): a review request within 20 days
beginning with the day the moratorium started (reg 17), giving its grounds and evidence; a court application within
50 days (reg 19). The limits are the regulations', not settings."""

from __future__ import annotations

from datetime import date

import pytest

from services.breathing_space.domain.creditor_rights import (
    ReviewGround,
    check_review_request,
    court_application_deadline,
    deadline_on,
    review_request_deadline,
)
from services.breathing_space.domain.notifications import parse_notification

START = date(2025, 3, 1)
EVIDENCE = ["EVID-2025-0412"]


def test_the_start_day_is_the_first_of_the_twenty_days_for_a_review_request() -> None:
    assert review_request_deadline(START) == date(2025, 3, 20)


def test_the_start_day_is_the_first_of_the_fifty_days_for_a_court_application() -> None:
    assert court_application_deadline(START) == date(2025, 4, 19)


def test_days_left_count_down_to_the_last_day_and_go_negative_after_it() -> None:
    assert deadline_on(date(2025, 3, 20), date(2025, 3, 18)).days_left == 2
    assert not deadline_on(date(2025, 3, 20), date(2025, 3, 20)).passed
    late = deadline_on(date(2025, 3, 20), date(2025, 3, 21))
    assert late.passed and late.days_left == -1


def test_a_request_on_the_last_of_the_twenty_days_may_be_sent() -> None:
    assert (
        check_review_request(
            grounds=[ReviewGround.SUFFICIENT_FUNDS],
            evidence_references=EVIDENCE,
            took_effect_on=START,
            today=date(2025, 3, 20),
        )
        is None
    )


def test_a_request_after_the_twenty_days_is_refused_with_the_day_they_ended() -> None:
    refused = check_review_request(
        grounds=[ReviewGround.UNFAIR_PREJUDICE],
        evidence_references=EVIDENCE,
        took_effect_on=START,
        today=date(2025, 3, 21),
    )
    assert refused is not None and "2025-03-20" in refused.reason


@pytest.mark.parametrize(
    ("grounds", "evidence", "reason"),
    [([], EVIDENCE, "ground"), ([ReviewGround.NOT_A_QUALIFYING_DEBT], [" "], "evidence")],
)
def test_a_request_needs_a_ground_and_its_evidence(
    grounds: list[ReviewGround], evidence: list[str], reason: str
) -> None:
    refused = check_review_request(
        grounds=grounds, evidence_references=evidence, took_effect_on=START, today=START
    )
    assert refused is not None and reason in refused.reason


def test_the_grounds_are_the_four_of_regulation_17() -> None:
    assert {g.value for g in ReviewGround} == {
        "unfair_prejudice",
        "debtor_not_eligible_when_applied",
        "not_a_qualifying_debt",
        "debtor_has_sufficient_funds",
    }


def test_an_outbound_review_request_with_a_ground_outside_regulation_17_is_refused() -> None:
    from pathlib import Path

    example = (
        Path(__file__).resolve().parents[3]
        / "services/breathing_space/examples/creditor_review_requested.json"
    )
    text = example.read_text().replace("debtor_has_sufficient_funds", "we_would_rather_not")
    parsed = parse_notification(text)
    assert parsed.notification is None and parsed.refusal and "grounds" in parsed.refusal
