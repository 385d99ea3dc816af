"""A payment held for consideration on a debt that cannot lawfully be enforced is applied as the write-off officer
decided (issue 19; Derby App.1 §12): accepted, it recovers that much of the write-off and any excess is an
overpayment; refunded, it goes back whole to the payer; reinstated, the reinstatement moves the money."""

from __future__ import annotations

import pytest

from services.billing.domain.payment_for_consideration import (
    Outcome,
    UnknownOutcome,
    apply_considered_payment,
)


def test_an_accepted_payment_recovers_that_much_of_the_write_off_and_refers_nothing():
    applied = apply_considered_payment("accepted", 150_00, 400_00)
    assert applied.outcome is Outcome.ACCEPTED
    assert (applied.recovered_pence, applied.overpaid_pence, applied.refund_pence) == (150_00, 0, 0)
    assert not applied.awaits_reinstatement
    assert "write-off stands" in applied.rule and "nothing is referred" in applied.rule


def test_an_accepted_payment_beyond_what_is_written_off_is_an_overpayment():
    applied = apply_considered_payment("accepted", 500_00, 400_00)
    assert (applied.recovered_pence, applied.overpaid_pence, applied.refund_pence) == (400_00, 100_00, 0)


def test_a_refunded_payment_is_repaid_whole_to_the_payer_and_recovers_nothing():
    applied = apply_considered_payment("refunded", 150_00, 400_00)
    assert (applied.recovered_pence, applied.overpaid_pence, applied.refund_pence) == (0, 0, 150_00)
    assert applied.moves_money


def test_a_reinstated_decision_moves_no_money_itself_the_reinstatement_applies_it():
    applied = apply_considered_payment("reinstated", 150_00, 400_00)
    assert applied.awaits_reinstatement
    assert not applied.moves_money


def test_a_payment_no_longer_held_is_recorded_and_moves_nothing():
    applied = apply_considered_payment("refunded", None, 0)
    assert not applied.moves_money
    assert not applied.awaits_reinstatement
    assert "no longer held" in applied.rule


def test_an_unknown_outcome_is_refused_by_name():
    with pytest.raises(UnknownOutcome, match="written_back"):
        apply_considered_payment("written_back", 150_00, 400_00)


def test_a_held_payment_is_for_more_than_nil():
    with pytest.raises(ValueError):
        apply_considered_payment("accepted", 0, 400_00)
