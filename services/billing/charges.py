"""Raising a debt when a council system asks for it, or refusing the request with every reason at once.

A refused request is kept for audit and answered with `billing.charge.refused`; nothing of it is applied. A
request beyond the bounds any message may carry (`shared/contracts/bounds.py`: an amount beyond £1bn, 5,000
liable parties, a 10 MB surname) cannot be read as a `ChargeRequested` at all: it is refused to its council
system with the reason the envelope would not open, not dead-lettered, and nothing of it is kept.
"""

from __future__ import annotations

from dataclasses import replace

import structlog

from services.billing.billing import Billing, BillingHandling
from services.billing.customers import resolve_parties
from services.billing.domain.billing_rules import BillingRules
from services.billing.domain.charge_request import (
    ChargeRequest,
    RefusalCode,
    validate_charge_request,
)
from services.billing.domain.debt_types import DebtType, parse_debt_type
from services.billing.domain.financial_year import financial_year_of
from services.billing.domain.instalments import (
    Instalment,
    council_tax_instalments,
    monthly_instalments,
    single_due_date_schedule,
)
from services.billing.parties import account_reference, liability_party
from services.billing.refused_requests import refuse
from services.billing.stores import BillingStores
from shared.contracts.billing import ChargeRefused, DebtRaised, InstalmentDue
from shared.contracts.council_systems import ChargeRequested
from shared.contracts.envelope import Envelope
from shared.ids import new_id
from shared.messaging.inbox_router import InboxRouter

log = structlog.get_logger("billing.charges")

router = InboxRouter[BillingStores, Billing]()

_PARTY_CODES = {
    RefusalCode.MISSING_LIABILITY_PARTY,
    RefusalCode.INCOMPLETE_NAME,
    RefusalCode.MISSING_POSTCODE,
}


def refusal_reasons(request: ChargeRequested, already_raised: bool, rules: BillingRules) -> list[str]:
    """Every reason the request cannot be raised: the domain's checks for each liable party, and a plan that
    cannot be built."""
    parties = request.liable_parties
    base = ChargeRequest(
        external_reference=request.external_reference,
        originating_service=request.originating_service,
        debt_type=request.debt_type,
        amount_pence=request.amount_pence,
        liability_party=liability_party(parties[0]) if parties else None,
        liability_date=request.raised_on,
        income_code=request.income_code,
        evidence_reference=request.evidence_reference,
        legally_required=request.legally_required,
    )
    already = [request.external_reference] if already_raised else []
    reasons = [r.reason for r in validate_charge_request(base, rules, already)]
    for party in parties[1:]:
        others = validate_charge_request(
            replace(base, liability_party=liability_party(party)), rules, already
        )
        reasons += [r.reason for r in others if r.code in _PARTY_CODES and r.reason not in reasons]
    plan = request.instalment_plan
    if plan is not None:
        if plan.instalments < 1 or plan.instalments > 12:
            reasons.append(f"an instalment plan of {plan.instalments} instalments cannot be billed")
        elif request.debt_type == DebtType.COUNCIL_TAX and plan.instalments not in (10, 12):
            reasons.append("council tax is payable by 10 or 12 monthly instalments")
    if request.settlement_terms_days is not None and request.settlement_terms_days < 0:
        reasons.append("settlement terms cannot be negative")
    return reasons


def schedule_for(request: ChargeRequested, debt_type: DebtType, rules: BillingRules) -> list[Instalment]:
    """The instalment plan asked for, or a single due date on the council's settlement terms."""
    plan = request.instalment_plan
    if plan is not None:
        if debt_type is DebtType.COUNCIL_TAX:
            return council_tax_instalments(
                request.amount_pence, plan.first_due_date, plan.instalments, rules.instalment_rounding_pence
            )
        return monthly_instalments(
            request.amount_pence, plan.instalments, plan.first_due_date, rules.instalment_rounding_pence
        )
    if request.due_date is not None:
        return [Instalment(1, request.due_date, request.amount_pence)]
    days = request.settlement_terms_days
    return single_due_date_schedule(
        request.amount_pence,
        request.raised_on,
        days if days is not None else rules.settlement_days_for(debt_type),
    )


_ECHOED_CHARACTERS = 200
"""How much of a reference billing echoes back from a request it could not read (it may be megabytes long)."""
_REASON_CHARACTERS = 2_000


def _echoed(value: object, limit: int = _ECHOED_CHARACTERS) -> str:
    # Only printable text goes back: the answer must itself be within the bounds any message may carry.
    text = value if isinstance(value, str) else ""
    return "".join(c for c in text[:limit] if c.isprintable())


async def refuse_charge_beyond_bounds(envelope: Envelope, reason: str, handling: BillingHandling) -> None:
    """A charge request that does not fit its contract (beyond the bounds any message may carry) is refused to
    the council system that sent it, with the reason; its own reference and system are echoed back, cut short,
    and nothing of it is written (its body could be megabytes of someone's name)."""
    data = envelope.data if isinstance(envelope.data, dict) else {}
    await handling.outbox.add(
        ChargeRefused(
            external_reference=_echoed(data.get("external_reference")),
            requesting_system=_echoed(data.get("requesting_system")),
            reasons=[_echoed(reason, _REASON_CHARACTERS)],
            refused_on=handling.service.clock.today(),
        )
    )
    log.info("charge request beyond the bounds refused")  # the reason stays out of the log: it may quote data


@router.handles(ChargeRequested, refuses_invalid=refuse_charge_beyond_bounds)
async def raise_or_refuse_charge(request: ChargeRequested, handling: BillingHandling) -> None:
    """Validate the request; raise the debt with its schedule and customers, or refuse it with every reason."""
    stores, rules = handling.stores, handling.service.rules
    already_raised = await stores.debts.already_raised(request.requesting_system, request.external_reference)
    reasons = refusal_reasons(request, already_raised, rules)
    if reasons:
        await refuse(
            handling,
            "charge",
            request,
            ChargeRefused(
                external_reference=request.external_reference,
                requesting_system=request.requesting_system,
                reasons=reasons,
                refused_on=handling.service.clock.today(),
            ),
        )
        log.info("charge refused", reasons=reasons)
        return
    debt_type = parse_debt_type(request.debt_type)
    assert debt_type is not None  # validated above
    customers = await resolve_parties(stores, request.liable_parties)
    debt_id = new_id()
    schedule = schedule_for(request, debt_type, rules)
    financial_year = request.financial_year or financial_year_of(request.raised_on).label
    raised = DebtRaised(
        debt_id=debt_id,
        customer_ids=customers.customer_ids,
        debt_type=debt_type.value,
        amount_pence=request.amount_pence,
        financial_year=financial_year,
        due_date=schedule[0].due_date,
        raised_on=request.raised_on,
        originating_service=request.originating_service,
        income_code=request.income_code,
        external_reference=request.external_reference,
        evidence_reference=request.evidence_reference,
        instalments=[
            InstalmentDue(number=i.number, due_date=i.due_date, amount_pence=i.amount_pence) for i in schedule
        ]
        if len(schedule) > 1
        else [],
    )
    await stores.debts.record(
        raised,
        requesting_system=request.requesting_system,
        schedule=schedule,
        account=account_reference(debt_type.value, list(request.liable_parties)),
        description=request.description,
        late_payment_under_contract=request.late_payment_under_contract,
    )
    await handling.outbox.add_all([*customers.events, raised])
