"""Derby App.1 §8: a write-off for any other reason needs a full written report to the Debt Manager, who with an
independent panel decides before final approval. A reason flagged `requires_panel` in the bands file cannot be
approved, by signature or by Cabinet, until the panel's finding is recorded; a panel that did not recommend the
write-off leaves the line to be rejected."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.writeoff.domain import (
    PanelFinding,
    PanelOutcome,
    Refusal,
    RefusalCode,
    WriteOffRequest,
    assemble_schedule,
    parse_council_policy,
    record_committee_decision,
    record_panel_finding,
    schedule_hash,
    sign_schedule,
)

from .write_off_lines import SIGNED_AT, a_line, a_schedule, an_approver, council_policy

DERBY = council_policy("derby")
CLERK = an_approver("derby.clerk", "committee_clerk")
OFFICER = an_approver("derby.officer", "write_off_officer")
HEAD = an_approver("hbs-1", "head_of_business_support_and_debt_management")
REPORT = "Full written report to the Debt Manager: debtor's business dissolved, no assets"


def _other(number: int = 1, amount: str = "50") -> WriteOffRequest:
    return a_line(number, amount, reason="other", written_report=REPORT)


def _cabinet(schedule, findings=None, rejections=None):
    return record_committee_decision(
        schedule,
        DERBY,
        "Cabinet",
        "CAB-2024-07-10 item 6",
        date(2024, 7, 10),
        CLERK,
        schedule_hash(schedule),
        SIGNED_AT,
        rejections,
        panel_findings=findings,
    )


def _finding(outcome: PanelOutcome = PanelOutcome.RECOMMENDS_WRITE_OFF) -> PanelFinding:
    found = record_panel_finding(
        _other(),
        DERBY.reasons,
        date(2024, 6, 1),
        ["Debt Manager", "Internal Audit", "Revenues Manager"],
        "PANEL-2024-014",
        outcome,
        OFFICER,
        "Debt Management Officer (derby.officer)",
        SIGNED_AT,
    )
    assert isinstance(found, PanelFinding)
    return found


def test_derby_flags_its_other_reason_as_needing_an_independent_panel() -> None:
    other = DERBY.reasons.get("other")
    assert other is not None and other.requires_panel
    assert not any(r.requires_panel for r in DERBY.reasons.reasons if r.code != "other")


def test_an_other_reason_cannot_go_to_cabinet_without_the_panels_finding() -> None:
    outcome = _cabinet(a_schedule(_other()))

    assert outcome.decision is None
    assert [r.code for r in outcome.refusals] == [RefusalCode.PANEL_FINDING_REQUIRED]
    assert "independent panel's finding" in outcome.refusals[0].message


def test_with_the_panels_finding_recorded_cabinet_may_approve_the_other_reason() -> None:
    outcome = _cabinet(a_schedule(_other()), {"WO-00001": _finding()})

    assert outcome.accepted
    assert outcome.decision is not None and outcome.decision.approved_total_pence == 50_00


def test_a_panel_that_did_not_recommend_the_write_off_leaves_the_line_to_be_rejected() -> None:
    schedule = a_schedule(_other(), a_line(2, "100"))
    findings = {"WO-00001": _finding(PanelOutcome.DOES_NOT_RECOMMEND)}

    refused = _cabinet(schedule, findings)
    assert [r.code for r in refused.refusals] == [RefusalCode.PANEL_DID_NOT_RECOMMEND]

    rejected = _cabinet(schedule, findings, {"WO-00001": "the panel did not recommend it"})
    assert rejected.accepted and rejected.decision is not None
    assert [line.request_id for line in rejected.decision.approved_lines] == ["WO-00002"]


def test_an_officer_signature_also_waits_for_the_panel() -> None:
    policy = parse_council_policy(
        """
council: panelled
name: A council whose other reasons an officer signs after a panel
reasons:
  - {code: absconded_untraceable, description: Gone away}
  - {code: other, description: Any other reason, requires_panel: true}
band_tables:
  - debt_types: ["*"]
    other_reason_band: head
    bands:
      - {name: head, title: Head of Service, roles: [head_of_service], up_to_pence: 1000000}
      - {name: cabinet, title: Cabinet, committee: Cabinet}
"""
    )
    line = a_line(1, "50", council="panelled", reason="other", written_report=REPORT)
    schedule = assemble_schedule("SCH-1", "panelled", [line], policy)
    head = an_approver("head-1", "head_of_service")

    def sign(findings):
        return sign_schedule(
            schedule, policy, head, schedule_hash(schedule), SIGNED_AT, [], True, panel_findings=findings
        )

    assert [r.code for r in sign(None).refusals] == [RefusalCode.PANEL_FINDING_REQUIRED]
    assert sign({"WO-00001": _finding()}).accepted


def test_a_panel_finding_names_its_members_or_its_record_and_is_not_dated_in_the_future() -> None:
    refused = record_panel_finding(
        _other(),
        DERBY.reasons,
        date(2024, 6, 4),  # the day after SIGNED_AT
        ["  "],
        "",
        PanelOutcome.RECOMMENDS_WRITE_OFF,
        OFFICER,
        "Debt Management Officer (derby.officer)",
        SIGNED_AT,
    )
    assert isinstance(refused, list)
    assert [r.code for r in refused] == [RefusalCode.PANEL_NOT_IDENTIFIED, RefusalCode.PANEL_DATE_IN_FUTURE]

    by_reference_only = record_panel_finding(
        _other(),
        DERBY.reasons,
        date(2024, 6, 1),
        [],
        "PANEL-2024-014",
        PanelOutcome.RECOMMENDS_WRITE_OFF,
        OFFICER,
        "Debt Management Officer (derby.officer)",
        datetime(2024, 6, 1, 16, tzinfo=UTC),
    )
    assert isinstance(by_reference_only, PanelFinding)
    assert by_reference_only.members == () and by_reference_only.reference == "PANEL-2024-014"


def test_whoever_asked_for_the_write_off_cannot_record_the_panels_finding_on_it() -> None:
    refused = record_panel_finding(
        _other(),
        DERBY.reasons,
        date(2024, 6, 1),
        ["Debt Manager"],
        "",
        PanelOutcome.RECOMMENDS_WRITE_OFF,
        an_approver("officer-requester", "write_off_officer"),
        "Requester",
        SIGNED_AT,
    )
    assert isinstance(refused, list)
    assert [r.code for r in refused] == [RefusalCode.SELF_APPROVAL]


def test_a_reason_that_needs_no_panel_takes_no_panel_finding() -> None:
    refused = record_panel_finding(
        a_line(1, "50"),
        DERBY.reasons,
        date(2024, 6, 1),
        ["Debt Manager"],
        "",
        PanelOutcome.RECOMMENDS_WRITE_OFF,
        OFFICER,
        "Debt Management Officer (derby.officer)",
        SIGNED_AT,
    )
    assert isinstance(refused, list) and isinstance(refused[0], Refusal)
    assert refused[0].code is RefusalCode.PANEL_NOT_REQUIRED
