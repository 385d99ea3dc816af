"""The workbench shows an officer only the actions their roles allow; a person with none of its roles is
not let in at all."""

from __future__ import annotations

from services.workbench.domain.permissions import ROLES_FOR, Action, actions_allowed, may_use_workbench


def test_a_revenues_officer_works_cases_but_authorises_no_refund_and_decides_no_breathing_space_match():
    allowed = actions_allowed({"revenues_officer"})
    assert {Action.APPLY_HOLD, Action.LIFT_HOLD, Action.RECORD_CONTACT, Action.MAKE_ARRANGEMENT} <= allowed
    assert Action.AUTHORISE_REFUND not in allowed
    assert Action.DECIDE_BREATHING_SPACE_MATCH not in allowed


def test_a_senior_officer_authorises_refunds():
    assert Action.AUTHORISE_REFUND in actions_allowed({"senior_officer", "revenues_officer"})


def test_the_auditor_reads_and_does_nothing():
    assert may_use_workbench({"auditor"})
    assert actions_allowed({"auditor"}) == frozenset()


def test_specialist_officers_see_only_their_own_decisions():
    assert actions_allowed({"breathing_space_officer"}) == {Action.DECIDE_BREATHING_SPACE_MATCH}
    assert actions_allowed({"agents_officer"}) == {
        Action.RESOLVE_QUARANTINED_FILE,
        Action.DECIDE_REFUSED_PLACEMENT,
    }


def test_someone_without_a_workbench_role_is_not_let_in():
    assert not may_use_workbench(set())
    assert not may_use_workbench({"council_system", "monitoring", "director_of_finance"})


def test_the_decision_on_an_exhausted_timetable_is_offered_to_whom_recovery_lets_take_it():
    from typing import get_args

    from services.recovery.http import Officer, Reader

    def roles_of(alias: object) -> frozenset[str]:
        (_, depends) = get_args(alias)
        return frozenset(depends.dependency.required_roles)

    # POST /cases/{id}/exhausted-decision takes recovery's Officer; GET /cases/awaiting-decision its Reader.
    assert (
        roles_of(Officer) == ROLES_FOR[Action.DECIDE_EXHAUSTED_CASE] == {"revenues_officer", "senior_officer"}
    )
    assert "auditor" in roles_of(Reader)
    assert Action.DECIDE_EXHAUSTED_CASE not in actions_allowed({"auditor"})
