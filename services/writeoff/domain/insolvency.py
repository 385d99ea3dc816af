"""A formal insolvency write-off reaches only the debt owed up to the date of the order.

"The customer is subject to a formal insolvency order (in such cases any accruing debt to be written off will
only be up to the date of the order)" (Derby App.1 §7; DOMAIN.md 9). What accrued after the order (later
charges, costs, interest) is not released by it and is recovered, or written off for a reason of its own.

The write-off service keeps of each debt only the date it was raised and its latest balance, not its balance on
any past date, so it cannot work out what was owed on the order date itself. The requester therefore states the
order date and the amount owed on it; the service refuses a request without them, an order dated after the
request, a debt raised after the order (none of it was owed by then), and an amount to write off beyond the
amount owed at the order date; and it keeps both with the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.money import Pence, format_pounds

from .refusals import Refusal, RefusalCode

FORMAL_INSOLVENCY_REASON = "formal_insolvency"


@dataclass(frozen=True, slots=True)
class InsolvencyOrder:
    """What the requester states of the order: its date and what the debt owed on that date."""

    order_date: date | None
    owed_at_order_date_pence: Pence | None


def insolvency_refusals(
    request_id: str,
    reason_code: str,
    amount_pence: Pence,
    order: InsolvencyOrder,
    requested_on: date | None,
    debt_raised_on: date | None,
) -> list[Refusal]:
    """Why a formal insolvency write-off cannot go forward as asked (none for any other reason)."""
    if reason_code != FORMAL_INSOLVENCY_REASON:
        return []
    refusals: list[Refusal] = []

    def refuse(code: RefusalCode, message: str) -> None:
        refusals.append(Refusal(code, message, request_id))

    if order.order_date is None:
        refuse(
            RefusalCode.INSOLVENCY_ORDER_DATE_REQUIRED,
            "a formal insolvency write-off needs the date of the order: only the debt owed up to that date is "
            "written off (Derby App.1 §7)",
        )
    if order.owed_at_order_date_pence is None:
        refuse(
            RefusalCode.OWED_AT_ORDER_DATE_REQUIRED,
            "state the amount the debt owed on the date of the insolvency order",
        )
    elif order.owed_at_order_date_pence <= 0:
        refuse(
            RefusalCode.OWED_AT_ORDER_DATE_REQUIRED,
            "the amount owed on the date of the insolvency order must be more than £0.00",
        )
    elif amount_pence > order.owed_at_order_date_pence:
        refuse(
            RefusalCode.BEYOND_DEBT_AT_ORDER_DATE,
            f"{format_pounds(amount_pence)} is more than the {format_pounds(order.owed_at_order_date_pence)} "
            "owed on the date of the insolvency order; write off at most that (what accrued after the order is "
            "not released by it)",
        )
    if order.order_date is not None:
        if requested_on is not None and order.order_date > requested_on:
            refuse(
                RefusalCode.INSOLVENCY_ORDER_IN_FUTURE,
                f"the insolvency order cannot be dated {order.order_date.isoformat()}, after the request",
            )
        if debt_raised_on is not None and debt_raised_on > order.order_date:
            refuse(
                RefusalCode.DEBT_RAISED_AFTER_ORDER,
                f"the debt was raised on {debt_raised_on.isoformat()}, after the insolvency order of "
                f"{order.order_date.isoformat()}: none of it was owed by the date of the order",
            )
    return refusals
