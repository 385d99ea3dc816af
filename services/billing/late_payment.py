"""Late-payment interest and fees on sundry debt where the council configures them, accrued as of a date, and
frozen (or reversed, when the hold arrives late) while a breathing space covers the debt.

Interest runs on the unpaid charge (the instalment lines), from the day after the due date or the last day
already accrued, to the run's date; the breathing space holds stored for the debt split or stop it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.debt_accounts import (
    DebtAccount,
    Movement,
    accounts,
    balance_events,
    post_movements,
    posting,
)
from services.billing.domain.balances import PostingKind
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.breathing_space_reversal import reversals_for_late_hold
from services.billing.domain.debt_position import reductions_latest_first
from services.billing.domain.late_payment_charges import (
    LatePaymentCharge,
    LatePaymentChargeKind,
    interest_charges,
    late_fee_charge,
)
from services.billing.service import rules
from shared.contracts.billing import CostsAdded
from shared.contracts.envelope import Contract

_DUE_FOR_INTEREST = text(
    """
    SELECT d.debt_id FROM debt d
    WHERE d.status = 'open' AND d.balance_pence > 0 AND d.debt_type = ANY(CAST(:types AS text[]))
      AND d.due_date < :as_of AND (d.interest_accrued_to IS NULL OR d.interest_accrued_to < :as_of)
    """
)

_HOLDS = text(
    "SELECT debt_id, starts_on, ends_on FROM breathing_space_hold WHERE debt_id = ANY(CAST(:debt_ids AS uuid[]))"
)

_ADD_CHARGES = text(
    """
    WITH charge AS (
        SELECT * FROM unnest(CAST(:debts AS uuid[]), CAST(:ordinals AS int[]), CAST(:kinds AS text[]),
            CAST(:amounts AS bigint[]), CAST(:starts AS date[]), CAST(:ends AS date[]),
            CAST(:principals AS bigint[]), CAST(:rates AS numeric[]), CAST(:bases AS int[]))
            AS c(debt_id, ordinal, kind, amount, period_start, period_end, principal, rate, basis)),
    lines AS (
        INSERT INTO debt_line (debt_id, number, kind, due_date, amount_pence, outstanding_pence)
        SELECT c.debt_id, (SELECT coalesce(max(number), 0) FROM debt_line l WHERE l.debt_id = c.debt_id) + c.ordinal,
               c.kind, c.period_end, c.amount, c.amount
        FROM charge c RETURNING debt_id),
    posted AS (
        INSERT INTO posting (debt_id, kind, amount_pence, posted_on, cause_reference, period_start, period_end,
                             principal_pence, annual_interest_percent, day_count_basis)
        SELECT debt_id, kind, amount, :as_of, 'late payment terms', period_start, period_end, principal, rate, basis
        FROM charge RETURNING debt_id)
    UPDATE debt d SET balance_pence = d.balance_pence + t.total, interest_accrued_to = :as_of,
        late_fee_charged = d.late_fee_charged OR t.fee
    FROM (SELECT debt_id, sum(amount) AS total, bool_or(kind = 'late_fee') AS fee FROM charge GROUP BY debt_id) t
    WHERE d.debt_id = t.debt_id RETURNING d.debt_id, d.balance_pence
    """
)


async def holds_by_debt(session: AsyncSession, debt_ids: list) -> dict:  # type: ignore[type-arg]
    """The breathing space holds stored for each debt, as the domain sees them."""
    holds: dict = defaultdict(list)  # type: ignore[type-arg]
    for row in await session.execute(_HOLDS, {"debt_ids": debt_ids}):
        holds[row.debt_id].append(BreathingSpaceHold(row.starts_on, row.ends_on))
    return holds


def _principal(account: DebtAccount) -> int:
    return sum(
        line.outstanding_pence
        for line, kind in zip(account.lines, account.line_kinds, strict=True)
        if kind == "instalment"
    )


async def accrue_late_payment_charges(session: AsyncSession, as_of: date) -> list[Contract]:
    """Interest to `as_of` and any late fee now due on every open debt of a type with late-payment terms."""
    types = [t.value for t in rules.late_payment]
    if not types:
        return []
    debt_ids = [
        row.debt_id for row in await session.execute(_DUE_FOR_INTEREST, {"types": types, "as_of": as_of})
    ]
    if not debt_ids:
        return []
    found = await accounts(session, debt_ids)
    holds = await holds_by_debt(session, debt_ids)
    charges: list[LatePaymentCharge] = []
    for account in found.values():
        terms = rules.late_payment_terms_for(account.debt_type)
        if terms is None:
            continue
        start = (
            account.interest_accrued_to + timedelta(days=1)
            if account.interest_accrued_to
            else account.due_date + timedelta(days=1)
        )
        charges += interest_charges(
            str(account.debt_id),
            _principal(account),
            terms,
            account.due_date,
            start,
            as_of,
            holds[account.debt_id],
        )
        fee = late_fee_charge(
            str(account.debt_id),
            terms,
            account.due_date,
            as_of,
            account.position.outstanding_pence,
            account.late_fee_charged,
            holds[account.debt_id],
        )
        if fee is not None:
            charges.append(fee)
    if not charges:
        await session.execute(
            text("UPDATE debt SET interest_accrued_to = :as_of WHERE debt_id = ANY(CAST(:ids AS uuid[]))"),
            {"as_of": as_of, "ids": debt_ids},
        )
        return []
    ordinals: dict[str, int] = defaultdict(int)
    columns: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for charge in charges:
        ordinals[charge.debt_id] += 1
        columns["debts"].append(charge.debt_id)
        columns["ordinals"].append(ordinals[charge.debt_id])
        columns["kinds"].append(charge.kind.value)
        columns["amounts"].append(charge.amount_pence)
        columns["starts"].append(charge.period_start)
        columns["ends"].append(charge.period_end)
        columns["principals"].append(charge.principal_pence)
        columns["rates"].append(charge.annual_interest_percent)
        columns["bases"].append(charge.day_count_basis)
    balances = {
        row.debt_id: row.balance_pence
        for row in await session.execute(
            _ADD_CHARGES, {**columns, "debts": [UUID(d) for d in columns["debts"]], "as_of": as_of}
        )
    }
    await session.execute(
        text("UPDATE debt SET interest_accrued_to = :as_of WHERE debt_id = ANY(CAST(:ids AS uuid[]))"),
        {"as_of": as_of, "ids": debt_ids},
    )
    events: list[Contract] = []
    added: dict = defaultdict(int)  # type: ignore[type-arg]
    for charge in charges:
        account = found[UUID(charge.debt_id)]
        added[account.debt_id] += charge.amount_pence
        events.append(
            CostsAdded(
                debt_id=account.debt_id,
                kind=charge.kind.value,
                amount_pence=charge.amount_pence,
                added_on=as_of,
            )
        )
    for debt_id, change in added.items():
        events += balance_events(found[debt_id], balances[debt_id], change, "interest", as_of)
    return events


async def reverse_charges_in_hold(
    session: AsyncSession, account: DebtAccount, hold: BreathingSpaceHold, as_of: date
) -> tuple[list[Contract], int]:
    """Reverse interest and fees already charged for days the (late-arriving) hold covers. Returns the events
    and the credit left if the reversed charges had already been paid."""
    rows = (
        await session.execute(
            text(
                "SELECT posting_id, kind, amount_pence, period_start, period_end, principal_pence, "
                "annual_interest_percent, day_count_basis FROM posting "
                "WHERE debt_id = :debt_id AND kind IN ('interest', 'late_fee') AND NOT reversed"
            ),
            {"debt_id": account.debt_id},
        )
    ).all()
    charges = {
        row.posting_id: LatePaymentCharge(
            debt_id=str(account.debt_id),
            kind=LatePaymentChargeKind(row.kind),
            period_start=row.period_start,
            period_end=row.period_end,
            amount_pence=row.amount_pence,
            principal_pence=row.principal_pence or 0,
            annual_interest_percent=Decimal(row.annual_interest_percent or 0),
            day_count_basis=row.day_count_basis or 365,
        )
        for row in rows
    }
    reversals = reversals_for_late_hold(charges.values(), hold)
    total = sum(r.amount_pence for r in reversals)
    if total == 0:
        return [], 0
    reversed_ids = [pid for pid, charge in charges.items() if any(r.charge is charge for r in reversals)]
    await session.execute(
        text("UPDATE posting SET reversed = true WHERE posting_id = ANY(CAST(:ids AS bigint[]))"),
        {"ids": reversed_ids},
    )
    outstanding = account.position.outstanding_pence
    off_lines = min(total, outstanding)
    reductions = reductions_latest_first(account.position, off_lines) if off_lines else []
    balances = await post_movements(
        session,
        [
            Movement(
                posting(account.debt_id, PostingKind.CHARGE_REVERSAL, total),
                as_of,
                "breathing space: interest and fees frozen from the moratorium's start",
                tuple((r.number, -r.amount_pence) for r in reductions),
            )
        ],
    )
    events = balance_events(account, balances[account.debt_id], -total, "interest_reversal", as_of)
    return events, total - off_lines
