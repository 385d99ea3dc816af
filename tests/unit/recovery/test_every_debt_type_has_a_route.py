"""Every debt type of DOMAIN.md 1 has a recovery route in every council's policy file, or a reason the file
gives for having none; a file that leaves a type with neither is refused at start-up naming the type, and a case
of a type without a route is opened with that reason on its record, never silently left without steps."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from services.recovery.bootstrap import bootstrap
from services.recovery.cases import open_recovery_case
from services.recovery.council_policies import NO_RECOVERY_ROUTE
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.policy import StepKind
from services.recovery.domain.policy_loader import PolicyFileError, load_policy_directory
from shared.clock import BusinessClock
from tests.unit.recovery.in_memory_stores import InMemoryRecovery
from tests.unit.recovery.test_recovery_handlers_in_memory import a_sundry_invoice

from .timetable_walk import shipped_books, shipped_policy

COUNCILS = ("derby", "nelc", "rbwm", "sundry_policy_council")


@pytest.mark.parametrize("council", COUNCILS)
def test_every_debt_type_has_a_route_or_a_stated_reason(council: str) -> None:
    book = shipped_books()[council]
    routed = {p.debt_type for p in book.policies if p.group is None}
    reasons = dict(book.no_route)
    for debt_type in DebtType:
        assert (debt_type in routed) != (debt_type in reasons), debt_type
        if debt_type in reasons:
            assert reasons[debt_type].split(":")[0].strip(), (
                debt_type
            )  # each reason cites the council's section


def test_a_policy_file_leaving_a_debt_type_without_route_or_reason_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    text = (Path(__file__).resolve().parents[3] / "services/recovery/policies/nelc.yaml").read_text()
    (tmp_path / "nelc.yaml").write_text(
        text.replace('  legal_costs: "NELC 1.2', '  # legal_costs: "NELC 1.2')
    )
    with pytest.raises(PolicyFileError) as refused:
        load_policy_directory(tmp_path)
    assert "no recovery route for legal_costs" in refused.value.reason
    assert refused.value.source.endswith("nelc.yaml")


def test_a_debt_type_with_both_a_route_and_a_reason_is_refused(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[3] / "services/recovery/policies/derby.yaml").read_text()
    (tmp_path / "derby.yaml").write_text(text + '  sundry: "no"\n')
    with pytest.raises(PolicyFileError) as refused:
        load_policy_directory(tmp_path)
    assert "sundry has a route" in refused.value.reason


def test_derby_adult_social_care_starts_with_the_quarterly_statement_and_goes_to_officers_not_agents() -> (
    None
):
    policy = shipped_policy("derby", "adult_social_care")
    assert policy.steps[0].kind is StepKind.STATEMENT_OF_ACCOUNT
    assert policy.steps[0].trigger.anchor.value == "quarter_end"
    assert not policy.allows_agent_referral()


@pytest.mark.parametrize("debt_type", ["council_housing_rent", "temporary_accommodation"])
def test_derby_rent_follows_the_pre_action_protocol_before_any_claim(debt_type: str) -> None:
    policy = shipped_policy("derby", debt_type)
    names = [s.name for s in policy.steps]
    assert names == ["arrears_reminder", "pre_action_protocol_letter", "possession_or_money_claim"]
    assert policy.step_named("possession_or_money_claim").kind is StepKind.LEGAL_REFERRAL
    assert not policy.allows_agent_referral()  # rent is never placed with agents by timetable


@pytest.mark.parametrize("council", ["derby", "rbwm"])
def test_a_pcn_is_registered_at_the_traffic_enforcement_centre_before_any_agent(council: str) -> None:
    policy = shipped_policy(council, "penalty_charge_notice")
    assert [s.name for s in policy.steps] == [
        "notice_to_owner",
        "charge_certificate",
        "traffic_enforcement_centre_registration",
    ]
    assert [s.trigger.days for s in policy.steps[:2]] == [
        28,
        28,
    ]  # 28 days to pay, then 28 after the notice to owner
    assert not policy.allows_agent_referral()


def test_rbwm_housing_loans_withhold_further_loans_and_bed_and_breakfast_has_three_reminders() -> None:
    loans = shipped_policy("rbwm", "sundry", "housing_loans")
    assert loans.steps[-1].kind is StepKind.WITHDRAWAL_OF_SERVICE
    bed_and_breakfast = shipped_policy("rbwm", "temporary_accommodation")
    assert [s.kind for s in bed_and_breakfast.steps] == [
        StepKind.REMINDER,
        StepKind.SECOND_REMINDER,
        StepKind.THIRD_REMINDER,
        StepKind.ORIGINATING_SECTION_REVIEW,
    ]


async def test_a_case_with_no_route_is_opened_with_the_councils_reason_on_its_record() -> None:
    service = dataclasses.replace(bootstrap(council="nelc"), clock=BusinessClock(date(2026, 4, 1)))
    recovery = InMemoryRecovery(service)
    debt = a_sundry_invoice(
        debt_type="penalty_charge_notice", originating_service="Parking", income_code="PCN01"
    )

    await open_recovery_case(debt, recovery.handling())

    case = recovery.case_of(debt.debt_id)
    assert (case.status, case.next_step_name) == ("open", None)
    (reason,) = [e for e in recovery.record.entries if e.entry == NO_RECOVERY_ROUTE]
    assert "NELC 1.2: penalty charge notices are not within the strategy" in reason.summary
