"""Where benchmarks run: the benchmark profile's own RabbitMQ and PostgreSQL, started fresh, or AMQP_URL/DATABASE_URL."""

from __future__ import annotations

import os

from deploy.local import infra


def benchmark_servers() -> tuple[str, str]:
    """(amqp_url, database_url) for a benchmark run, starting local servers when none are given."""
    if os.environ.get("AMQP_URL") and os.environ.get("DATABASE_URL"):
        return os.environ["AMQP_URL"], os.environ["DATABASE_URL"]
    profile = infra.start(infra.BENCHMARK, fresh=True)
    return profile.amqp_url, profile.database_url
