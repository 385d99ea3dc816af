"""Two breathing space services built by `bootstrap()` in one process, for two councils with different rules,
each apply their own: nothing is shared through a module-level runtime, settings or rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import uuid4

from services.breathing_space.bootstrap import bootstrap
from services.breathing_space.customers_and_debts import customers_registered, debts_raised
from services.breathing_space.moratoria import bring_moratorium_up_to_date
from shared.contracts.breathing_space import BreathingSpaceHoldStarted, DebtsReportedBack
from tests.unit.breathing_space.in_memory_stores import InMemoryBreathingSpace
from tests.unit.breathing_space.notification_documents import MORATORIUM, standard_start
from tests.unit.breathing_space.test_holding_every_debt_billing_announces import delivered, joanne, raised

STARTS_ON = date(2025, 3, 5)


async def _hold_started_and_reported(
    council: InMemoryBreathingSpace,
) -> tuple[BreathingSpaceHoldStarted, str]:
    customer = uuid4()
    await customers_registered([delivered(joanne(customer))], council.handling())
    await council.notified(standard_start(STARTS_ON, issued_on=council.today))
    await bring_moratorium_up_to_date(council.handling(), MORATORIUM, council.today)
    debts = [
        raised(customer, "CT-40012345", "council_tax", date(2024, 4, 1)),
        raised(customer, "NNDR-778", "business_rates", date(2024, 6, 1)),
    ]
    await debts_raised([delivered(d) for d in debts], council.handling())
    [started] = council.published.of_type(BreathingSpaceHoldStarted)
    [reported] = council.published.of_type(DebtsReportedBack)
    assert isinstance(started, BreathingSpaceHoldStarted) and isinstance(reported, DebtsReportedBack)
    return started, reported.document or ""


async def test_each_council_holds_for_its_own_period_and_reports_back_in_its_own_name(tmp_path: Path) -> None:
    derby_rules = tmp_path / "derby.yaml"
    derby_rules.write_text("creditor_name: Derby City Council\n")
    trial_rules = tmp_path / "trial.yaml"
    trial_rules.write_text("creditor_name: Trial Borough Council\nperiod: {standard_days: 90}\n")

    derby = bootstrap(rules_file=derby_rules, signing_secret="derby-secret")
    trial = bootstrap(rules_file=trial_rules, signing_secret="trial-secret")

    assert derby.runtime is not trial.runtime and derby.runtime.http_app is not trial.runtime.http_app
    assert derby.runtime.http_app.state.service is derby and trial.runtime.http_app.state.service is trial
    derby_started, derby_report = await _hold_started_and_reported(
        InMemoryBreathingSpace(today=date(2025, 3, 10), bootstrapped=derby)
    )
    trial_started, trial_report = await _hold_started_and_reported(
        InMemoryBreathingSpace(today=date(2025, 3, 10), bootstrapped=trial)
    )
    assert derby_started.expected_end_on == date(2025, 5, 4)  # start + 60 days
    assert trial_started.expected_end_on == date(2025, 6, 3)  # start + 90 days
    assert "Derby City Council" in derby_report and "Trial Borough Council" in trial_report
    assert derby.settings.signing_secret.get_secret_value() == "derby-secret"
    assert trial.settings.signing_secret.get_secret_value() == "trial-secret"
