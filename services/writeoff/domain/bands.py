"""Approval bands: who may approve a write-off of a given aggregate amount (DOMAIN.md 9).

A band covers amounts above the previous band's limit up to its own: ``up_to_pence`` is an inclusive limit
("up to £10,000", "maximum £1,000"), ``below_pence`` an exclusive one ("£10,000 to £19,999" before
"£20,000 and over"); the top band has neither. Because each band starts where the one below it ends, a table
written in whole pounds ("£5,001-£10,000") leaves no gap in pence.

A band is approved either by an officer holding one of its ``roles`` or, where ``committee`` is set, by a
decision of that committee (Cabinet, Executive, full Council) recorded with its meeting reference and date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared.money import Pence, format_pounds

from .reasons import OTHER_REASON_CODE, ReasonCatalogue

# The band table a council applies to any debt type it has not configured separately.
EVERY_OTHER_DEBT_TYPE = "*"


class NoBandTableForDebtType(LookupError):
    """The council has no approval band table covering this debt type."""


@dataclass(frozen=True, slots=True)
class ApprovalBand:
    """One row of a council's approval table; ``rank`` 0 is the lowest authority."""

    name: str
    title: str
    rank: int
    roles: frozenset[str]
    committee: str | None = None
    up_to_pence: Pence | None = None
    below_pence: Pence | None = None

    @property
    def decided_by_committee(self) -> bool:
        """True when a committee decides this band, not an officer's signature."""
        return self.committee is not None

    def covers(self, amount: Pence) -> bool:
        """True when ``amount`` is within this band's upper limit (inclusive or exclusive as configured)."""
        if self.up_to_pence is not None:
            return amount <= self.up_to_pence
        if self.below_pence is not None:
            return amount < self.below_pence
        return True

    def describe_limit(self) -> str:
        """The band's limit in words, for refusal messages and the approvals page."""
        if self.up_to_pence is not None:
            return f"up to and including {format_pounds(self.up_to_pence)}"
        if self.below_pence is not None:
            return f"below {format_pounds(self.below_pence)}"
        return "no upper limit"


@dataclass(frozen=True, slots=True)
class BandTable:
    """The ordered approval bands a council applies to some debt types (lowest authority first)."""

    debt_types: frozenset[str]
    bands: tuple[ApprovalBand, ...]
    other_reason_band: str | None = None
    # The only bands that give final approval to an "other" reason, lowest first (Derby App.1 §8: "submit for
    # final approval to either the Head of Business Support and Debt Management or the Director of Finance").
    other_reason_bands: tuple[str, ...] = ()

    def band_for_amount(self, amount: Pence) -> ApprovalBand:
        """The lowest band whose limit covers ``amount``: the minimum approval required."""
        for band in self.bands:
            if band.covers(amount):
                return band
        # The loader guarantees an unlimited top band; a table built by hand may not have one.
        raise ValueError(f"no approval band covers {format_pounds(amount)}")

    @property
    def top_band(self) -> ApprovalBand:
        """The highest authority in the table."""
        return self.bands[-1]

    def band_named(self, name: str) -> ApprovalBand:
        """The band with this name (KeyError when the table has none)."""
        for band in self.bands:
            if band.name == name:
                return band
        raise KeyError(name)

    def band_for_other_reason(self) -> ApprovalBand:
        """Where an "other" reason goes: the configured band, else the top band (Derby App.1 §8)."""
        if self.other_reason_band is not None:
            return self.band_named(self.other_reason_band)
        return self.top_band

    def band_for_other_reason_by_amount(self, amount: Pence) -> ApprovalBand:
        """Where an "other" reason goes when ``other_reason_bands`` names its final approvers (Derby App.1 §8).

        The lowest named band at or above the band the amount needs; beyond the highest named band's limit,
        the highest named band, since no other band gives an "other" reason its final approval. Derby: up to
        £10,000 the Head of Business Support and Debt Management, above it the Director of Finance, never
        Cabinet.
        """
        named = sorted((self.band_named(name) for name in self.other_reason_bands), key=lambda b: b.rank)
        by_amount = self.band_for_amount(amount)
        for band in named:
            if band.rank >= by_amount.rank:
                return band
        return named[-1]

    def highest_officer_band_held(self, roles: Iterable[str]) -> ApprovalBand | None:
        """The highest band any of these roles signs for, or None when they sign for none."""
        held = set(roles)
        best: ApprovalBand | None = None
        for band in self.bands:
            if not band.decided_by_committee and band.roles & held:
                best = band
        return best

    def committee_band(self, committee: str) -> ApprovalBand | None:
        """The band this committee decides (names compared case-insensitively), or None."""
        wanted = committee.strip().casefold()
        for band in self.bands:
            if band.committee is not None and band.committee.casefold() == wanted:
                return band
        return None


@dataclass(frozen=True, slots=True)
class CouncilWriteOffPolicy:
    """A council's write-off configuration: reasons, band tables by debt type and the wording it uses."""

    council: str
    name: str
    reasons: ReasonCatalogue
    tables: tuple[BandTable, ...]
    statement_of_no_interest: str
    reinstatement_referral_role: str | None = None
    source: str = ""
    also_known_as: tuple[str, ...] = ()  # the codes other services use for this council
    # Requests for one debtor's debt raised within this many days of each other are summed to decide the band.
    split_debt_window_days: int = 90

    def table_for(self, debt_type: str) -> BandTable:
        """The band table for this debt type: its own table, else the council's table for every other type."""
        fallback: BandTable | None = None
        for table in self.tables:
            if debt_type in table.debt_types:
                return table
            if EVERY_OTHER_DEBT_TYPE in table.debt_types:
                fallback = table
        if fallback is None:
            raise NoBandTableForDebtType(f"{self.name} has no write-off approval bands for {debt_type}")
        return fallback

    def required_band(self, amount: Pence, debt_type: str, reason_codes: Iterable[str] = ()) -> ApprovalBand:
        """The minimum approval an aggregate ``amount`` needs; an "other" reason lifts it to its own band.

        Where the table names the bands that give an "other" reason its final approval
        (``other_reason_bands``, Derby App.1 §8), a schedule of "other" lines goes to one of them by amount and
        never to a band beyond them; a schedule mixing them with lines for other reasons needs at least the
        band its aggregate needs (App.1 §10-11) as well.
        """
        codes = tuple(reason_codes)
        table = self.table_for(debt_type)
        by_amount = table.band_for_amount(amount)
        if table.other_reason_bands and OTHER_REASON_CODE in codes:
            routed = table.band_for_other_reason_by_amount(amount)
            if all(code == OTHER_REASON_CODE for code in codes):
                return routed
            return routed if routed.rank > by_amount.rank else by_amount
        if self.reasons.goes_to_top_band(codes):
            other = table.band_for_other_reason()
            return other if other.rank > by_amount.rank else by_amount
        return by_amount
