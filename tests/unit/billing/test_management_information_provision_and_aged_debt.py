"""The bad debt provision (Sundry 10.4) and aged debt by directorate (RBWM 3.2), worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.billing.domain.aged_debt import AgeBand
from services.billing.management_information.directorates import (
    UnpaidByCostCentre,
    aged_debt_by_directorate,
    directorate_name,
)
from services.billing.management_information.policy import (
    DEFAULT_POLICY_PATH,
    policy_from_mapping,
    policy_from_yaml,
)
from services.billing.management_information.provision import bad_debt_provision
from shared.debt_types import DebtType

END_OF_MAY = date(2026, 5, 31)
PERCENT = {"not_yet_due": "0", "0-30": "0", "31-60": "5", "61-90": "10", "91-120": "25", "over_120": "50"}
POLICY = policy_from_mapping(
    "test",
    {
        "bad_debt_provision_percent": PERCENT,
        "directorates": [
            {
                "name": "Operations",
                "budget_holder": "Head of Revenues",
                "debt_types": ["council_tax", "sundry"],
            },
            {"name": "Place", "budget_holder": "Head of Environment", "income_codes": ["ENV100"]},
        ],
    },
)
ITEMS = [
    UnpaidByCostCentre(DebtType.SUNDRY, "ENV100", date(2026, 5, 20), 100_00),  # 11 days: 0-30
    UnpaidByCostCentre(DebtType.SUNDRY, "ENV100", date(2026, 4, 15), 333_30),  # 46 days: 31-60
    UnpaidByCostCentre(DebtType.SUNDRY, "LEI300", date(2026, 4, 15), 10),  # 46 days: 31-60
    UnpaidByCostCentre(DebtType.SUNDRY, "LEI300", date(2026, 1, 1), 200_01),  # 150 days: over 120
    UnpaidByCostCentre(DebtType.COUNCIL_TAX, "CT01", date(2026, 2, 1), 120_00),  # 119 days: 91-120
    UnpaidByCostCentre(DebtType.ADULT_SOCIAL_CARE, "ASC1", date(2026, 6, 30), 80_00),  # not yet due
]


def test_the_provision_applies_each_bands_percentage_once_per_debt_type_rounded_half_up():
    """Sundry 31-60: (333.30 + 0.10) x 5% = 16.67 exactly (rounding each amount would give 16.665 -> 16.67 and
    0.005 -> 0.01, 16.68: the provision would depend on how the debt is split). Sundry over 120: 200.01 x 50%
    = 100.005 -> 100.01 (half up, not to even). Council tax 91-120: 120.00 x 25% = 30.00. Sundry 0-30 and the
    adult social care not yet due: 0%. Total 16.67 + 100.01 + 30.00 = 146.68 of 833.41 unpaid (100.00 + 333.30 + 0.10 + 200.01 + 120.00 + 80.00)."""
    provision = bad_debt_provision(ITEMS, POLICY, END_OF_MAY)
    by_type = {r.debt_type: r for r in provision.rows}
    sundry = by_type[DebtType.SUNDRY]
    assert sundry.unpaid[AgeBand.DAYS_31_60] == 333_40
    assert sundry.provision[AgeBand.DAYS_31_60] == 16_67
    assert sundry.provision[AgeBand.OVER_120] == 100_01
    assert sundry.provision[AgeBand.DAYS_0_30] == 0
    assert by_type[DebtType.COUNCIL_TAX].provision[AgeBand.DAYS_91_120] == 30_00
    assert by_type[DebtType.ADULT_SOCIAL_CARE].provision_pence == 0
    assert provision.provision_pence == 146_68
    assert provision.unpaid_pence == 833_41
    assert [r.debt_type for r in provision.rows] == [
        DebtType.COUNCIL_TAX,
        DebtType.ADULT_SOCIAL_CARE,
        DebtType.SUNDRY,
    ]


def test_a_council_sets_its_own_percentages():
    """At 100% for over 120 days the same sundry item is provided for in full: 200.01."""
    own = policy_from_mapping("own", {"bad_debt_provision_percent": {**PERCENT, "over_120": "100"}})
    provision = bad_debt_provision(ITEMS, own, END_OF_MAY)
    [sundry] = [r for r in provision.rows if r.debt_type == DebtType.SUNDRY]
    assert sundry.provision[AgeBand.OVER_120] == 200_01


def test_a_cost_centre_decides_before_the_debt_type_and_nothing_is_guessed():
    """ENV100 is Place's cost centre although sundry is Operations' type; adult social care is mapped nowhere."""
    assert directorate_name(POLICY, DebtType.SUNDRY, "ENV100") == "Place"
    assert directorate_name(POLICY, DebtType.SUNDRY, "LEI300") == "Operations"
    assert directorate_name(POLICY, DebtType.ADULT_SOCIAL_CARE, "ASC1") == "unassigned"


def test_aged_debt_by_directorate_and_debt_type_in_the_aged_debt_bands():
    """Operations: council tax 120.00 at 91-120; sundry (LEI300) 0.10 at 31-60 and 200.01 over 120.
    Place: sundry 100.00 at 0-30 and 333.30 at 31-60. Unassigned (last): adult social care 80.00 not yet due."""
    report = aged_debt_by_directorate(ITEMS, POLICY, END_OF_MAY)
    rows = {(r.directorate, r.debt_type): r for r in report.rows}
    assert [(r.directorate, r.debt_type.value) for r in report.rows] == [
        ("Operations", "council_tax"),
        ("Operations", "sundry"),
        ("Place", "sundry"),
        ("unassigned", "adult_social_care"),
    ]
    assert rows["Operations", DebtType.SUNDRY].bands[AgeBand.DAYS_31_60] == 10
    assert rows["Operations", DebtType.SUNDRY].bands[AgeBand.OVER_120] == 200_01
    assert rows["Place", DebtType.SUNDRY].total_pence == 433_30
    assert rows["unassigned", DebtType.ADULT_SOCIAL_CARE].bands[AgeBand.NOT_YET_DUE] == 80_00
    assert report.totals[AgeBand.DAYS_31_60] == 333_40
    assert sum(report.totals.values()) == 833_41


def test_the_shipped_policy_has_every_seed_council_and_only_rbwm_names_a_directorate():
    for council in ("derby", "district_sundry", "nelc", "rbwm"):
        policy = policy_from_yaml(DEFAULT_POLICY_PATH.read_text(), council)
        assert set(policy.provision_percent) == set(AgeBand)
        assert policy.review.listed_over_days == (90, 120)
        assert policy.review.decide_within_working_days == 10
    rbwm = policy_from_yaml(DEFAULT_POLICY_PATH.read_text(), "rbwm")
    assert directorate_name(rbwm, DebtType.COUNCIL_TAX, "CT01") == "Operations"
    assert directorate_name(rbwm, DebtType.SUNDRY, "ENV100") == "unassigned"
    derby = policy_from_yaml(DEFAULT_POLICY_PATH.read_text(), "derby")
    assert directorate_name(derby, DebtType.COUNCIL_TAX, "CT01") == "unassigned"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"bad_debt_provision_percent": {**PERCENT, "over_120": "150"}}, "not between 0 and 100"),
        ({"bad_debt_provision_percent": {k: v for k, v in PERCENT.items() if k != "0-30"}}, "missing"),
        ({"bad_debt_provision_percent": {**PERCENT, "1-2 years": "75"}}, "unknown age bands"),
        ({"bad_debt_provision_percent": {**PERCENT, "0-30": "a lot"}}, "not a percentage"),
        (
            {
                "bad_debt_provision_percent": PERCENT,
                "directorates": [
                    {"name": "A", "debt_types": ["sundry"]},
                    {"name": "B", "debt_types": ["sundry"]},
                ],
            },
            "mapped to both",
        ),
        ({"bad_debt_provision_percent": PERCENT, "directorates": [{"name": "unassigned"}]}, "other than"),
        ({"bad_debt_provision_percent": PERCENT, "review": {"debt_types": ["parking"]}}, "review.debt_types"),
    ],
)
def test_a_policy_that_cannot_be_applied_is_refused_with_the_reason(change, reason):
    with pytest.raises(ValueError, match=reason):
        policy_from_mapping("bad", change)


def test_an_unknown_council_is_refused():
    with pytest.raises(ValueError, match="no council 'atlantis'"):
        policy_from_yaml(DEFAULT_POLICY_PATH.read_text(), "atlantis")


def test_percentages_are_decimals_not_floats():
    assert POLICY.provision_percent[AgeBand.DAYS_31_60] == Decimal("5")
