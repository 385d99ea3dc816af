"""A court results file (the format is `services/recovery/COURT_RESULTS.md`): one CSV row per summons with the
magistrates' court's outcome. Pure: bytes in, rows and the problems of each bad row out. The file is taken whole
or not at all, so every row is checked before any is applied.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.recovery.domain.regulated_path import CourtOutcome, CourtResult

COLUMNS = (
    "case_id",
    "account_reference",
    "heard_on",
    "outcome",
    "court_reference",
    "costs_awarded_pence",
    "adjourned_to",
)
REQUIRED_COLUMNS = ("case_id", "heard_on", "outcome")
MOST_ROWS = 50_000


@dataclass(frozen=True)
class CourtResultRow:
    """One row of the file: the case whose summons it is about and the court's outcome."""

    line: int
    case_id: UUID
    account_reference: str | None
    result: CourtResult


@dataclass(frozen=True)
class RowProblem:
    """Why a row (or, with line 1 and no case, the file itself) cannot be applied."""

    line: int
    reason: str
    case_id: str | None = None

    def as_text(self) -> str:
        """The problem as the report says it."""
        where = f"line {self.line}" + (f" (case {self.case_id})" if self.case_id else "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class ParsedFile:
    """The file's sha256, its good rows and the problems of its bad ones."""

    sha256: str
    rows: tuple[CourtResultRow, ...]
    problems: tuple[RowProblem, ...]


def sha256_of(content: bytes) -> str:
    """The file's identity: the same bytes are the same file, whatever it is called."""
    return hashlib.sha256(content).hexdigest()


def parse_court_results(content: bytes) -> ParsedFile:
    """Read the file: its header, then each row; every problem is reported with the row's line number."""
    digest = sha256_of(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParsedFile(digest, (), (RowProblem(1, "the file is not UTF-8 text"),))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return ParsedFile(digest, (), (RowProblem(1, "the file is empty: a header row is needed"),))
    names = [h.strip().lower() for h in header]
    header_problems = _header_problems(names)
    if header_problems:
        return ParsedFile(digest, (), tuple(RowProblem(1, p) for p in header_problems))
    rows: list[CourtResultRow] = []
    problems: list[RowProblem] = []
    seen: dict[UUID, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # a blank line says nothing
        if len(rows) + len(problems) >= MOST_ROWS:
            problems.append(RowProblem(line, f"a file holds at most {MOST_ROWS} rows"))
            break
        if len(values) != len(names):
            problems.append(
                RowProblem(line, f"{len(values)} values where the header has {len(names)} columns")
            )
            continue
        case_id, row, row_problems = _row(line, dict(zip(names, (v.strip() for v in values), strict=True)))
        if case_id is not None and case_id in seen:
            row_problems.append(f"a second row for this summons (the first is on line {seen[case_id]})")
        if case_id is not None:
            seen.setdefault(case_id, line)
        if row is None or row_problems:
            problems.extend(RowProblem(line, p, str(case_id) if case_id else None) for p in row_problems)
            continue
        rows.append(row)
    if not rows and not problems:
        problems.append(RowProblem(1, "the file has a header but no rows"))
    return ParsedFile(digest, tuple(rows), tuple(problems))


def _header_problems(names: list[str]) -> list[str]:
    problems = [
        f"unknown column '{n}'; the columns are {', '.join(COLUMNS)}" for n in names if n not in COLUMNS
    ]
    problems += [f"column '{n}' appears twice" for n in sorted(set(names)) if names.count(n) > 1]
    problems += [f"the required column '{n}' is missing" for n in REQUIRED_COLUMNS if n not in names]
    return problems


def _row(line: int, values: dict[str, str]) -> tuple[UUID | None, CourtResultRow | None, list[str]]:
    """One row's case id and values as a `CourtResultRow`, or the reasons it cannot be one. Only the file's own
    rules here;
    whether the case's summons can take the outcome is checked against the case (`court_outcomes`)."""
    problems: list[str] = []
    case_id = _uuid(values.get("case_id", ""), problems)
    heard_on = _date(values.get("heard_on", ""), "heard_on", problems)
    adjourned_to = _date(values.get("adjourned_to", ""), "adjourned_to", problems, required=False)
    outcome = None
    try:
        outcome = CourtOutcome(values.get("outcome", "").lower())
    except ValueError:
        known = ", ".join(o.value for o in CourtOutcome)
        problems.append(f"outcome '{values.get('outcome', '')}' is not one of {known}")
    costs = 0
    if raw := values.get("costs_awarded_pence", ""):
        if raw.isdigit():
            costs = int(raw)
        else:
            problems.append(f"costs_awarded_pence '{raw}' is not a whole number of pence")
    reference = values.get("court_reference", "") or None
    if outcome is CourtOutcome.GRANTED and (reference is None or not raw):
        problems.append("a granted liability order needs the court_reference and the costs_awarded_pence")
    if outcome is not None and outcome is not CourtOutcome.GRANTED and (reference or costs):
        problems.append("only a granted order has a court_reference and costs_awarded_pence")
    if outcome is CourtOutcome.ADJOURNED and adjourned_to is None and not problems:
        problems.append("an adjourned hearing needs adjourned_to, the later date")
    if outcome is not CourtOutcome.ADJOURNED and values.get("adjourned_to"):
        problems.append("only an adjourned hearing has adjourned_to")
    if problems or case_id is None or heard_on is None or outcome is None:
        return case_id, None, problems
    result = CourtResult(outcome, heard_on, reference, costs, adjourned_to)
    return case_id, CourtResultRow(line, case_id, values.get("account_reference") or None, result), problems


def _uuid(raw: str, problems: list[str]) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        problems.append(f"case_id '{raw}' is not a case id" if raw else "case_id is missing")
        return None


def _date(raw: str, column: str, problems: list[str], required: bool = True) -> date | None:
    if not raw:
        if required:
            problems.append(f"{column} is missing")
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(f"{column} '{raw}' is not a date (YYYY-MM-DD)")
        return None
