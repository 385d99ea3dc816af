"""The bands loader accepts the councils' files and names every fault in a broken one."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.writeoff.domain import (
    BandConfigError,
    council_named,
    load_every_council_policy,
    parse_council_policy,
)

from .write_off_lines import council_policy

VALID = textwrap.dedent(
    """
    council: testshire
    name: Testshire Council
    band_tables:
      - debt_types: ["*"]
        bands:
          - name: officer
            roles: [debt_manager]
            up_to_pence: 100000
          - name: cabinet
            committee: Cabinet
    """
)


def _problems(text: str) -> list[str]:
    with pytest.raises(BandConfigError) as raised:
        parse_council_policy(textwrap.dedent(text))
    return raised.value.problems


def test_every_councils_bands_file_loads() -> None:
    policies = load_every_council_policy()
    assert {"derby", "district_sundry", "nelc"} <= set(policies)


def test_a_council_without_its_own_reasons_gets_the_domain_list() -> None:
    policy = parse_council_policy(VALID)
    assert "no_proof_of_debt" in policy.reasons.codes
    other = policy.reasons.get("other")
    assert other is not None and other.requires_written_report and other.goes_to_top_band


def test_a_top_band_with_a_limit_is_refused_so_every_amount_has_an_approver() -> None:
    problems = _problems(
        """
        council: t
        name: T
        band_tables:
          - debt_types: ["*"]
            bands:
              - {name: officer, roles: [a], up_to_pence: 100}
              - {name: chief, roles: [b], up_to_pence: 200}
        """
    )
    assert any("top band must have no upper limit" in p for p in problems)


def test_limits_that_do_not_rise_are_refused() -> None:
    problems = _problems(
        """
        council: t
        name: T
        band_tables:
          - debt_types: ["*"]
            bands:
              - {name: officer, roles: [a], up_to_pence: 1000}
              - {name: chief, roles: [b], below_pence: 1001}
              - {name: cabinet, committee: Cabinet}
        """
    )
    assert any("limits must rise" in p for p in problems)


def test_every_fault_in_a_file_is_reported_together() -> None:
    problems = _problems(
        """
        council: t
        band_tables:
          - debt_types: [sundry]
            other_reason_band: nowhere
            bands:
              - {name: a, roles: [x], up_to_pence: 100, below_pence: 200}
              - {name: b, roles: [y], committee: Cabinet, up_to_pence: true}
              - {name: c}
          - debt_types: [sundry]
            bands:
              - {name: top, committee: Cabinet, colour: red}
        reasons:
          - {code: other, description: Other, requires_written_report: false}
          - {code: dup, description: one}
          - {code: dup, description: two}
        """
    )
    expected = [
        "name is required",
        "not both",  # both limits
        "by roles or by a committee, not both",
        "positive whole number of pence",
        "roles must be a non-empty list",
        "already in band table 1",
        "other_reason_band 'nowhere'",
        "unknown key 'colour'",
        "the 'other' reason must require a written report",
        "'dup' appears twice",
        "only the top band may have no upper limit",
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), (fragment, problems)


def test_text_that_is_not_yaml_is_refused_with_a_reason() -> None:
    assert "not valid YAML" in _problems("council: [unclosed")[0]


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    assert _problems("- just\n- a list\n")


@given(st.integers(min_value=1, max_value=10_000_000_00))
def test_the_band_chosen_is_the_lowest_that_covers_the_amount(amount: int) -> None:
    for council in ("derby", "district_sundry", "nelc"):
        table = council_policy(council).table_for("sundry")
        band = table.band_for_amount(amount)
        assert band.covers(amount)
        assert all(not lower.covers(amount) for lower in table.bands[: band.rank])


@given(st.integers(min_value=1, max_value=10_000_000_00), st.integers(min_value=0, max_value=10_000_000))
def test_a_larger_aggregate_never_needs_a_lower_band(amount: int, more: int) -> None:
    for council in ("derby", "district_sundry", "nelc"):
        table = council_policy(council).table_for("sundry")
        assert table.band_for_amount(amount + more).rank >= table.band_for_amount(amount).rank


def test_a_council_is_found_by_the_code_recovery_uses_for_it() -> None:
    policies = load_every_council_policy()
    assert council_named(policies, "district_sundry") == "district_sundry"
    assert council_named(policies, "sundry_policy_council") == "district_sundry"
    assert council_named(policies, "derby") == "derby"
    assert council_named(policies, "atlantis") is None
    assert council_named(policies, None) is None


def test_other_names_for_a_council_must_be_a_list_of_codes() -> None:
    assert "also_known_as must be a list of council codes" in _problems(
        VALID + "also_known_as: testshire-dc\n"
    )


def test_derby_names_the_head_and_the_director_as_the_final_approvers_of_an_other_reason() -> None:
    # Derby App.1 §8: "final approval to either the Head of Business Support and Debt Management or the Director
    # of Finance as Section 151 Officer".
    derby = council_policy("derby")
    assert derby.table_for("sundry").other_reason_bands == ("head_of_business_support", "director_of_finance")
    other = derby.reasons.get("other")
    assert other is not None and other.requires_written_report and other.requires_panel
    assert not other.goes_to_top_band


NAMED_APPROVERS = """
council: t
name: T
reasons:
  - {code: other, description: Other, requires_written_report: true, goes_to_top_band: false}
band_tables:
  - debt_types: ["*"]
    other_reason_bands: [officer, nobody]
    bands:
      - {name: officer, roles: [x], up_to_pence: 100}
      - {name: cabinet, committee: Cabinet}
"""


def test_other_reason_bands_must_name_bands_of_the_table() -> None:
    assert any("other_reason_bands names 'nobody'" in p for p in _problems(NAMED_APPROVERS))


def test_an_other_reason_not_going_to_the_top_band_needs_named_final_approvers() -> None:
    problems = _problems(NAMED_APPROVERS.replace("    other_reason_bands: [officer, nobody]\n", ""))
    assert any("must go to the top band unless every band table names" in p for p in problems)


def test_an_other_reason_cannot_go_both_to_the_top_band_and_to_named_approvers() -> None:
    problems = _problems(
        NAMED_APPROVERS.replace("goes_to_top_band: false", "goes_to_top_band: true").replace(", nobody", "")
    )
    assert any("cannot both go to the top band" in p for p in problems)
