"""Reading a council's write-off configuration (reasons and approval bands) from YAML, one file per council.

The loader reports every problem it finds, not just the first,
so a finance officer can fix a file in one pass.
File format: see ``services/writeoff/bands/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .bands import ApprovalBand, BandTable, CouncilWriteOffPolicy
from .reasons import OTHER_REASON_CODE, ReasonCatalogue, WriteOffReason, default_reason_catalogue
from .split_debts import DEFAULT_SPLIT_DEBT_WINDOW_DAYS

BANDS_DIRECTORY = Path(__file__).resolve().parent.parent / "bands"

DEFAULT_STATEMENT_OF_NO_INTEREST = (
    "I declare that I have no interest in any debt on this schedule: it is not owed by me, a relative "
    "(including by marriage), a relative of a current or former partner, a friend or neighbour, "
    "an organisation "
    "of which I or a relative am a member, or a company or individual with whom I have a business "
    "relationship."
)

_TOP_KEYS = {
    "council",
    "also_known_as",
    "name",
    "source",
    "statement_of_no_interest",
    "reinstatement_referral_role",
    "reasons",
    "band_tables",
    "split_debt_window_days",
}
_REASON_KEYS = {
    "code",
    "description",
    "requires_written_report",
    "goes_to_top_band",
    "requires_panel",
    "debt_types",
}
_TABLE_KEYS = {"debt_types", "other_reason_band", "other_reason_bands", "bands"}
_BAND_KEYS = {"name", "title", "roles", "committee", "up_to_pence", "below_pence"}


class BandConfigError(ValueError):
    """A council's write-off configuration is invalid; ``problems`` lists every fault found."""

    def __init__(self, origin: str, problems: list[str]) -> None:
        self.origin = origin
        self.problems = problems
        super().__init__(f"{origin}: " + "; ".join(problems))


def load_council_policy(path: str | Path) -> CouncilWriteOffPolicy:
    """Read and validate one council's bands file."""
    file = Path(path)
    return parse_council_policy(file.read_text(encoding="utf-8"), origin=str(file))


def load_every_council_policy(directory: str | Path = BANDS_DIRECTORY) -> dict[str, CouncilWriteOffPolicy]:
    """Read every ``*.yaml`` bands file in ``directory``, keyed by council code."""
    policies: dict[str, CouncilWriteOffPolicy] = {}
    for file in sorted(Path(directory).glob("*.yaml")):
        policy = load_council_policy(file)
        if policy.council in policies:
            raise BandConfigError(str(file), [f"council {policy.council!r} is configured twice"])
        policies[policy.council] = policy
    return policies


def council_named(policies: Mapping[str, CouncilWriteOffPolicy], name: str | None) -> str | None:
    """The council code another service's name stands for (its own code, or one in `also_known_as`)."""
    if not name:
        return None
    if name in policies:
        return name
    return next((code for code, policy in policies.items() if name in policy.also_known_as), None)


