"""Late-payment interest and fees where the council configures them, accrued as of a date, and frozen (or
reversed, when the hold arrives late) while a breathing space covers the debt.

Who is charged what is `domain.late_payment_act.late_payment_basis`: a business debtor statutory interest
(reference rate + 8%, per six-month period) and the fixed sum by the debt's size under the Late Payment of
Commercial Debts (Interest) Act 1998, where the council claims them; anyone else only the council's contractual
terms, and only where the charge's contract provides them. Each charge is stored and announced with that basis
(issue 19): the Act's reference day and base rate, or its fixed-sum band; or the contract. Interest runs on the
unpaid charge (the instalment lines), from the day after the due date or the last day already accrued, to the
run's date; the breathing space holds stored for the debt split or stop it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from uuid import UUID

from services.billing.billing import BillingHandling
from services.billing.debt_accounts import DebtAccount, Movement, balance_events, posting
from services.billing.domain.balances import PostingKind
from services.billing.domain.breathing_space_hold import BreathingSpaceHold
from services.billing.domain.breathing_space_reversal import reversal_reductions, reversals_for_late_hold
from services.billing.domain.breathing_space_scope import holds_freezing, principal_by_scope
from services.billing.domain.late_payment_act import LatePaymentBasis, late_payment_basis
from services.billing.domain.late_payment_charges import (
    LatePaymentCharge,
    LatePaymentChargeKind,
    fixed_sum_charge,
    interest_charges,
    late_fee_charge,
    statutory_interest_charges,
)
from shared.contracts.billing import CostsAdded
from shared.contracts.envelope import Contract


def _sums(account: DebtAccount) -> list[tuple[date, int]]:
    """The debt's unpaid instalments: each sum's due date and what is still owed on it."""
    return [
        (line.due_date, line.outstanding_pence)
        for line, kind in zip(account.lines, account.line_kinds, strict=True)
        if kind == "instalment"
    ]


def _principal(account: DebtAccount) -> int:
    return sum(owed for _, owed in _sums(account))


def _costs_added(debt_id: UUID, charge: LatePaymentCharge, as_of: date) -> CostsAdded:
    """The event announcing one charge, with the basis it was charged on (issue 19)."""
    basis = charge.basis
    interest = charge.kind is LatePaymentChargeKind.INTEREST
    return CostsAdded(
        debt_id=debt_id,
        kind=charge.kind.value,
        amount_pence=charge.amount_pence,
        added_on=as_of,
        late_payment_basis=basis.basis.value if basis else None,
        annual_interest_percent=charge.annual_interest_percent if interest else None,
        reference_day=basis.reference_day if basis else None,
        base_rate_percent=basis.base_rate_percent if basis else None,
        fixed_sum_band=basis.fixed_sum_band.value if basis and basis.fixed_sum_band else None,
    )


async def accrue_late_payment_charges(handling: BillingHandling, as_of: date) -> list[Contract]:
    """Interest to `as_of` and any late fee now due on every open debt of a type with late-payment terms."""
    stores, rules = handling.stores, handling.service.rules
    types = [t.value for t in rules.late_payment]
    if not types:
        return []
    debt_ids = await stores.late_payment.debts_due_for_charges(types, as_of)
    if not debt_ids:
        return []
    found = await stores.debts.named(debt_ids)
    holds = await stores.holds.by_debt(debt_ids)
    debtors = await stores.late_payment.debtors(debt_ids)
    charges: list[LatePaymentCharge] = []
    for account in found.values():
        terms = rules.late_payment_terms_for(account.debt_type)
        if terms is None:
            continue
        debtor = debtors[account.debt_id]
        basis = late_payment_basis(
            terms.late_payment_act, terms.has_contractual_terms, debtor.is_business, debtor.contract_provides
        )
        start = (
            account.interest_accrued_to + timedelta(days=1)
            if account.interest_accrued_to
            else account.due_date + timedelta(days=1)
        )
        principal, held = _principal(account), holds[account.debt_id]
        # Each unpaid sum from its own due date, frozen only by the holds that protect it: interest on an
        # ongoing liability runs through a breathing space (reg 7 freezes only the moratorium debt).
        scoped = principal_by_scope(_sums(account), held)
        fee_frozen_by = holds_freezing(account.due_date, held)
        if basis is LatePaymentBasis.LATE_PAYMENT_ACT:
            for part in scoped:
                charges += statutory_interest_charges(
                    str(account.debt_id),
                    part.principal_pence,
                    rules.bank_of_england_base_rate,
                    part.due_date,
                    start,
                    as_of,
                    part.frozen_by,
                )
            fee = fixed_sum_charge(
                str(account.debt_id),
                account.due_date,
                as_of,
                principal,
                account.late_fee_charged,
                fee_frozen_by,
            )
        elif basis is LatePaymentBasis.CONTRACT:
            for part in scoped:
                charges += interest_charges(
                    str(account.debt_id),
                    part.principal_pence,
                    terms,
                    part.due_date,
                    start,
                    as_of,
                    part.frozen_by,
                )
            fee = late_fee_charge(
                str(account.debt_id),
                terms,
                account.due_date,
                as_of,
                account.position.outstanding_pence,
                account.late_fee_charged,
                fee_frozen_by,
            )
        else:
            continue  # an individual whose contract provides nothing: never charged (the Act is for businesses)
        if fee is not None:
            charges.append(fee)
    if not charges:
        await stores.late_payment.mark_accrued_to(debt_ids, as_of)
        return []
    balances = await stores.late_payment.add_charges(charges, as_of)
    await stores.late_payment.mark_accrued_to(debt_ids, as_of)
    events: list[Contract] = []
    added: dict[UUID, int] = defaultdict(int)
    for charge in charges:
        account = found[UUID(charge.debt_id)]
        added[account.debt_id] += charge.amount_pence
        events.append(_costs_added(account.debt_id, charge, as_of))
    for debt_id, change in added.items():
        events += balance_events(found[debt_id], balances[debt_id], change, "interest", as_of)
    return events


async def reverse_charges_in_hold(
    handling: BillingHandling, account: DebtAccount, hold: BreathingSpaceHold, as_of: date
) -> tuple[list[Contract], int]:
    """Reverse interest and fees already charged for days the (late-arriving) hold covers. Returns the events
    and the credit left if the reversed charges had already been paid."""
    stores = handling.stores
    charges = await stores.late_payment.unreversed_charges(account.debt_id)
    reversals = reversals_for_late_hold(charges.values(), hold)
    total = sum(r.amount_pence for r in reversals)
    if total == 0:
        return [], 0
    reversed_ids = [pid for pid, charge in charges.items() if any(r.charge is charge for r in reversals)]
    await stores.late_payment.mark_reversed(reversed_ids)
    charge_lines = [
        line.number
        for line, kind in zip(account.lines, account.line_kinds, strict=True)
        if kind in ("interest", "late_fee")
    ]
    reductions = reversal_reductions(account.position, charge_lines, total)
    off_lines = sum(r.amount_pence for r in reductions)
    balances = await stores.debts.post(
        [
            Movement(
                posting(account.debt_id, PostingKind.CHARGE_REVERSAL, total),
                as_of,
                "breathing space: interest and fees frozen from the moratorium's start",
                tuple((r.number, -r.amount_pence) for r in reductions),
            )
        ]
    )
    events = balance_events(account, balances[account.debt_id], -total, "interest_reversal", as_of)
    return events, total - off_lines
