"""The recovery service: recovery cases, timetables, notices, holds, arrangements and escalation."""

from shared.runtime import ServiceRuntime

runtime = ServiceRuntime(
    "recovery",
    description="Per-debt-type recovery timetables, notices, holds and pauses, arrangements, escalation.",
)

from services.recovery import cases  # noqa: E402,F401  (registers the handlers on the runtime)
