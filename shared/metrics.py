"""What an operator watches: Prometheus metrics every service process exposes on `/metrics`.

The metrics are declared once per process (Prometheus' default registry) and labelled by service and queue, so
several runtimes in one process (tests, the benchmarks) add to the same series without colliding. They are moved
where the work happens: the inbox per batch (never per statement), the relay per published batch, the outbox depth
by a watch of the runtime every few seconds.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

INBOX_DELIVERIES = Counter(
    "council_debt_inbox_deliveries",
    "Deliveries taken from an inbox queue, by what became of them: handled (first time), duplicate (absorbed by "
    "the inbox), retried (returned to the queue after a failure) or dead_lettered.",
    ["service", "queue", "outcome"],
)
INBOX_BATCH_SIZE = Histogram(
    "council_debt_inbox_batch_size",
    "Deliveries handled in one inbox transaction.",
    ["service", "queue"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 200),
)
INBOX_BATCH_SECONDS = Histogram(
    "council_debt_inbox_batch_seconds",
    "Time to handle and commit one inbox batch.",
    ["service", "queue"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
INBOX_WAITING_FOR_INFRASTRUCTURE = Gauge(
    "council_debt_inbox_waiting_for_infrastructure",
    "1 while a queue holds its deliveries because the database or broker is unavailable (no attempt is used up).",
    ["service", "queue"],
)
DEAD_LETTERS = Counter(
    "council_debt_dead_letters",
    "Messages put on a dead-letter queue with their reason (the work tray an operator must empty).",
    ["service", "queue"],
)
OUTBOX_UNSENT = Gauge(
    "council_debt_outbox_unsent",
    "Events committed to the service's outbox and not yet confirmed by the broker.",
    ["service"],
)
OUTBOX_OLDEST_UNSENT_SECONDS = Gauge(
    "council_debt_outbox_oldest_unsent_age_seconds",
    "Age of the oldest event still waiting in the outbox (0 when none waits): a relay that has stopped shows here.",
    ["service"],
)
RELAY_PUBLISHED = Counter(
    "council_debt_relay_published",
    "Events the relay published and the broker confirmed.",
    ["service"],
)

WORK_WAITING = Gauge(
    "council_debt_work_waiting",
    "Items waiting in one of the service's work trays (dead letters, unconfirmed holds, quarantined files, ...).",
    ["service", "tray"],
)
WORK_OLDEST_AGE_SECONDS = Gauge(
    "council_debt_work_oldest_age_seconds",
    "Age of the oldest item waiting in the tray (0 when none waits): work nobody is doing shows here.",
    ["service", "tray"],
)
DAILY_RUN_WORK = Counter(
    "council_debt_daily_run_work_total",
    "What daily runs did, counted once each run has committed: cases examined, steps taken, notices issued, "
    "referrals and write-off requests made.",
    ["service", "kind"],
)
DAILY_RUN_SECONDS = Histogram(
    "council_debt_daily_run_seconds",
    "Time one daily run (recovery's steps for a business date, billing's daily work) took from start to commit.",
    ["service"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600),
)
