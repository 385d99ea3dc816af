"""A debt split to stay under an approval band: several write-off requests for one debtor's debts of one kind,
raised close together, whose combined sum needs a higher authority than any one of them.

"Financial debt write off may be approved in aggregate in accordance with the following table" and "a single
signature may be applied to a schedule of debts of individual amounts which in aggregate do not exceed the
thresholds" (Derby App.1 §10-11): the thresholds are of the sum written off, so the same debt asked for in parts
(two £6,000 requests instead of one £12,000, on different schedules) must not pass under a £10,000 band. The
requests are "the same debt" when they are for one debtor (customer), one debt type and one income code (the
code the debt was raised to by the originating service) and were raised within the council's window of each
other (``split_debt_window_days`` in its bands file; 90 days unless it says otherwise). Their combined sum then
decides the band, and the schedule and its decision say why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from shared.money import Pence, format_pounds

from .bands import BandTable
from .requests import WriteOffRequest

DEFAULT_SPLIT_DEBT_WINDOW_DAYS = 90


@dataclass(frozen=True, slots=True)
class SplitDebt:
    """Requests for one debtor's debt raised close together whose combined sum crosses a band threshold."""

    customer_id: str
    debt_type: str
    income_code: str
    request_ids: tuple[str, ...]  # every request counted, on this schedule or not, in request id order
    on_schedule: tuple[str, ...]  # those that are lines of the schedule
    combined_pence: Pence
    largest_part_band: str  # the band the largest single request would need
    combined_band: str  # the band the combined sum needs
    reason: str  # why, in words, for the schedule and its decision

    @property
    def elsewhere(self) -> tuple[str, ...]:
        """The requests counted that are not lines of this schedule (on another schedule, or approved)."""
        return tuple(r for r in self.request_ids if r not in self.on_schedule)


def _key(request: WriteOffRequest) -> tuple[str, str, str]:
    return (request.customer_id, request.debt_type, request.income_code)


def _close_together(a: date | None, b: date | None, window_days: int) -> bool:
    # A request whose date is not known is taken as raised together with the others (the cautious reading).
    return a is None or b is None or abs((a - b).days) <= window_days


def find_split_debts(
    lines: Sequence[WriteOffRequest],
    other_requests: Iterable[WriteOffRequest],
    table: BandTable,
    window_days: int = DEFAULT_SPLIT_DEBT_WINDOW_DAYS,
) -> tuple[SplitDebt, ...]:
    """Each debtor's debt on the schedule that looks split: the schedule's lines for one customer, debt type
    and income code, with every other request (``other_requests``: not rejected, on other schedules or already
    approved) for the same within ``window_days`` of one of those lines, whose combined sum needs a higher band
    than the largest of them alone."""
    on_schedule_ids = {line.request_id for line in lines}
    others = [r for r in other_requests if r.request_id not in on_schedule_ids]
    groups: dict[tuple[str, str, str], list[WriteOffRequest]] = {}
    for line in lines:
        groups.setdefault(_key(line), []).append(line)
    found: list[SplitDebt] = []
    for key, group in groups.items():
        related = [
            other
            for other in others
            if _key(other) == key
            and any(_close_together(other.requested_on, line.requested_on, window_days) for line in group)
        ]
        parts = sorted([*group, *related], key=lambda r: r.request_id)
        if len(parts) < 2:
            continue
        combined = sum(part.amount_pence for part in parts)
        largest = table.band_for_amount(max(part.amount_pence for part in parts))
        needed = table.band_for_amount(combined)
        if needed.rank <= largest.rank:
            continue
        customer, debt_type, income_code = key
        found.append(
            SplitDebt(
                customer_id=customer,
                debt_type=debt_type,
                income_code=income_code,
                request_ids=tuple(p.request_id for p in parts),
                on_schedule=tuple(p.request_id for p in parts if p.request_id in on_schedule_ids),
                combined_pence=combined,
                largest_part_band=largest.name,
                combined_band=needed.name,
                reason=(
                    f"{len(parts)} requests to write off {debt_type} debt of customer {customer} (income code "
                    f"{income_code}) raised within {window_days} days of each other total "
                    f"{format_pounds(combined)}: together they need {needed.title} "
                    f"({needed.describe_limit()}), though no one of them alone goes beyond {largest.title}; "
                    "the band is decided on their combined sum (Derby App.1 §10-11)"
                ),
            )
        )
    return tuple(found)
