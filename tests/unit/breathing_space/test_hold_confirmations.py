"""Recovery, billing and the agents gateway must each confirm every hold; late ones become alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.breathing_space.domain.hold_confirmations import HoldBroadcast, HoldChange, unconfirmed_holds

SENT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _broadcast(broadcast_id: str = "H-1", at: datetime = SENT) -> HoldBroadcast:
    return HoldBroadcast(broadcast_id, "BS-1", HoldChange.STARTED, at)


def test_every_hold_must_be_confirmed_by_recovery_billing_and_the_agents_gateway() -> None:
    assert _broadcast().awaiting == {"recovery", "billing", "agents_gateway"}


def test_a_hold_confirmed_by_every_service_raises_no_alert() -> None:
    held = _broadcast()
    for service in ("recovery", "billing", "agents_gateway"):
        held = held.confirm(service, SENT + timedelta(seconds=1))
    assert held.fully_confirmed
    assert unconfirmed_holds([held], SENT + timedelta(hours=1)) == []


def test_a_service_that_has_not_confirmed_within_the_window_is_raised() -> None:
    held = _broadcast().confirm("recovery", SENT).confirm("billing", SENT)
    assert unconfirmed_holds([held], SENT + timedelta(minutes=4), allowed=timedelta(minutes=5)) == []
    [alert] = unconfirmed_holds([held], SENT + timedelta(minutes=6), allowed=timedelta(minutes=5))
    assert alert.awaiting == ("agents_gateway",)
    assert alert.waiting_for == timedelta(minutes=6)


def test_alerts_list_the_oldest_first_and_repeat_confirmations_keep_the_first_time() -> None:
    older, newer = _broadcast("H-old", SENT), _broadcast("H-new", SENT + timedelta(minutes=3))
    alerts = unconfirmed_holds([newer, older], SENT + timedelta(minutes=20))
    assert [a.broadcast_id for a in alerts] == ["H-old", "H-new"]
    once = older.confirm("billing", SENT)
    assert once.confirm("billing", SENT + timedelta(minutes=9)).confirmed_by["billing"] == SENT
    assert once.confirm("writeoff", SENT) is once
