"""Sample letters as posted (issue 16): three of Derby's council tax letters rendered by recovery's own PDF
rendering, and page images of each first page for the README.

Run: .venv/bin/python -m benchmarks.letter_samples [folder]   (default docs/letters; needs `pdftoppm`, from
poppler-utils, for the PNGs: a tool for these docs only, not one the service or its tests need)

The letters, for Ms Jane Example of Flat 2, 14 Friar Gate, Derby DE1 1BU (a person, not a business), with the
facts the daily run would hand them, worked out by the same domain rules:
- `council_tax_reminder`: the first reminder of 1 May 2026 on a £1,500 bill in ten £150 instalments from April,
  £40 of April's paid: it lists April (£110 unpaid of £150) and May, asks for £260 in 7 days and says what follows;
- `council_tax_summons`: the summons issued on 14 September 2026 (the final notice's £900 unpaid), for the first
  Derby Magistrates' Court hearing the law allows (served two working days after posting, then 14 days to
  elapse), with the £80 costs claimed;
- `council_tax_final_notice_large_print`: the final notice of 31 August 2026 (both reminders paid, August not) in
  large print, asking for the rest of the year.
The rendering is deterministic (the same bytes on every run), so the files only change when the letters do.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

from services.recovery.domain.court_sessions import summons_hearing
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.instalments import Instalment, InstalmentLedger, InstalmentPayment
from services.recovery.domain.policy import RecoveryPolicy, StepKind
from services.recovery.domain.policy_loader import load_policy_directory
from services.recovery.domain.regulated_letter_facts import SummonsFacts, regulated_notice_facts
from services.recovery.domain.regulated_path import IssuedNotice
from services.recovery.letter_facts import liability_order_costs
from services.recovery.letter_pdf import PostalAddress, render_letter_pdf
from services.recovery.letters import INDIVIDUAL, letter_for_step
from services.recovery.settings import POLICIES_DIRECTORY

FOLDER = Path(__file__).resolve().parents[1] / "docs" / "letters"
ADDRESS = PostalAddress(("Flat 2", "14 Friar Gate", "Derby"), "DE1 1BU")
NAME = "Ms Jane Example"
REFERENCE = "CT-40012345"
FIRST_DUE = date(2026, 4, 1)
DPI = 100


def _ten_monthly_instalments() -> InstalmentLedger:
    """April to January, on the 1st, £150 each: the usual council tax demand (£1,500 for 2026/27)."""
    months = [(2026, m) for m in range(4, 13)] + [(2027, 1)]
    schedule = [Instalment(n, date(y, m, 1), 150_00) for n, (y, m) in enumerate(months, start=1)]
    return InstalmentLedger("2026/27").with_instalments(schedule)


def _derby_council_tax() -> RecoveryPolicy:
    return load_policy_directory(POLICIES_DIRECTORY)["derby"].policy_for(DebtType.COUNCIL_TAX, None)


def _letter(
    policy: RecoveryPolicy, step_name: str, issued_on: date, owed: int, large: bool, **facts: Any
) -> dict[str, object]:
    issued = letter_for_step(
        policy,
        policy.step_named(step_name),
        debtor_name=NAME,
        reference=REFERENCE,
        debt_type="council_tax",
        financial_year="2026/27",
        amount_owed=owed,
        issued_on=issued_on,
        due_date=FIRST_DUE,
        advice_referral=False,
        large_print=large,
        recipient_kind=INDIVIDUAL,
        **facts,
    )
    return issued.facts


def sample_letters() -> dict[str, dict[str, object]]:
    """The three letters' facts, by file name."""
    policy = _derby_council_tax()
    terms = policy.regulated_terms
    assert terms is not None and policy.court is not None

    part_paid = _ten_monthly_instalments().with_payment(InstalmentPayment("p1", date(2026, 4, 10), 40_00))
    reminder_on = date(2026, 5, 1)
    reminder = regulated_notice_facts(terms, part_paid, (), StepKind.REMINDER, reminder_on)
    assert reminder is not None

    ledger = _ten_monthly_instalments()
    for n, (day, amount) in enumerate([(date(2026, 5, 5), 300_00), (date(2026, 6, 20), 300_00)]):
        ledger = ledger.with_payment(InstalmentPayment(f"p{n}", day, amount))
    reminders = (
        IssuedNotice(StepKind.REMINDER, date(2026, 5, 1)),
        IssuedNotice(StepKind.SECOND_REMINDER, date(2026, 6, 16)),
    )
    final_on = date(2026, 8, 31)
    final = regulated_notice_facts(terms, ledger, reminders, StepKind.FINAL_NOTICE, final_on)
    assert final is not None

    summons_on = date(2026, 9, 14)
    summons_step = policy.step_named("summons")
    hearing = summons_hearing(policy.court, summons_on, summons_step.costs)
    assert hearing is not None

    return {
        "council_tax_reminder": _letter(
            policy, "first_reminder", reminder_on, reminder.amount_asked, False, **reminder.letter_facts()
        ),
        "council_tax_summons": _letter(
            policy,
            "summons",
            summons_on,
            final.amount_asked + summons_step.costs,  # as the daily run says it: the balance and the costs
            False,
            **SummonsFacts(hearing).letter_facts(),
            # as letter_facts_of tells a summons: the further costs the timetable asks with a liability order
            further_costs_pence=liability_order_costs(policy, summons_step),
        ),
        "council_tax_final_notice_large_print": _letter(
            policy, "final_notice", final_on, final.amount_asked, True, **final.letter_facts()
        ),
    }


def write_samples(folder: Path) -> list[Path]:
    """Each letter's PDF and its first page as a PNG at `DPI`; the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    pdftoppm = shutil.which("pdftoppm")
    written: list[Path] = []
    for name, facts in sample_letters().items():
        rendered = render_letter_pdf(facts, ADDRESS)
        pdf = folder / f"{name}.pdf"
        pdf.write_bytes(rendered.pdf)
        written.append(pdf)
        print(
            f"{pdf}: {rendered.page_count} pages, {len(rendered.pdf) / 1e3:.0f} kB, sha256 {rendered.sha256[:12]}"
        )
        if pdftoppm is None:
            print("pdftoppm not found (apt-get install poppler-utils): no page image", file=sys.stderr)
            continue
        stem = folder / f"{name}-page1"
        subprocess.run(
            [pdftoppm, "-png", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
            check=True,
        )
        written.append(stem.with_suffix(".png"))
        print(f"{stem.with_suffix('.png')}")
    return written


if __name__ == "__main__":
    write_samples(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER)
