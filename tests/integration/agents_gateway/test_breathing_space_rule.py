"""Whether a breathing space covers a day is written once, in domain/enforcement_fees.py (fees charged inside one
are flagged); the stores ask the same in SQL to hold back placements of protected debts. Both must answer alike."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest

from services.agents_gateway.domain.enforcement_fees import BreathingSpacePeriod
from services.agents_gateway.stores import AgentsGatewayStores
from services.agents_gateway.stores.breathing_spaces import DebtBreathingSpace

DAY = date(2026, 6, 10)
PERIODS = [
    BreathingSpacePeriod(DAY, None),
    BreathingSpacePeriod(DAY, DAY),
    BreathingSpacePeriod(DAY - timedelta(days=60), DAY - timedelta(days=1)),
    BreathingSpacePeriod(DAY + timedelta(days=1), None),
    BreathingSpacePeriod(DAY - timedelta(days=60), None),
    BreathingSpacePeriod(DAY - timedelta(days=60), DAY + timedelta(days=1)),
]


class _RolledBack(Exception):
    """Leave nothing behind for other tests."""


@pytest.mark.parametrize("period", PERIODS, ids=[f"{p.starts_on}..{p.ends_on}" for p in PERIODS])
async def test_the_sql_says_a_breathing_space_covers_the_day_when_the_domain_does(gateway, period) -> None:
    debt_id, moratorium = uuid4(), f"BS-RULE-{uuid4().hex[:8]}"
    with pytest.raises(_RolledBack):
        async with gateway.runtime.transaction(AgentsGatewayStores.on, gateway) as handling:
            spaces = handling.stores.breathing_spaces
            await spaces.protect(moratorium, "standard", period.starts_on, [debt_id])
            if period.ends_on is not None:
                await spaces.end(moratorium, period.ends_on, [debt_id])
            assert await spaces.of_debts([debt_id]) == [_kept(debt_id, period)]
            assert (debt_id in await spaces.protected_on([debt_id], DAY)) == period.covers(DAY)
            raise _RolledBack


def _kept(debt_id, period: BreathingSpacePeriod) -> DebtBreathingSpace:
    return DebtBreathingSpace(debt_id, period.starts_on, period.ends_on)
