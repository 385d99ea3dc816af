"""Derby App.1 §8: a write-off for any other reason needs "a full written report justifying the recommendation
... provided to the Debt Manager, who will along with an independent panel, make a decision regarding the writing
off of the debt and then submit for final approval to either the Head of Business Support and Debt Management or
the Director of Finance as Section 151 Officer".

A reason flagged `requires_panel` in the bands file cannot be approved until the panel's finding is recorded; a
panel that did not recommend the write-off leaves the line to be rejected. The final approval is the Head's (up to
£10,000) or the Director of Finance's (above £10,000, at any amount), never Cabinet's."""

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
DIRECTOR = an_approver("dof-1", "director_of_finance")
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


def _sign(schedule, approver=HEAD, findings=None, rejections=None):
    return sign_schedule(
        schedule,
        DERBY,
        approver,
        schedule_hash(schedule),
        SIGNED_AT,
        [],
        True,
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


def test_an_other_reason_cannot_be_signed_without_the_panels_finding() -> None:
    outcome = _sign(a_schedule(_other()))

    assert outcome.decision is None
    assert [r.code for r in outcome.refusals] == [RefusalCode.PANEL_FINDING_REQUIRED]
    assert "independent panel's finding" in outcome.refusals[0].message


def test_with_the_panels_finding_the_head_of_business_support_approves_a_50_pound_other_write_off() -> None:
    outcome = _sign(a_schedule(_other()), HEAD, {"WO-00001": _finding()})

    assert outcome.accepted
    assert outcome.decision is not None and outcome.decision.approved_total_pence == 50_00
    assert outcome.decision.required_band == "head_of_business_support"
    assert outcome.decision.signature is not None
    assert outcome.decision.signature.authority_band == "head_of_business_support"


def test_after_the_panel_a_25000_pound_other_write_off_goes_to_the_director_of_finance_not_cabinet() -> None:
    # £25,000 would need Cabinet for an ordinary reason (App.1 §10: "£20,000 and over"); for another reason
    # §8 sends it "for final approval to either" the Head or the Director: above £10,000, the Director.
    schedule = a_schedule(_other(1, "25000"))
    findings = {"WO-00001": _finding()}

    beyond_head = _sign(schedule, HEAD, findings)
    assert [r.code for r in beyond_head.refusals] == [RefusalCode.BEYOND_BAND]
    assert "Director of Finance as Section 151 Officer" in beyond_head.refusals[0].message

    signed = _sign(schedule, DIRECTOR, findings)
    assert signed.accepted and signed.decision is not None
    assert signed.decision.required_band == "director_of_finance"
    assert signed.decision.approved_total_pence == 25_000_00

    cabinet = _cabinet(schedule, findings)
    assert [r.code for r in cabinet.refusals] == [RefusalCode.OTHER_REASON_APPROVED_BY_NAMED_OFFICERS]
    assert "Head of Business Support and Debt Management or the Director of Finance" in (
        cabinet.refusals[0].message
    )


def test_an_other_line_on_a_schedule_for_cabinet_is_taken_off_for_the_head_or_the_director() -> None:
    # £24,000 of ordinary lines and a £50 other line: £24,050 needs Cabinet (App.1 §10-11), which cannot give
    # the other line its final approval (§8); Cabinet decides the rest once that line is rejected or taken off.
    schedule = a_schedule(_other(), a_line(2, "24000"))
    findings = {"WO-00001": _finding()}

    refused = _cabinet(schedule, findings)
    assert [(r.code, r.request_id) for r in refused.refusals] == [
        (RefusalCode.OTHER_REASON_APPROVED_BY_NAMED_OFFICERS, "WO-00001")
    ]

    decided = _cabinet(
        schedule, findings, {"WO-00001": "other reason: to the Director of Finance on its own"}
    )
    assert decided.accepted and decided.decision is not None
    assert [line.request_id for line in decided.decision.approved_lines] == ["WO-00002"]


def test_a_panel_that_did_not_recommend_the_write_off_leaves_the_line_to_be_rejected() -> None:
    schedule = a_schedule(_other(), a_line(2, "100"))
    findings = {"WO-00001": _finding(PanelOutcome.DOES_NOT_RECOMMEND)}

    refused = _sign(schedule, HEAD, findings)
    assert [r.code for r in refused.refusals] == [RefusalCode.PANEL_DID_NOT_RECOMMEND]

    rejected = _sign(schedule, HEAD, findings, {"WO-00001": "the panel did not recommend it"})
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
