"""Signing a schedule: identity, band, segregation of duties, declarations of interest, the exact schedule signed,
and partial approval with reasons."""

from __future__ import annotations

import dataclasses

import pytest

from services.writeoff.domain import (
    Approver,
    DeclarationOfInterest,
    InterestKind,
    RefusalCode,
    lines_hash,
    schedule_hash,
    schedules_awaiting,
    sign_schedule,
)

from .write_off_lines import SIGNED_AT, a_line, a_schedule, an_approver, council_policy

DERBY = council_policy("derby")
HEAD = an_approver("hbs-1", "head_of_business_support_and_debt_management")


def _sign(schedule, approver=HEAD, declarations=(), confirms=True, presented=None, rejections=None):
    return sign_schedule(
        schedule,
        DERBY,
        approver,
        schedule_hash(schedule) if presented is None else presented,
        SIGNED_AT,
        declarations,
        confirms,
        rejections,
    )


def test_a_signature_records_who_when_what_and_the_statement_of_no_interest() -> None:
    schedule = a_schedule(a_line(1, 40_000), a_line(2, 60_000))
    outcome = _sign(schedule)
    assert outcome.accepted and outcome.decision is not None
    signature = outcome.decision.signature
    assert signature is not None
    assert signature.person_id == "hbs-1"
    assert signature.signed_at == SIGNED_AT
    assert signature.schedule_hash == schedule_hash(schedule)
    assert signature.statement_of_no_interest == DERBY.statement_of_no_interest
    assert "no interest" in signature.statement_of_no_interest
    assert outcome.decision.approved_total_pence == 100_000
    assert outcome.decision.rejected_lines == ()


def test_whoever_requested_a_line_cannot_approve_the_schedule() -> None:
    schedule = a_schedule(a_line(1, 100), a_line(2, 100, requested_by="hbs-1"))
    outcome = _sign(schedule)
    assert outcome.decision is None
    assert [(r.code, r.request_id) for r in outcome.refusals] == [(RefusalCode.SELF_APPROVAL, "WO-00002")]


@pytest.mark.parametrize("kind", list(InterestKind))
def test_an_approver_with_a_declared_interest_in_any_line_cannot_sign(kind: InterestKind) -> None:
    schedule = a_schedule(a_line(1, 100), a_line(2, 100, customer_id="ACME-LTD"))
    declaration = DeclarationOfInterest("hbs-1", kind, customer_id="ACME-LTD")
    outcome = _sign(schedule, declarations=[declaration])
    assert outcome.decision is None
    assert [(r.code, r.request_id) for r in outcome.refusals] == [(RefusalCode.DECLARED_INTEREST, "WO-00002")]
    assert str(kind) in outcome.refusals[0].message


def test_an_interest_declared_in_a_particular_debt_blocks_the_signature() -> None:
    schedule = a_schedule(a_line(1, 100))
    declaration = DeclarationOfInterest("hbs-1", InterestKind.FRIEND_OR_NEIGHBOUR, debt_id="DEBT-00001")
    assert _sign(schedule, declarations=[declaration]).refusals[0].code is RefusalCode.DECLARED_INTEREST


def test_someone_elses_declaration_or_an_interest_in_another_customer_does_not_block() -> None:
    schedule = a_schedule(a_line(1, 100))
    declarations = [
        DeclarationOfInterest("colleague", InterestKind.RELATIVE, customer_id="CUST-00001"),
        DeclarationOfInterest("hbs-1", InterestKind.RELATIVE, customer_id="CUST-99999"),
    ]
    assert _sign(schedule, declarations=declarations).accepted


def test_a_signature_without_the_statement_of_no_interest_is_refused() -> None:
    outcome = _sign(a_schedule(a_line(1, 100)), confirms=False)
    assert [r.code for r in outcome.refusals] == [RefusalCode.NO_INTEREST_STATEMENT_MISSING]


def test_a_signature_over_a_changed_schedule_is_refused() -> None:
    presented = a_schedule(a_line(1, 100), a_line(2, 100))
    changed = a_schedule(a_line(1, 100), dataclasses.replace(a_line(2, 100), amount_pence=900_000))
    outcome = _sign(changed, presented=schedule_hash(presented))
    assert outcome.decision is None
    assert [r.code for r in outcome.refusals] == [RefusalCode.SCHEDULE_CHANGED]
    assert _sign(changed, presented=schedule_hash(changed)).accepted


