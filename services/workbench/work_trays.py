"""Every work tray, read from the service that owns it with the officer's token, all at once. A tray a service
offers no API for, or that did not answer, is shown as not available with the reason; nothing is made up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from services.workbench.clients import NotAllowed, ServiceProblem, Services
from services.workbench.domain.trays import Tray, TrayItem, parsed_day, parsed_time, unavailable
from shared.money import format_pounds

DEAD_LETTER_SERVICES = ("billing", "recovery", "breathing space", "agents gateway", "write-off")


async def _billing_match_reviews(services: Services) -> Tray:
    reviews = await services.billing.match_reviews()
    items = tuple(
        TrayItem(
            label=f"Possible match: {len(r['possible_matches'])} existing customer(s) — {', '.join(r['reasons'])}",
            since=parsed_time(r.get("flagged_at")),
            href=f"/match-reviews/{r['review_id']}",
        )
        for r in reviews
    )
    return Tray("billing-match-reviews", "Customer match reviews", "billing", items)


async def _breathing_space(services: Services) -> list[Tray]:
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
            href=f"/breathing-space/moratoria/{h['moratorium_reference']}",
        )
        for h in status.get("unconfirmed_holds", [])
    )
    ending = tuple(
        TrayItem(
            label=f"Moratorium {m['moratorium_reference']} ({m['kind'].replace('_', ' ')}) ends",
            since=None,
            due=parsed_day(m.get("end_date")),
            href=f"/breathing-space/moratoria/{m['moratorium_reference']}",
        )
        for m in status.get("open_moratoria", [])
        if m.get("end_date")
    )
    return [
        Tray("breathing-space-matches", "Breathing space: possible matches", "breathing space", pending),
        Tray(
            "breathing-space-unconfirmed",
            "Breathing space: holds not confirmed",
            "breathing space",
            unconfirmed,
        ),
        Tray(
            "breathing-space-ending",
            "Breathing space: moratoria and their end dates",
            "breathing space",
            ending,
        ),
    ]


async def _quarantined_agent_files(services: Services) -> Tray:
    files = await services.agents_gateway.quarantined_files()
    items = tuple(
        TrayItem(
            label=f"{f['agent']}: {f['file_name']} — {len(f['problems'])} problem(s)",
            since=parsed_time(f.get("received_at")),
            href=f"/agent-files/{f['file_id']}",
        )
        for f in files
        if not f.get("resolved_at")
    )
    return Tray("quarantined-agent-files", "Quarantined agent files", "agents gateway", items)


async def _refused_placements(services: Services) -> Tray:
    tray = await services.agents_gateway.refused_placements()
    items = tuple(
        TrayItem(
            label=f"{i['debt_type'].replace('_', ' ')} referral for {i['agency_kind_asked_for'].replace('_', ' ')}: "
            + "; ".join(i["reasons"]),
            since=parsed_time(i.get("refused_at")),
            href=f"/refused-placements/{i['referral_id']}",
        )
        for i in tray.get("items", [])
    )
    return Tray("refused-placements", "Referrals no agent may take", "agents gateway", items)


async def _refunds_due(services: Services) -> Tray:
    refunds = await services.billing.refunds_due()
    items = tuple(
        TrayItem(
            label=f"{r.get('customer_name') or 'Customer unknown'}: {format_pounds(int(r['amount_pence']))}, {r['reason']}",
            since=parsed_day(r.get("due_since")),
            href=f"/customers/{r['customer_id']}#refunds" if r.get("customer_id") else None,
        )
        for r in refunds
    )
    return Tray("refunds-due", "Refunds due", "billing", items)


async def _write_off_schedules(services: Services, pages_url: str) -> Tray:
    schedules = await services.writeoff.schedules_awaiting_decision()
    items = tuple(
        TrayItem(
            label=f"Schedule {s['number']}: {s['line_count']} line(s), {s['aggregate']}",
            since=parsed_time(s.get("built_at")),
            href=f"{pages_url.rstrip('/')}/approvals/{s['schedule_id']}",
        )
        for s in schedules
    )
    return Tray("write-off-schedules", "Write-off schedules awaiting a decision", "write-off", items)


async def _not_offered(key: str, title: str, service: str, call: Callable[[], Awaitable[object]]) -> Tray:
    await call()  # raises NotOffered today; kept as a call so the tray lights up when the route exists
    return unavailable(key, title, service)


async def _tray(key: str, title: str, service: str, read: Awaitable[Tray | list[Tray]]) -> list[Tray]:
    try:
        found = await read
    except NotAllowed:
        return [unavailable(key, title, service, "your roles do not include this tray")]
    except ServiceProblem as problem:
        return [unavailable(key, title, service, problem.reason)]
    return found if isinstance(found, list) else [found]


async def every_tray(services: Services, writeoff_pages_url: str) -> list[Tray]:
    """Every tray in the order the council works them."""
    gathered = await asyncio.gather(
        _tray("billing-match-reviews", "Customer match reviews", "billing", _billing_match_reviews(services)),
        _tray(
            "breathing-space-matches", "Breathing space trays", "breathing space", _breathing_space(services)
        ),
        _tray(
            "holds-due-for-review",
            "Holds due for review",
            "recovery",
            _not_offered(
                "holds-due-for-review",
                "Holds due for review",
                "recovery",
                services.recovery.holds_due_for_review,
            ),
        ),
        _tray(
            "quarantined-agent-files",
            "Quarantined agent files",
            "agents gateway",
            _quarantined_agent_files(services),
        ),
        _tray(
            "refused-placements",
            "Referrals no agent may take",
            "agents gateway",
            _refused_placements(services),
        ),
        _tray(
            "quarantined-payment-files",
            "Quarantined payment files",
            "billing",
            _not_offered(
                "quarantined-payment-files",
                "Quarantined payment files",
                "billing",
                services.billing.quarantined_payment_files,
            ),
        ),
        _tray(
            "refunds-due",
            "Refunds due",
            "billing",
            _refunds_due(services),
        ),
        _tray(
            "write-off-schedules",
            "Write-off schedules awaiting a decision",
            "write-off",
            _write_off_schedules(services, writeoff_pages_url),
        ),
    )
    trays = [tray for group in gathered for tray in group]
    trays.append(
        unavailable(
            "dead-letters",
            "Dead letters",
            "every service",
            "not available from "
            + ", ".join(DEAD_LETTER_SERVICES)
            + " (no HTTP API: operations use `council-debt <service> dead-letters`)",
        )
    )
    return trays