def parse_council_policy(text: str, origin: str = "<bands>") -> CouncilWriteOffPolicy:
    """Validate a council's bands YAML given as text and build its policy (BandConfigError when invalid)."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BandConfigError(origin, [f"not valid YAML: {error}"]) from error
    problems: list[str] = []
    if not isinstance(document, dict):
        raise BandConfigError(origin, ["the file must be a mapping with council, name and band_tables"])
    _unknown_keys(document, _TOP_KEYS, "top level", problems)
    council = _required_text(document, "council", "top level", problems)
    name = _required_text(document, "name", "top level", problems)
    statement = document.get("statement_of_no_interest", DEFAULT_STATEMENT_OF_NO_INTEREST)
    if not isinstance(statement, str) or not statement.strip():
        problems.append("statement_of_no_interest must be non-empty text")
        statement = DEFAULT_STATEMENT_OF_NO_INTEREST
    referral = document.get("reinstatement_referral_role")
    if referral is not None and (not isinstance(referral, str) or not referral.strip()):
        problems.append("reinstatement_referral_role must be a role name")
        referral = None
    source = document.get("source", "")
    also_known_as = document.get("also_known_as", [])
    if not isinstance(also_known_as, list) or not all(
        isinstance(a, str) and a.strip() for a in also_known_as
    ):
        problems.append("also_known_as must be a list of council codes")
        also_known_as = []
    window = document.get("split_debt_window_days", DEFAULT_SPLIT_DEBT_WINDOW_DAYS)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        problems.append("split_debt_window_days must be a whole number of days (0 or more)")
        window = DEFAULT_SPLIT_DEBT_WINDOW_DAYS
    tables = _tables(document.get("band_tables"), problems)
    # Derby App.1 §8: where every table names the bands giving an "other" reason its final approval, the
    # reason goes to those bands, not to the top band.
    other_routed = bool(tables) and all(table.other_reason_bands for table in tables)
    reasons = _reasons(document.get("reasons"), problems, other_routed)
    if problems:
        raise BandConfigError(origin, problems)
    return CouncilWriteOffPolicy(
        council=council,
        name=name,
        reasons=reasons,
        tables=tables,
        statement_of_no_interest=statement.strip(),
        reinstatement_referral_role=referral,
        source=str(source),
        also_known_as=tuple(a.strip() for a in also_known_as),
        split_debt_window_days=window,
    )


def _unknown_keys(mapping: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(mapping) - allowed, key=str):
        problems.append(f"{where}: unknown key {key!r}")


def _required_text(mapping: dict[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: {key} is required and must be text")
        return ""
    return value.strip()


def _text_list(value: Any, where: str, problems: list[str]) -> frozenset[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where} must be a non-empty list of names")
        return frozenset()
    return frozenset(v.strip() for v in value)


def _reasons(raw: Any, problems: list[str], other_routed: bool = False) -> ReasonCatalogue:
    if raw is None:
        return default_reason_catalogue()
    if not isinstance(raw, list) or not raw:
        problems.append("reasons must be a non-empty list")
        return ReasonCatalogue(())
    reasons: list[WriteOffReason] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        where = f"reason {index}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a mapping with code and description")
            continue
        _unknown_keys(entry, _REASON_KEYS, where, problems)
        code = _required_text(entry, "code", where, problems)
        description = _required_text(entry, "description", where, problems)
        if code in seen:
            problems.append(f"{where}: code {code!r} appears twice")
        seen.add(code)
        is_other = code == OTHER_REASON_CODE
        report = entry.get("requires_written_report", is_other)
        top = entry.get("goes_to_top_band", is_other)
        panel = entry.get("requires_panel", False)
        if not isinstance(report, bool) or not isinstance(top, bool) or not isinstance(panel, bool):
            problems.append(
                f"{where}: requires_written_report, goes_to_top_band and requires_panel must be true or false"
            )
            continue
        if is_other and not report:
            # Derby App.1 §8: any other reason needs a full written report.
            problems.append(f"{where}: the 'other' reason must require a written report")
        if is_other and not top and not other_routed:
            # DOMAIN.md 9: any other reason goes to the top band, unless every band table names the bands
            # that give it final approval (other_reason_bands; Derby App.1 §8).
            problems.append(
                f"{where}: the 'other' reason must go to the top band unless every band table names "
                "its other_reason_bands"
            )
        if is_other and top and other_routed:
            problems.append(
                f"{where}: the 'other' reason cannot both go to the top band and to the band tables' "
                "other_reason_bands"
            )
        debt_types: frozenset[str] = frozenset()
        if "debt_types" in entry:
            debt_types = _text_list(entry["debt_types"], f"{where}: debt_types", problems)
        reasons.append(WriteOffReason(code, description, report, top, debt_types, requires_panel=panel))
    return ReasonCatalogue(tuple(reasons))


def _tables(raw: Any, problems: list[str]) -> tuple[BandTable, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append("band_tables is required: a non-empty list of tables")
        return ()
    tables: list[BandTable] = []
    claimed: dict[str, int] = {}
    for index, entry in enumerate(raw, start=1):
        where = f"band table {index}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a mapping with debt_types and bands")
            continue
        _unknown_keys(entry, _TABLE_KEYS, where, problems)
        debt_types = _text_list(entry.get("debt_types"), f"{where}: debt_types", problems)
        for debt_type in sorted(debt_types):
            if debt_type in claimed:
                problems.append(
                    f"{where}: debt type {debt_type!r} is already in band table {claimed[debt_type]}"
                )
            claimed[debt_type] = index
        bands = _bands(entry.get("bands"), where, problems)
        band_names = {band.name for band in bands}
        other = entry.get("other_reason_band")
        if other is not None and other not in band_names:
            problems.append(f"{where}: other_reason_band {other!r} is not a band in this table")
        final_approvers: tuple[str, ...] = ()
        if "other_reason_bands" in entry:
            named = _text_list(entry["other_reason_bands"], f"{where}: other_reason_bands", problems)
            for name in sorted(named - band_names):
                problems.append(f"{where}: other_reason_bands names {name!r}, not a band in this table")
            # Lowest authority first, as the bands run.
            final_approvers = tuple(band.name for band in bands if band.name in named)
            if other is not None and final_approvers:
                problems.append(f"{where}: give other_reason_band or other_reason_bands, not both")
        tables.append(BandTable(debt_types, bands, other, final_approvers))
    return tuple(tables)


def _limit(entry: dict[str, Any], key: str, where: str, problems: list[str]) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    # bool is an int in Python; "true" is never a sum of money.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        problems.append(f"{where}: {key} must be a positive whole number of pence")
        return None
    return value


def _bands(raw: Any, table_where: str, problems: list[str]) -> tuple[ApprovalBand, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{table_where}: bands must be a non-empty list")
        return ()
    bands: list[ApprovalBand] = []
    names: set[str] = set()
    previous_ceiling = 0  # the highest amount, in pence, the band below covers
    for index, entry in enumerate(raw):
        where = f"{table_where}, band {index + 1}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a mapping")
            continue
        _unknown_keys(entry, _BAND_KEYS, where, problems)
        name = _required_text(entry, "name", where, problems)
        if name in names:
            problems.append(f"{where}: band name {name!r} appears twice")
        names.add(name)
        title = entry.get("title", name)
        committee = entry.get("committee")
        roles: frozenset[str] = frozenset()
        if committee is not None:
            if not isinstance(committee, str) or not committee.strip():
                problems.append(f"{where}: committee must be the committee's name")
                committee = None
            else:
                committee = committee.strip()
            if "roles" in entry:
                problems.append(f"{where}: a band is decided by roles or by a committee, not both")
        else:
            roles = _text_list(entry.get("roles"), f"{where}: roles", problems)
        up_to = _limit(entry, "up_to_pence", where, problems)
        below = _limit(entry, "below_pence", where, problems)
        is_last = index == len(raw) - 1
        if up_to is not None and below is not None:
            problems.append(f"{where}: give up_to_pence (inclusive) or below_pence (exclusive), not both")
        elif is_last and (up_to is not None or below is not None):
            problems.append(
                f"{where}: the top band must have no upper limit, so every amount has an approver"
            )
        elif not is_last and up_to is None and below is None:
            problems.append(f"{where}: only the top band may have no upper limit")
        ceiling = up_to if up_to is not None else (below - 1 if below is not None else None)
        if ceiling is not None:
            if ceiling <= previous_ceiling:
                problems.append(f"{where}: limits must rise from one band to the next")
            previous_ceiling = ceiling
        bands.append(
            ApprovalBand(
                name=name,
                title=str(title),
                rank=index,
                roles=roles,
                committee=committee,
                up_to_pence=up_to,
                below_pence=below,
            )
        )
    return tuple(bands)