def test_approval_beyond_the_signers_band_is_refused_and_says_where_it_goes() -> None:
    outcome = _sign(a_schedule(a_line(1, 1_000_001)))
    assert [r.code for r in outcome.refusals] == [RefusalCode.BEYOND_BAND]
    assert "Director of Finance" in outcome.refusals[0].message
    assert "£10,000.01" in outcome.refusals[0].message


def test_a_role_outside_every_band_cannot_sign() -> None:
    outcome = _sign(a_schedule(a_line(1, 100)), approver=an_approver("x", "income_officer"))
    assert [r.code for r in outcome.refusals] == [RefusalCode.BEYOND_BAND]


@pytest.mark.parametrize(
    "approver", [None, Approver(person_id="", roles=frozenset({"director_of_finance"})), Approver("dof-1")]
)
def test_a_missing_identity_or_role_is_refused(approver: Approver | None) -> None:
    outcome = _sign(a_schedule(a_line(1, 100)), approver=approver)
    assert outcome.decision is None
    assert [r.code for r in outcome.refusals] == [RefusalCode.IDENTITY_MISSING]


def test_every_reason_for_refusal_is_given_at_once() -> None:
    schedule = a_schedule(a_line(1, 1_500_000, requested_by="hbs-1"))
    outcome = _sign(schedule, confirms=False, presented="0" * 64)
    assert {r.code for r in outcome.refusals} == {
        RefusalCode.SCHEDULE_CHANGED,
        RefusalCode.BEYOND_BAND,
        RefusalCode.SELF_APPROVAL,
        RefusalCode.NO_INTEREST_STATEMENT_MISSING,
    }


def test_partial_approval_writes_off_the_rest_and_returns_rejected_lines_with_reasons() -> None:
    schedule = a_schedule(a_line(1, 10_000), a_line(2, 20_000), a_line(3, 30_000))
    outcome = _sign(schedule, rejections={"WO-00002": "customer traced to a new address"})
    assert outcome.accepted and outcome.decision is not None
    decision = outcome.decision
    assert decision.is_partial
    assert [line.request_id for line in decision.approved_lines] == ["WO-00001", "WO-00003"]
    assert decision.approved_total_pence == 40_000
    assert decision.rejected_total_pence == 20_000
    assert [(r.request_id, r.reason) for r in decision.rejected_lines] == [
        ("WO-00002", "customer traced to a new address")
    ]
    assert decision.schedule_hash == schedule_hash(schedule)
    assert decision.approved_lines_hash == lines_hash("SCH-1", "derby", decision.approved_lines)
    assert decision.approved_lines_hash != decision.schedule_hash


def test_a_rejection_needs_a_reason_and_a_line_that_is_on_the_schedule() -> None:
    schedule = a_schedule(a_line(1, 100))
    outcome = _sign(schedule, rejections={"WO-00001": " ", "WO-77777": "not ours"})
    assert [(r.code, r.request_id) for r in outcome.refusals] == [
        (RefusalCode.REJECTION_REASON_MISSING, "WO-00001"),
        (RefusalCode.REJECTION_OF_UNKNOWN_LINE, "WO-77777"),
    ]


def test_the_approvals_queue_holds_the_schedules_routed_to_the_approvers_band() -> None:
    small = a_schedule(a_line(1, 100), schedule_id="SMALL")
    large = a_schedule(a_line(2, 1_500_000), schedule_id="LARGE")
    director = an_approver("dof-1", "director_of_finance")
    assert [s.schedule_id for s in schedules_awaiting(HEAD, [small, large], DERBY)] == ["SMALL"]
    assert [s.schedule_id for s in schedules_awaiting(director, [small, large], DERBY)] == ["LARGE"]


def test_with_nothing_rejected_the_approved_lines_hash_is_the_hash_of_every_line_signed() -> None:
    schedule = a_schedule(a_line(1, 10_000), a_line(2, 20_000))
    outcome = _sign(schedule)
    assert outcome.decision is not None
    assert outcome.decision.approved_lines_hash == lines_hash("SCH-1", "derby", schedule.lines)
    assert outcome.decision.approved_lines_hash == outcome.decision.schedule_hash
