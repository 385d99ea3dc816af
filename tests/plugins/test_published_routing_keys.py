"""The session-wide check that what the outboxes published is documented (published_routing_keys.py): it fails
on a key missing from docs/asyncapi, fails when work meant for publishing was done and nothing was recorded, and
leaves a run of unit tests alone."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.plugins import published_routing_keys as plugin
from tests.plugins.published_routing_keys import documented_publications, undocumented, verdict


def test_the_committed_documents_say_what_each_service_publishes() -> None:
    documented = documented_publications()
    assert "billing.debt.raised" in documented["billing"]
    assert "recovery.daily_run.requested" in documented["recovery"]
    assert "billing.debt.raised" not in documented["recovery"]  # consumed there, not published


def test_a_published_key_missing_from_its_services_document_fails_the_session() -> None:
    documented = documented_publications()
    published = {
        "billing": {"billing.debt.raised", "billing.debt.vanished"},
        "recovery": {"billing.debt.raised"},
    }
    assert undocumented(published, documented) == [
        "billing: billing.debt.vanished",
        "recovery: billing.debt.raised",
    ]
    refusal = verdict(published, documented, integration_tests_ran=True)
    assert refusal is not None
    assert "billing: billing.debt.vanished" in refusal and "council-debt asyncapi" in refusal


def test_every_key_documented_passes() -> None:
    published = {"billing": {"billing.debt.raised"}, "writeoff": {"writeoff.write_off.approved"}}
    assert verdict(published, documented_publications(), integration_tests_ran=True) is None


def test_an_integration_session_that_wrote_outbox_rows_and_recorded_nothing_fails() -> None:
    refusal = verdict({}, documented_publications(), integration_tests_ran=True, outbox_rows_written=3)
    assert refusal is not None and "no routing key" in refusal


def test_relays_that_published_here_unseen_by_the_recording_fail_the_session() -> None:
    refusal = verdict(
        {"billing": {"billing.debt.raised"}},
        documented_publications(),
        integration_tests_ran=True,
        relays_here_published=4,
        confirmed_here=0,
    )
    assert refusal is not None and "none was recorded" in refusal


def test_a_session_that_published_nothing_and_wrote_no_outbox_row_passes() -> None:
    assert verdict({}, documented_publications(), integration_tests_ran=True) is None


def test_a_run_of_unit_tests_only_is_left_alone() -> None:
    assert verdict({}, documented_publications(), integration_tests_ran=False) is None


@pytest.mark.parametrize(
    ("published", "exit_status"),
    [({"billing": {"billing.debt.vanished"}}, pytest.ExitCode.TESTS_FAILED), ({}, pytest.ExitCode.OK)],
)
def test_the_end_of_the_session_sets_the_exit_status(
    monkeypatch: pytest.MonkeyPatch, published: dict[str, set[str]], exit_status: int
) -> None:
    recorder = plugin.PublishedRoutingKeys()
    for service, keys in published.items():
        for key in keys:
            recorder.record(service, key)
    monkeypatch.setattr(plugin, "_recorder", recorder)
    monkeypatch.delenv("DATABASE_URL", raising=False)  # the tables are not read in this test
    session = SimpleNamespace(exitstatus=pytest.ExitCode.OK)
    plugin.pytest_sessionfinish(session, pytest.ExitCode.OK)  # type: ignore[arg-type]
    assert session.exitstatus == exit_status
