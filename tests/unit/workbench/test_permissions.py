"""The workbench shows an officer only the actions their roles allow; a person with none of its roles is
not let in at all."""

from __future__ import annotations

from services.workbench.domain.permissions import Action, actions_allowed, may_use_workbench


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
