"""Every work tray, read from the service that owns it with the officer's token, all at once. A tray a service
offers no API for, or that did not answer, is shown as not available with the reason; nothing is made up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable
from typing import Any

from services.workbench.clients import NotAllowed, ServiceProblem, Services
from services.workbench.clients.dead_letters import DeadLettersApi
from services.workbench.clients.services import DEAD_LETTER_SERVICES
from services.workbench.domain.permissions import AUDITOR, OPERATIONS
from services.workbench.domain.trays import Tray, TrayItem, TrayKind, parsed_day, parsed_time
from services.workbench.domain.wording import HOLD_KIND_NAMES, named
from shared.money import format_pounds

MATCH_REVIEWS = TrayKind("billing-match-reviews", "Customer match reviews", "billing")
BREATHING_SPACE_MATCHES = TrayKind(
    "breathing-space-matches", "Breathing space: possible matches", "breathing space"
)
BREATHING_SPACE_UNCONFIRMED = TrayKind(
    "breathing-space-unconfirmed", "Breathing space: holds not confirmed", "breathing space"
)
BREATHING_SPACE_ENDING = TrayKind(
    "breathing-space-ending", "Breathing space: moratoria and their end dates", "breathing space"
)
HOLDS_DUE_FOR_REVIEW = TrayKind("holds-due-for-review", "Holds due for review", "recovery")
TIMETABLE_EXHAUSTED = TrayKind(
    "timetable-exhausted", "Timetable exhausted: awaiting your decision", "recovery"
)
QUARANTINED_AGENT_FILES = TrayKind("quarantined-agent-files", "Quarantined agent files", "agents gateway")
REFUSED_PLACEMENTS = TrayKind("refused-placements", "Referrals no agent may take", "agents gateway")
QUARANTINED_PAYMENT_FILES = TrayKind("quarantined-payment-files", "Quarantined payment files", "billing")
REFUNDS_DUE = TrayKind("refunds-due", "Refunds due", "billing")
WRITE_OFF_SCHEDULES = TrayKind("write-off-schedules", "Write-off schedules awaiting a decision", "write-off")
DEAD_LETTERS = {
    slug: TrayKind(f"dead-letters-{slug}", f"Dead letters: {name}", name)
    for slug, name, _ in DEAD_LETTER_SERVICES
}
DEAD_LETTER_READERS = frozenset({OPERATIONS, AUDITOR})
"""Who reads the dead-letter trays (the services' `/dead-letters` listing); only operations settle them."""

Items = tuple[TrayItem, ...]


async def _billing_match_reviews(services: Services) -> Items:
    return tuple(
        TrayItem(
            label=f"Possible match: {len(r['possible_matches'])} existing customer(s) — {', '.join(r['reasons'])}",
            since=parsed_time(r.get("flagged_at")),
            href=f"/match-reviews/{r['review_id']}",
        )
        for r in await services.billing.match_reviews()
    )


def _moratorium_page(reference: str) -> str:
    return f"/breathing-space/moratoria/{reference}"


async def _breathing_space(services: Services) -> list[Items]:
    """The three breathing space trays, from one read of its status: possible matches, holds not confirmed,
    and open moratoria by end date."""
    status = await services.breathing_space.status()
    pending = tuple(
        TrayItem(
            label=f"Moratorium {m['moratorium_reference']}: {len(m['candidates'])} candidate(s)",
            since=parsed_time(m.get("queued_at")),
            href=f"/breathing-space/matches/{m['moratorium_reference']}",
        )
        for m in status.get("pending_matches", [])
    )
    unconfirmed = tuple(
        TrayItem(
            label=f"Moratorium {h['moratorium_reference']} hold {h['change']}: awaiting {', '.join(h['awaiting'])}",
            since=None,
            href=_moratorium_page(h["moratorium_reference"]),
        )
        for h in status.get("unconfirmed_holds", [])
    )
    ending = tuple(
        TrayItem(
            label=f"Moratorium {m['moratorium_reference']} ({m['kind'].replace('_', ' ')}) ends",
            since=None,
            due=parsed_day(m.get("end_date")),
            href=_moratorium_page(m["moratorium_reference"]),
        )
        for m in status.get("open_moratoria", [])
        if m.get("end_date")
    )
    return [pending, unconfirmed, ending]


def _case_holds(hold: dict[str, Any]) -> str | None:
    """Where a hold is reviewed and lifted: the holds of its case on the customer's single view."""
    customers = hold.get("customer_ids") or []
    return f"/customers/{customers[0]}#case-holds-{hold['case_id']}" if customers else None


async def _holds_due_for_review(services: Services) -> Items:
    """Holds still in force whose review date has come (recovery's business date); waiting since that date."""
    return tuple(
        TrayItem(
            label=f"{h.get('debtor_name') or 'Debtor not known to recovery'}, "
            f"{h.get('debt_reference') or h['case_id']} — {named(HOLD_KIND_NAMES, h['kind'])}: {h['reason']}",
            since=parsed_day(h.get("review_on")),
            href=_case_holds(h),
        )
        for h in await services.recovery.holds_due_for_review()
    )


def exhausted_case_page(case: dict[str, Any]) -> str | None:
    """Where an exhausted case is decided: its debt on the customer's single view (the decision form opens from
    there). A case whose debtor recovery does not know has nowhere to open."""
    customers = case.get("customer_ids") or []
    return f"/customers/{customers[0]}#exhausted-{case['case_id']}" if customers else None


def _exhausted_label(case: dict[str, Any]) -> str:
    """An exhausted case in words: debtor, debt reference, what is owed, the last step, any earlier decision and
    why it waits when that is not the timetable running out (how long it has waited is shown beside it)."""
    step = (case.get("last_step") or "").replace("_", " ")
    last = f"last step {step}" + (f" on {_day(case['last_step_on'])}" if case.get("last_step_on") else "")
    earlier = (
        f"; earlier decision: {case['last_decision'].replace('_', ' ')}" if case.get("last_decision") else ""
    )
    why = str(case.get("why") or "")
    # The tray's title says the timetable ran out; any other reason recovery gives (an agent's insolvency return,
    # a refused write-off) is named.
    because = f" ({why})" if why and not why.startswith("timetable exhausted") else ""
    return (
        f"{case.get('debtor_name') or 'Debtor not known to recovery'}, "
        f"{case.get('debt_reference') or case['case_id']} — {format_pounds(int(case['balance_pence']))} owed, "
        f"{last if step else 'no step taken'}{earlier}{because}"
    )


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _day(value: str) -> str:
    found = parsed_day(value)
    return f"{found.day} {found:%B %Y}" if found else value


async def _timetable_exhausted(services: Services) -> Items:
    """Cases whose timetable has run out with money still owed, waiting since the day they became due for an
    officer's decision (issue 19), the longest waiting first as recovery lists them."""
    tray = await services.recovery.cases_awaiting_decision()
    return tuple(
        TrayItem(
            label=_exhausted_label(c),
            since=parsed_day(c.get("due_for_decision_on")),
            href=exhausted_case_page(c),
            waiting=_days(int(c.get("days_waiting") or 0)),
        )
        for c in tray.get("cases", [])
    )


async def _quarantined_agent_files(services: Services) -> Items:
    return tuple(
        TrayItem(
            label=f"{f['agent']}: {f['file_name']} — {len(f['problems'])} problem(s)",
            since=parsed_time(f.get("received_at")),
            href=f"/agent-files/{f['file_id']}",
        )
        for f in await services.agents_gateway.quarantined_files()
        if not f.get("resolved_at")
    )


async def _refused_placements(services: Services) -> Items:
    tray = await services.agents_gateway.refused_placements()
    return tuple(
        TrayItem(
            label=f"{i['debt_type'].replace('_', ' ')} referral for {i['agency_kind_asked_for'].replace('_', ' ')}: "
            + "; ".join(i["reasons"]),
            since=parsed_time(i.get("refused_at")),
            href=f"/refused-placements/{i['referral_id']}",
        )
        for i in tray.get("items", [])
    )


def _payment_file_label(f: dict[str, Any]) -> str:
    """A quarantined payment file in words: its name, its problems (the first few), and where it was kept, so
    the officer can fix it there and resubmit it."""
    problems = list(f.get("problems") or [])
    count = int(f.get("problems_count", len(problems)))
    shown = "; ".join(problems[:3]) + (f"; and {count - 3} more" if count > 3 else "")
    return (
        f"{f['file_name']}: {count} problem(s) — {shown} "
        f"(kept at {f['kept_at']}; {f['payments']} payment line(s) read, none applied)"
    )


async def _quarantined_payment_files(services: Services) -> Items:
    """Payment files billing refused whole; each is fixed where it was kept and resubmitted (no workbench page
    resolves it, so no item is a link)."""
    tray = await services.billing.quarantined_payment_files()
    return tuple(
        TrayItem(label=_payment_file_label(f), since=parsed_time(f.get("quarantined_at")), href=None)
        for f in tray.get("files", [])
    )


async def _refunds_due(services: Services) -> Items:
    return tuple(
        TrayItem(
            label=f"{r.get('customer_name') or 'Customer unknown'}: {format_pounds(int(r['amount_pence']))}, {r['reason']}",
            since=parsed_day(r.get("due_since")),
            href=f"/customers/{r['customer_id']}#refunds" if r.get("customer_id") else None,
        )
        for r in await services.billing.refunds_due()
    )


async def _write_off_schedules(services: Services, pages_url: str) -> Items:
    return tuple(
        TrayItem(
            label=f"Schedule {s['number']}: {s['line_count']} line(s), {s['aggregate']}",
            since=parsed_time(s.get("built_at")),
            href=f"{pages_url.rstrip('/')}/approvals/{s['schedule_id']}",
        )
        for s in await services.writeoff.schedules_awaiting_decision()
    )


def dead_letter_page(slug: str, dead_letter_id: int) -> str:
    """Where one dead letter is read and replayed or discarded."""
    return f"/dead-letters/{slug}/{dead_letter_id}"


async def _dead_letters(slug: str, api: DeadLettersApi) -> Items:
    """One service's dead letters still waiting, each opening where it is replayed or discarded."""
    tray = await api.tray()
    return tuple(
        TrayItem(
            label=f"{d['queue']}: {d['reason']} ({d['attempts']} attempt(s)"
            + (
                f", dead-lettered {d['times_dead_lettered']} times"
                if d.get("times_dead_lettered", 1) > 1
                else ""
            )
            + ")",
            since=parsed_time(d.get("dead_lettered_at")),
            href=dead_letter_page(slug, int(d["id"])),
        )
        for d in tray.get("dead_letters", [])
        if not d.get("settled_at")
    )


async def _trays(kinds: tuple[TrayKind, ...], read: Awaitable[Items | list[Items]]) -> list[Tray]:
    """The trays one read gives (one, or several in `kinds` order), or each said not available and why."""
    try:
        found = await read
    except NotAllowed:
        return [kind.unavailable("your roles do not include this tray") for kind in kinds]
    except ServiceProblem as problem:
        return [kind.unavailable(problem.reason) for kind in kinds]
    groups = found if isinstance(found, list) else [found]
    return [kind.of(items) for kind, items in zip(kinds, groups, strict=True)]


async def every_tray(services: Services, writeoff_pages_url: str, roles: Iterable[str]) -> list[Tray]:
    """Every tray in the order the council works them; the dead letters of each service last, read only for
    the operations team and auditors (the services refuse anyone else)."""
    reads_dead_letters = not DEAD_LETTER_READERS.isdisjoint(roles)
    dead_letters = [
        _trays((DEAD_LETTERS[slug],), _dead_letters(slug, api))
        if reads_dead_letters
        else _unread(DEAD_LETTERS[slug].unavailable("for the operations team (and auditors, who read it)"))
        for slug, api in services.dead_letters.items()
    ]
    gathered = await asyncio.gather(
        _trays((MATCH_REVIEWS,), _billing_match_reviews(services)),
        _trays(
            (BREATHING_SPACE_MATCHES, BREATHING_SPACE_UNCONFIRMED, BREATHING_SPACE_ENDING),
            _breathing_space(services),
        ),
        _trays((HOLDS_DUE_FOR_REVIEW,), _holds_due_for_review(services)),
        _trays((TIMETABLE_EXHAUSTED,), _timetable_exhausted(services)),
        _trays((QUARANTINED_AGENT_FILES,), _quarantined_agent_files(services)),
        _trays((REFUSED_PLACEMENTS,), _refused_placements(services)),
        _trays((QUARANTINED_PAYMENT_FILES,), _quarantined_payment_files(services)),
        _trays((REFUNDS_DUE,), _refunds_due(services)),
        _trays((WRITE_OFF_SCHEDULES,), _write_off_schedules(services, writeoff_pages_url)),
        *dead_letters,
    )
    return [tray for group in gathered for tray in group]


async def _unread(tray: Tray) -> list[Tray]:
    return [tray]
