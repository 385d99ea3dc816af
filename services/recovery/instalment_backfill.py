"""Council tax and business rates cases opened before recovery kept instalments (before migration recovery_0006)
have no instalment rows: they follow the count of billing's instalment defaults up to the summons, and never the
regulated path. `council-debt recovery backfill-instalments SCHEDULES.csv` gives them their instalments from
billing's schedule export, so the regulated path decides them from then on.

The export: a header row, then one row per instalment: `debt_id,instalment_number,due_date,amount_pence,paid_pence`
(`paid_pence`: what billing had allocated to the instalment when it exported). What was paid is recorded as paid
on the day of the backfill (`as_of`): recovery does not know when it was paid, and counting it as paid late never
makes an instalment look paid on time; a default already paid by then gets no notice (the regulated path only
writes about what is unpaid).

Only open cases with no instalment rows are touched, so running it twice, or for debts already on the regulated
path, changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.recovery.case_state import load_cases, reschedule
from services.recovery.recovery import Recovery
from services.recovery.stores import RecoveryStores
from services.recovery.stores.case_record import CaseEntry
from services.recovery.stores.instalments import StoredInstalment, StoredInstalmentPayment

COLUMNS = ("debt_id", "instalment_number", "due_date", "amount_pence", "paid_pence")


@dataclass(frozen=True)
class ScheduleRow:
    """One instalment of billing's schedule export."""

    debt_id: UUID
    number: int
    due_date: date
    amount: int
    paid: int


@dataclass(frozen=True)
class BackfillResult:
    """What the backfill did: cases given their instalments, and debts it left as they were (and why)."""

    backfilled: int
    skipped: dict[str, int]


class ScheduleExportError(ValueError):
    """The export cannot be used: the line and the reason."""


def read_schedule_export(text: str) -> list[ScheduleRow]:
    """The export's rows; raises ScheduleExportError at the first bad line (nothing is written from a bad file)."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ScheduleExportError(f"line 1: missing columns {', '.join(missing)}")
    rows: list[ScheduleRow] = []
    for values in reader:
        try:
            row = ScheduleRow(
                UUID(values["debt_id"]),
                int(values["instalment_number"]),
                date.fromisoformat(values["due_date"]),
                int(values["amount_pence"]),
                int(values["paid_pence"] or 0),
            )
        except (TypeError, ValueError) as error:
            raise ScheduleExportError(f"line {reader.line_num}: {error}") from None
        if row.amount < 0 or not 0 <= row.paid <= row.amount:
            raise ScheduleExportError(
                f"line {reader.line_num}: paid_pence must be between 0 and amount_pence"
            )
        rows.append(row)
    return rows


async def backfill_instalments(service: Recovery, rows: list[ScheduleRow], as_of: date) -> BackfillResult:
    """Give each open council tax or rates case without instalment rows its schedule, in one transaction."""
    by_debt: dict[UUID, list[ScheduleRow]] = defaultdict(list)
    for row in rows:
        by_debt[row.debt_id].append(row)
    skipped: dict[str, int] = defaultdict(int)
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        stores = handling.stores
        case_ids = await stores.cases.case_ids_for_debts(list(by_debt))
        skipped["no recovery case"] = len(by_debt) - len(case_ids)
        cases = await load_cases(stores.cases, service.policies, case_ids.values())
        instalments: list[StoredInstalment] = []
        payments: list[StoredInstalmentPayment] = []
        entries: list[CaseEntry] = []
        for case in cases.values():
            if case.policy is None or case.policy.regulated_terms is None:
                skipped["not council tax or business rates"] += 1
                continue
            if case.row.status == "closed":
                skipped["case closed"] += 1
                continue
            if case.ledger is not None and case.ledger.instalments:
                skipped["instalments already kept"] += 1
                continue
            schedule = by_debt[case.debt_id]
            instalments += [
                StoredInstalment(
                    case.debt_id, r.number, case.row.financial_year, r.due_date, r.amount, "schedule"
                )
                for r in schedule
            ]
            payments += [
                StoredInstalmentPayment(
                    case.debt_id, f"backfill:{as_of.isoformat()}:{r.number}", as_of, r.paid, r.number
                )
                for r in schedule
                if r.paid > 0
            ]
            entries.append(
                CaseEntry(
                    case.case_id,
                    as_of,
                    "instalments_backfilled",
                    f"{len(schedule)} instalments from billing's schedule export: the regulated path decides "
                    "the case from now on (what was paid counted as paid on this day)",
                )
            )
        await stores.instalments.add_instalments(instalments)
        await stores.instalments.add_payments(payments)
        await stores.record.append(entries)
        await reschedule(stores, service.policies, [e.case_id for e in entries], as_of)
    return BackfillResult(len(entries), {k: v for k, v in skipped.items() if v})
