"""Letters for recovery steps: plain English, the amount, what happens next and when, how to pay, where to get
free advice, the rights of appeal, and a large-print variant.

`render_notice` is pure: template text in, letter text out. Templates live in `services/recovery/letters/` as
jinja2; `letter_templates` reads that folder (reading only) so the wiring can pass the texts in.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from jinja2 import DictLoader, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from services.recovery.domain.policy import Anchor, RecoveryPolicy, RecoveryStep, StepKind
from services.recovery.domain.regulated_path import NOTICE_PERIOD_DAYS
from shared.money import Pence, format_pounds

LETTERS_DIR = Path(__file__).resolve().parent.parent / "letters"
LARGE_PRINT_WIDTH = 40
STANDARD_WIDTH = 78

# What the debtor is told happens if they do not pay, by the kind of the step that would follow.
_NEXT_STEP_IN_PLAIN_ENGLISH: dict[StepKind, str] = {
    StepKind.REMINDER: "we will send you a reminder",
    StepKind.SECOND_REMINDER: "we will send you a second reminder",
    StepKind.THIRD_REMINDER: "we will send you a third reminder",
    StepKind.FINAL_NOTICE: "we will send you a final notice",
    StepKind.SUMMONS: "we will ask the magistrates' court for a summons, and court costs will be added",
    StepKind.LIABILITY_ORDER: "we will ask the magistrates' court for a liability order, and more costs will be added",
    StepKind.NOTICE_OF_LIABILITY_ORDER: "we will write to you about the liability order and ask about your employment",
    StepKind.STATEMENT_OF_ACCOUNT: "we will send you a statement of your account",
    StepKind.ORIGINATING_SECTION_REVIEW: "the service that sent the bill will review your account",
    StepKind.PROOF_OF_DEBT_REQUEST: "the service that sent the bill will check the evidence for it",
    StepKind.CARE_MANAGER_REVIEW: "your care manager will talk to you about how to pay",
    StepKind.ENFORCEMENT_AGENT_REFERRAL: "we may pass your account to enforcement agents, who will add their fees",
    StepKind.COLLECTION_AGENCY_REFERRAL: "we may pass your account to a collection agency",
    StepKind.LEGAL_REFERRAL: "we may pass your account to our legal team to take you to court",
    StepKind.WITHDRAWAL_OF_SERVICE: "we may stop providing the service until the bill is paid",
    StepKind.NOTICE_TO_QUIT: "we may give you notice to leave the site",
    StepKind.LEGAL_CHARGE: "we may place a legal charge on the property",
    StepKind.WRITE_OFF_REQUEST: "we will review whether to continue recovering this debt",
}


def plain_english_for(kind: StepKind) -> str:
    """What a step of this kind means for the debtor, as a letter says it."""
    return _NEXT_STEP_IN_PLAIN_ENGLISH[kind]


def letter_date(day: date) -> str:
    """A date as councils write it on letters: '5 March 2025'."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class CouncilContact:
    """How the debtor pays and reaches the council, printed on every letter."""

    council_name: str
    phone: str
    email: str
    website: str
    payment_methods: tuple[str, ...]
    advice_services: tuple[str, ...] = (
        "StepChange Debt Charity: 0800 138 1111, www.stepchange.org (free)",
        "National Debtline: 0808 808 4000, www.nationaldebtline.org (free)",
        "Citizens Advice: 0800 144 8848, www.citizensadvice.org.uk (free)",
    )


@dataclass(frozen=True)
class NoticeContext:
    """Everything a recovery letter says, already worked out."""

    contact: CouncilContact
    debtor_name: str
    reference: str
    debt_description: str
    step_kind: StepKind
    issued_on: date
    amount_owed: Pence
    costs_added: Pence
    pay_by: date
    next_step: str | None
    next_step_from: date | None
    appeal_rights: str
    advice_referral: bool = False
    extra: Mapping[str, object] = field(default_factory=dict)

    def template_values(self, large_print: bool) -> dict[str, object]:
        """The values the templates use, money and dates already written as on a letter."""
        return {
            "council_name": self.contact.council_name,
            "phone": self.contact.phone,
            "email": self.contact.email,
            "website": self.contact.website,
            "payment_methods": list(self.contact.payment_methods),
            "advice_services": list(self.contact.advice_services),
            "debtor_name": self.debtor_name,
            "reference": self.reference,
            "debt_description": self.debt_description,
            "step_kind": self.step_kind.value,
            "issued_on": letter_date(self.issued_on),
            "amount_owed": format_pounds(self.amount_owed),
            "costs_added": format_pounds(self.costs_added) if self.costs_added else "",
            "pay_by": letter_date(self.pay_by),
            "next_step": self.next_step or "",
            "next_step_from": letter_date(self.next_step_from) if self.next_step_from else "",
            "appeal_rights": self.appeal_rights,
            "advice_referral": self.advice_referral,
            "large_print": large_print,
            **dict(self.extra),
        }


@lru_cache(maxsize=16384)
def _wrapped(line: str, width: int) -> tuple[str, ...]:
    # Most lines of a letter are the same in every letter (how to pay, advice, rights): wrap each once.
    indent = "  " if line.startswith("- ") else ""
    return tuple(textwrap.wrap(line, width=width, subsequent_indent=indent) or [""])


def _reflow(text: str, width: int) -> str:
    # Paragraphs keep their breaks; list lines ("- ...") stay one item per line.
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            out.append("")
            continue
        out.extend(_wrapped(stripped, width))
    # Never more than one blank line in a row.
    collapsed: list[str] = []
    for line in out:
        if line == "" and collapsed and collapsed[-1] == "":
            continue
        collapsed.append(line)
    return "\n".join(collapsed).strip() + "\n"


