"""NELC 5.11: accounts receivable write-offs by Budget Holder (max £1,000), Service Manager (max £5,000),
Assistant Director (max £10,000), S151 or Deputy (up to £50,000), Cabinet (over £50,000)."""

from __future__ import annotations

import pytest

from services.writeoff.domain import RefusalCode, schedule_hash, sign_schedule
from shared.money import pounds_to_pence

from .write_off_lines import SIGNED_AT, a_line, a_schedule, an_approver, council_policy

NELC = council_policy("nelc")


@pytest.mark.parametrize(
    ("pounds", "band"),
    [
        ("1000", "budget_holder"),
        ("1000.01", "service_manager"),
        ("5000", "service_manager"),
        ("5000.01", "assistant_director"),
        ("10000", "assistant_director"),
        ("10000.01", "section_151_officer"),
        ("50000", "section_151_officer"),
        ("50000.01", "cabinet"),
    ],
)
def test_nelc_accounts_receivable_boundaries_follow_the_table(pounds: str, band: str) -> None:
    assert NELC.required_band(pounds_to_pence(pounds), "sundry").name == band


@pytest.mark.parametrize(
    ("role", "pounds", "accepted"),
    [
        ("budget_holder", "1000", True),
        ("budget_holder", "1000.01", False),
        ("service_manager", "5000", True),
        ("assistant_director", "10000", True),
        ("assistant_director", "10001", False),
        ("deputy_section_151_officer", "50000", True),
        ("section_151_officer", "50000.01", False),
    ],
)
def test_each_nelc_officer_signs_only_within_their_band(role: str, pounds: str, accepted: bool) -> None:
    schedule = a_schedule(a_line(1, pounds, council="nelc", reason="no_proof_of_debt"))
    outcome = sign_schedule(
        schedule, NELC, an_approver("p-1", role), schedule_hash(schedule), SIGNED_AT, [], True
    )
    assert outcome.accepted is accepted


def test_nelc_council_tax_write_offs_go_to_the_section_151_officer_or_cabinet() -> None:
    assert NELC.required_band(pounds_to_pence("800"), "council_tax").name == "section_151_officer"
    assert NELC.required_band(pounds_to_pence("60000"), "council_tax").name == "cabinet"


def test_a_budget_holder_cannot_sign_a_council_tax_write_off() -> None:
    schedule = a_schedule(a_line(1, "800", council="nelc", debt_type="council_tax"))
    outcome = sign_schedule(
        schedule, NELC, an_approver("bh-1", "budget_holder"), schedule_hash(schedule), SIGNED_AT, [], True
    )
    assert [r.code for r in outcome.refusals] == [RefusalCode.BEYOND_BAND]
