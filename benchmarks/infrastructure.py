"""Where benchmarks run: private RabbitMQ, PostgreSQL and identity provider started for this run (free ports, own folder, removed at
exit, so concurrent runs never disturb each other), or AMQP_URL/DATABASE_URL when both are set. Every service's
migrations are applied, and the environment is set so that service runtimes created afterwards use these servers."""

from __future__ import annotations

import atexit
import os
import signal
import sys

from deploy.local import infra

_servers: tuple[str, str] | None = None


def benchmark_servers() -> tuple[str, str]:
    """(amqp_url, database_url) for a benchmark run, starting private servers on first use."""
    global _servers
    if _servers is None:
        if os.environ.get("AMQP_URL") and os.environ.get("DATABASE_URL"):
            _servers = os.environ["AMQP_URL"], os.environ["DATABASE_URL"]
        else:
            profile = infra.start(infra.ephemeral_profile("benchmark"), fresh=True)
            atexit.register(infra.stop, profile, remove_data=True)
            # A benchmark stopped with SIGTERM (timeout, kill) still stops its servers: exit through atexit.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
            _servers = profile.amqp_url, profile.database_url
            os.environ["AMQP_URL"], os.environ["DATABASE_URL"] = _servers
            os.environ.update(profile.auth_environment)  # HTTP calls sign in at the run's own provider
        # The benchmarks' traffic sources publish as the broker's administrator, not as each owning service, so
        # the services run without the publisher check (a dictionary lookup per message: not what is measured).
        os.environ.setdefault("VERIFY_PUBLISHERS", "false")
        from shared.persistence import migrations

        migrations.upgrade(_servers[1])
    return _servers
