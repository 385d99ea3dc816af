"""Considering a request when its debt is known: the council's reasons and evidence, the debt's standing, a
band table for its debt type, and no other request for the same debt still awaiting a decision."""

from __future__ import annotations

from .bands import CouncilWriteOffPolicy, NoBandTableForDebtType
from .refusals import Refusal, RefusalCode
from .requests import DebtStanding, WriteOffRequest, validate_request


def consider_request(
    request: WriteOffRequest,
    standing: DebtStanding,
    policy: CouncilWriteOffPolicy,
    awaiting_request_id: str | None,
) -> list[Refusal]:
    """Every reason the request cannot go forward; none means it is pending, ready for a schedule.

    `awaiting_request_id` is the request already awaiting a decision on the same debt, if any.
    """
    refusals = validate_request(request, standing, policy.reasons)
    try:
        policy.table_for(request.debt_type)
    except NoBandTableForDebtType as error:
        refusals.append(Refusal(RefusalCode.NO_BAND_TABLE_FOR_DEBT_TYPE, str(error), request.request_id))
    if awaiting_request_id is not None and awaiting_request_id != request.request_id:
        refusals.append(
            Refusal(
                RefusalCode.ALREADY_REQUESTED,
                f"request {awaiting_request_id} to write off this debt is already awaiting a decision",
                request.request_id,
            )
        )
    return refusals