@lru_cache(maxsize=256)
def _compiled_letter(template_text: str, includes: tuple[tuple[str, str], ...]) -> Template:
    # Compiling a template costs far more than rendering it; a daily run renders thousands of the same letter.
    env = SandboxedEnvironment(
        loader=DictLoader({**dict(includes), "__letter__": template_text}),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("__letter__")


def render_notice(
    template_text: str,
    context: NoticeContext,
    large_print: bool = False,
    includes: Mapping[str, str] | None = None,
) -> str:
    """Render one letter. `includes` are other template texts the letter includes by name (e.g. the footer).

    Large print is the same letter with short lines and a large-print heading, for a 16-point print run.
    Undefined values fail loudly rather than leave a gap in a letter.
    """
    letter = _compiled_letter(template_text, tuple(sorted(dict(includes or {}).items())))
    text = letter.render(**context.template_values(large_print))
    if large_print:
        return "LARGE PRINT\n\n" + _reflow(text, LARGE_PRINT_WIDTH)
    return _reflow(text, STANDARD_WIDTH)


def render_letter_text(template_text: str, values: Mapping[str, object], includes: Mapping[str, str]) -> str:
    """A letter's text exactly as its template writes it, one line per paragraph (not wrapped): what the PDF
    letters lay out themselves."""
    return _compiled_letter(template_text, tuple(sorted(dict(includes).items()))).render(**values)


def letter_templates(folder: Path = LETTERS_DIR) -> dict[str, str]:
    """Every letter template in the folder by file name (reading only)."""
    return {file.name: file.read_text(encoding="utf-8") for file in sorted(folder.glob("*.j2"))}


_REGULATED_NOTICE_KINDS = frozenset({StepKind.REMINDER, StepKind.SECOND_REMINDER, StepKind.FINAL_NOTICE})


def notice_context_for_step(
    policy: RecoveryPolicy,
    step: RecoveryStep,
    contact: CouncilContact,
    debtor_name: str,
    reference: str,
    debt_description: str,
    amount_owed: Pence,
    issued_on: date,
    due_date: date,
    appeal_rights: str,
    advice_referral: bool = False,
) -> NoticeContext:
    """The letter for `step`: pay within the step's days, and what the timetable does next if not paid.

    The next step's date is its earliest: the pay-by date, or later when the next step's own timing (from the
    due date, or from this step) falls later.
    """
    pay_by = issued_on + timedelta(days=step.pay_within_days)
    if policy.regulated_terms is not None and step.kind in _REGULATED_NOTICE_KINDS:
        # The law's 7 days begin with the day of issue (CT reg 23(3), 33): the last day to pay is the 6th after.
        # Promising a later day would summons someone who paid by the date the letter gave.
        pay_by = issued_on + timedelta(days=NOTICE_PERIOD_DAYS - 1)
    extra = _regulated_warning(policy, step, pay_by)
    index = policy.index_of(step.name)
    following = next((s for s in policy.steps[index + 1 :] if s.contact or s.enforcement), None)
    next_text = plain_english_for(following.kind) if following else None
    next_from = None
    if following is not None:
        anchor = due_date if following.trigger.anchor is Anchor.DUE_DATE else issued_on
        next_from = max(pay_by, following.trigger.eligible_from(anchor))
    return NoticeContext(
        contact=contact,
        debtor_name=debtor_name,
        reference=reference,
        debt_description=debt_description,
        step_kind=step.kind,
        issued_on=issued_on,
        amount_owed=amount_owed,
        costs_added=step.costs,
        pay_by=pay_by,
        next_step=next_text,
        next_step_from=next_from,
        appeal_rights=appeal_rights,
        advice_referral=advice_referral,
        extra=extra,
    )


def _regulated_warning(policy: RecoveryPolicy, step: RecoveryStep, pay_by: date) -> dict[str, object]:
    """What the law makes a council tax or rates notice say will happen if it is not paid (CT reg 23(1)(iii),
    (iv)): the right to pay by instalments is lost and the rest of the year's bill becomes due."""
    if policy.regulated_terms is None or step.kind not in _REGULATED_NOTICE_KINDS:
        return {}
    if step.kind is StepKind.FINAL_NOTICE:
        return {
            "regulated_variant": "final_notice",
            "regulated_warning": "You have lost the right to pay by instalments for this year: the amount above "
            f"is due now. If it is not paid by {letter_date(pay_by)}, we may ask the magistrates' court for a "
            "liability order.",
        }
    lost_on = pay_by + timedelta(days=NOTICE_PERIOD_DAYS + 1)
    warning = (
        f"If you do not pay the instalments above by {letter_date(pay_by)}, you lose the right to pay by "
        f"instalments, and the whole of the rest of this year's bill becomes due on {letter_date(lost_on)}."
    )
    if step.kind is StepKind.SECOND_REMINDER or policy.regulated_terms.reminders_in_year == 1:
        warning += (
            " If you pay them but then miss another instalment this year, you will not get another reminder: "
            "the whole of the rest of this year's bill will become due the day after the missed instalment."
            if policy.regulated_terms.reminders_in_year == 2
            else " If you pay them but then miss another instalment this year, we will send a final notice."
        )
    # The variant and the day, for letters that say the same in another language (letters/cy/).
    variant = "first_reminder"
    if step.kind is StepKind.SECOND_REMINDER or policy.regulated_terms.reminders_in_year == 1:
        variant = "last_reminder" if policy.regulated_terms.reminders_in_year == 2 else "only_reminder"
    return {
        "regulated_warning": warning,
        "regulated_variant": variant,
        "rest_of_year_due_on": lost_on.isoformat(),
    }
