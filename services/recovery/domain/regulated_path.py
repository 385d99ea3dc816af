"""The regulated path for council tax and business rates: reminder, loss of instalments, final notice, summons,
and the liability order the magistrates' court grants (or not).

Statute fixes the steps (Council Tax (Administration and Enforcement) Regulations 1992, regs 23, 33-35; the
Non-Domestic Rating (Collection and Enforcement) (Local Lists) Regulations 1989 follow the same scheme); the
council's policy file only says when, within the law, it acts (`RegulatedTerms`). Pure: every decision is a
function of the year's `InstalmentLedger`, the notices already issued and the business date, and looks only at
facts dated before that date, so the same events in any arrival order give the same steps on the same dates.

The law, as applied here:
- reg 23(1): an instalment not paid on or before its day is in default from the next day; a reminder notice asks
  for the instalments then due and unpaid and those falling due within its 7 days.
- reg 23(3): not paid within the 7 days beginning with the day the reminder is issued (issue day D: D..D+6), the
  failure is on D+7 and the unpaid balance for the year becomes payable at the expiry of a further 7 days
  beginning with that day: on D+14. Paid in time: the instalments carry on.
- reg 23(4): after a second reminder has been paid, a further default makes the balance payable on the day after
  the failure; the council then serves a final notice (reg 33) and waits its 7 days.
- reg 34(1): a summons only for a sum that has become payable and is still unpaid: at the earliest the day after
  it became payable (reg 23(3)), or after the final notice's 7 days; never when what the notice asked was paid.
- reg 35(2A): the hearing is at least 14 days after the summons is served.
- reg 34-35 and 45 onwards: the court grants the liability order; enforcement needs a granted order on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.recovery.domain.instalments import Instalment, InstalmentLedger
from services.recovery.domain.policy import DayBasis, StepKind
from shared.money import Pence
from shared.working_days import add_working_days

# The law's periods, in days; no policy file can shorten them.
NOTICE_PERIOD_DAYS = 7  # reg 23(3), reg 33: 7 days beginning with the day of issue
FURTHER_PERIOD_DAYS = 7  # reg 23(3): the balance is payable at the expiry of a further 7 days
MOST_REMINDERS_IN_A_YEAR = 2  # reg 23(4): after the second, a further default loses the instalments at once
SUMMONS_TO_HEARING_DAYS = 14  # reg 35(2A)

# The steps the regulated path decides; everything after the summons is the court's and then the timetable's.
PRE_COURT_KINDS: frozenset[StepKind] = frozenset(
    {StepKind.REMINDER, StepKind.SECOND_REMINDER, StepKind.FINAL_NOTICE, StepKind.SUMMONS}
)


class PaidBeforeHearingCosts(StrEnum):
    """What happens to the summons costs when the taxpayer pays before the hearing (the council's policy)."""

    PAYABLE = (
        "payable"  # reg 34(5): the sum and the costs claimed end the application; costs stay owed till paid
    )
    WAIVED = "waived"  # the council reverses the summons costs once the sum summonsed is paid


@dataclass(frozen=True)
class RegulatedTerms:
    """When the council acts on the regulated path (its policy file's `regulated:` block).

    Days are counted from the due date of the instalment in default (reminders, final notice) or from the notice
    the summons follows. `reminders_in_year` is 2 for council tax; a business rates variant may allow 1 (no second
    reminder: the next default goes to a final notice).
    """

    reminder_days: int = 30
    second_reminder_days: int = 45
    reminders_in_year: int = MOST_REMINDERS_IN_A_YEAR
    final_notice_days: int = 30
    summons_days: int = 14
    basis: DayBasis = DayBasis.CALENDAR
    costs_if_paid_before_hearing: PaidBeforeHearingCosts = PaidBeforeHearingCosts.PAYABLE

    def after(self, day: date, days: int) -> date:
        """`days` after `day` on the council's basis (calendar or working days)."""
        if self.basis is DayBasis.WORKING:
            return add_working_days(day, days)
        return day + timedelta(days=days)


@dataclass(frozen=True)
class IssuedNotice:
    """A regulated step already taken on the case: a reminder, second reminder, final notice or summons.

    `ongoing_after`: a reminder sent in a breathing space about the ongoing liabilities only (the instalments
    falling due after that day). It asked for nothing owed by then, so it is judged on what it asked for and
    covers only those instalments; it still counts towards the year's two reminders (reg 23(4)).
    """

    kind: StepKind
    issued_on: date
    ongoing_after: date | None = None

    def judged_on(self, ledger: InstalmentLedger) -> InstalmentLedger:
        """The part of the year's ledger this notice asked for."""
        return ledger if self.ongoing_after is None else ledger.falling_due_after(self.ongoing_after)


class RegulatedStatus(StrEnum):
    """What the regulated path says for a case on a business date."""

    DUE = "due"  # take `kind` today
    NOT_YET = "not_yet"  # `kind` is next from `eligible_from` (or look again then, when `kind` is None)
    NOTHING_PAYABLE = (
        "nothing_payable"  # every instalment due is paid: no step; a future default may change that
    )
    AT_COURT = "at_court"  # a summons is out: the court's outcome decides what follows


@dataclass(frozen=True)
class RegulatedDecision:
    """The decision, with the sum the notice asks for and the instalments it lists."""

    status: RegulatedStatus
    kind: StepKind | None = None
    eligible_from: date | None = None
    amount_asked: Pence = 0
    instalments_asked: tuple[Instalment, ...] = ()
    balance_payable_from: date | None = None  # the day the right to instalments was lost, when it has been
    pay_by: date | None = None
    reason: str = ""

    @property
    def is_due(self) -> bool:
        """True when a step is to be taken on the business date."""
        return self.status is RegulatedStatus.DUE


_REMINDER_KINDS = (StepKind.REMINDER, StepKind.SECOND_REMINDER)


def _last_day_to_pay(issued_on: date) -> date:
    return issued_on + timedelta(days=NOTICE_PERIOD_DAYS - 1)


def _unpaid_asked(
    ledger: InstalmentLedger, falling_due_by: date, through: date
) -> tuple[Pence, tuple[Instalment, ...]]:
    paid = ledger.paid_towards(through)
    listed = tuple(
        i for i in ledger.instalments if i.due_date <= falling_due_by and paid[i.number] < i.amount
    )
    return sum(i.amount - paid[i.number] for i in listed), listed


def _summons(
    terms: RegulatedTerms,
    ledger: InstalmentLedger,
    notice: IssuedNotice,
    payable_from: date,
    whole_balance: bool,
    day: date,
    why: str,
) -> RegulatedDecision:
    """The summons after `notice`: at the council's point but never before the sum has become payable and
    stayed unpaid past its day; and only while it is still unpaid."""
    earliest_lawful = max(
        payable_from + timedelta(days=1), notice.issued_on + timedelta(days=NOTICE_PERIOD_DAYS)
    )
    when = max(terms.after(notice.issued_on, terms.summons_days), earliest_lawful)
    yesterday = day - timedelta(days=1)
    if whole_balance:
        unpaid = ledger.balance_unpaid(yesterday)
    else:
        unpaid, _ = _unpaid_asked(ledger, _last_day_to_pay(notice.issued_on), yesterday)
    lost = payable_from if whole_balance else None
    if unpaid <= 0 and day >= when:
        return RegulatedDecision(
            RegulatedStatus.NOTHING_PAYABLE,
            balance_payable_from=lost,
            reason="what became payable has been paid: no summons",
        )
    status = RegulatedStatus.DUE if day >= when else RegulatedStatus.NOT_YET
    return RegulatedDecision(
        status,
        kind=StepKind.SUMMONS,
        eligible_from=when,
        amount_asked=unpaid,
        balance_payable_from=lost,
        reason=why,
    )


def next_regulated_step(
    terms: RegulatedTerms, ledger: InstalmentLedger, issued: tuple[IssuedNotice, ...], day: date
) -> RegulatedDecision:
    """The regulated path's next step for a case as of `day`, given the notices already issued this year."""
    notices = sorted(issued, key=lambda n: n.issued_on)
    if any(n.kind is StepKind.SUMMONS for n in notices):
        return RegulatedDecision(RegulatedStatus.AT_COURT, reason="a summons is out: the court decides")
    covered_through: date | None = None  # instalments due on or before this day were dealt with by a notice
    covered_ongoing: set[int] = (
        set()
    )  # instalments a breathing space's ongoing-liabilities reminder dealt with
    reminders = 0
    for notice in notices:
        asked_of = notice.judged_on(ledger)
        last_day = _last_day_to_pay(notice.issued_on)
        if day <= last_day:
            # The notice gave 7 days and said nothing would happen before then.
            return RegulatedDecision(
                RegulatedStatus.NOT_YET,
                eligible_from=last_day + timedelta(days=1),
                reason="the notice's 7 days",
            )
        if notice.kind in _REMINDER_KINDS:
            reminders += 1
            unpaid, _ = _unpaid_asked(asked_of, last_day, last_day)
            if unpaid > 0:
                failure = last_day + timedelta(days=1)
                payable_from = failure + timedelta(days=FURTHER_PERIOD_DAYS)
                return _summons(
                    terms,
                    ledger,
                    notice,
                    payable_from,
                    True,
                    day,
                    f"reminder of {notice.issued_on} not paid: the balance became payable on {payable_from} "
                    "(reg 23(3))",
                )
        elif notice.kind is StepKind.FINAL_NOTICE:
            whole = reminders >= MOST_REMINDERS_IN_A_YEAR
            asked = (
                ledger.balance_unpaid(last_day) if whole else _unpaid_asked(asked_of, last_day, last_day)[0]
            )
            if asked > 0:
                return _summons(
                    terms,
                    ledger,
                    notice,
                    notice.issued_on,
                    whole,
                    day,
                    f"final notice of {notice.issued_on} not paid within its 7 days (reg 33, 34(1))",
                )
            if whole:
                return RegulatedDecision(RegulatedStatus.NOTHING_PAYABLE, reason="the final notice was paid")
        if notice.ongoing_after is None:
            covered_through = last_day
        else:
            covered_ongoing.update(i.number for i in asked_of.instalments if i.due_date <= last_day)
    return _next_default_step(terms, ledger, covered_through, frozenset(covered_ongoing), reminders, day)


def _next_default_step(
    terms: RegulatedTerms,
    ledger: InstalmentLedger,
    covered_through: date | None,
    covered_ongoing: frozenset[int],
    reminders: int,
    day: date,
) -> RegulatedDecision:
    """The notice for the first default after the last notice: a reminder while the year allows one, else a
    final notice. A default cleared before the council's point gets no notice."""
    yesterday = day - timedelta(days=1)
    for instalment in ledger.instalments:
        if (
            covered_through is not None and instalment.due_date <= covered_through
        ) or instalment.number in covered_ongoing:
            continue
        if instalment.due_date >= day:
            # Not in default yet (late only once its day has passed): look again the day after it falls due.
            return RegulatedDecision(
                RegulatedStatus.NOT_YET,
                eligible_from=instalment.due_date + timedelta(days=1),
                reason=f"instalment {instalment.number} falls due on {instalment.due_date}",
            )
        if ledger.unpaid_of(instalment.number, instalment.due_date) <= 0:
            continue  # paid on time
        if reminders < terms.reminders_in_year:
            kind = StepKind.REMINDER if reminders == 0 else StepKind.SECOND_REMINDER
            days = terms.reminder_days if reminders == 0 else terms.second_reminder_days
            whole = False
        else:
            kind, days = StepKind.FINAL_NOTICE, terms.final_notice_days
            whole = reminders >= MOST_REMINDERS_IN_A_YEAR
        when = max(terms.after(instalment.due_date, days), instalment.due_date + timedelta(days=1))
        lost = instalment.due_date + timedelta(days=1) if whole else None
        if day < when:
            return RegulatedDecision(
                RegulatedStatus.NOT_YET,
                kind=kind,
                eligible_from=when,
                balance_payable_from=lost if lost is not None and lost <= day else None,
                reason=f"instalment {instalment.number} of {instalment.due_date} unpaid",
            )
        if ledger.due_and_unpaid(yesterday, yesterday) <= 0:
            covered_through = yesterday  # caught up before the notice went: no notice for this default
            continue
        pay_by = _last_day_to_pay(day)
        amount, listed = _unpaid_asked(ledger, pay_by, yesterday)
        if whole:
            amount = ledger.balance_unpaid(yesterday)  # reg 23(4): the whole balance is payable now
        return RegulatedDecision(
            RegulatedStatus.DUE,
            kind=kind,
            eligible_from=when,
            amount_asked=amount,
            instalments_asked=listed,
            balance_payable_from=lost,
            pay_by=pay_by,
            reason=f"instalment {instalment.number} of {instalment.due_date} unpaid",
        )
    return RegulatedDecision(RegulatedStatus.NOTHING_PAYABLE, reason="every instalment due has been paid")


def regulated_timetable(
    terms: RegulatedTerms, ledger: InstalmentLedger, first_day: date, last_day: date
) -> tuple[IssuedNotice, ...]:
    """The notices the daily run would issue from `first_day` through `last_day`, running every day (for
    explaining a case and for tests: two identical accounts have identical timetables)."""
    issued: tuple[IssuedNotice, ...] = ()
    day = first_day
    while day <= last_day:
        decision = next_regulated_step(terms, ledger, issued, day)
        if decision.is_due and decision.kind is not None:
            issued = (*issued, IssuedNotice(decision.kind, day))
        day += timedelta(days=1)
    return issued


class CourtOutcome(StrEnum):
    """What the magistrates' court did with a summons, as an officer records it."""

    GRANTED = "granted"
    ADJOURNED = "adjourned"
    WITHDRAWN = "withdrawn"
    PAID = "paid"


@dataclass(frozen=True)
class CourtResult:
    """The court's outcome for one summons; a granted order carries the court's reference and costs awarded."""

    outcome: CourtOutcome
    heard_on: date
    court_reference: str | None = None
    costs_awarded: Pence = 0
    adjourned_to: date | None = None


def court_result_problems(result: CourtResult, summons_issued_on: date, costs_claimed: Pence) -> list[str]:
    """Why a recorded outcome cannot stand (empty when it can): the court's reference is the court's, never ours."""
    problems: list[str] = []
    if result.heard_on < summons_issued_on + timedelta(days=SUMMONS_TO_HEARING_DAYS):
        problems.append(
            f"a hearing is at least {SUMMONS_TO_HEARING_DAYS} days after the summons (reg 35(2A))"
        )
    if result.outcome is CourtOutcome.GRANTED:
        if not (result.court_reference or "").strip():
            problems.append("a granted liability order needs the court's reference")
        if result.costs_awarded < 0 or result.costs_awarded > costs_claimed:
            problems.append("the costs awarded cannot exceed the costs claimed")
    elif result.costs_awarded:
        problems.append("costs are awarded only with a liability order")
    if result.outcome is CourtOutcome.ADJOURNED and (
        result.adjourned_to is None or result.adjourned_to <= result.heard_on
    ):
        problems.append("an adjournment needs the later date it was adjourned to")
    return problems


def granted_order(results: tuple[CourtResult, ...]) -> CourtResult | None:
    """The liability order on record: the latest outcome, when the court granted it."""
    if not results:
        return None
    latest = max(results, key=lambda r: r.heard_on)
    return latest if latest.outcome is CourtOutcome.GRANTED else None


# Steps that enforce a liability order: none of them without a granted order on record.
NEEDS_LIABILITY_ORDER: frozenset[StepKind] = frozenset(
    {
        StepKind.NOTICE_OF_LIABILITY_ORDER,
        StepKind.ENFORCEMENT_AGENT_REFERRAL,
        StepKind.COLLECTION_AGENCY_REFERRAL,
    }
)


def enforcement_allowed(kind: StepKind, results: tuple[CourtResult, ...]) -> bool:
    """True when a regulated step of this kind may be taken: enforcement only on a granted liability order."""
    return kind not in NEEDS_LIABILITY_ORDER or granted_order(results) is not None


def summons_stands(ledger: InstalmentLedger, day: date) -> bool:
    """True while something the summons pursues is unpaid: paid in full before the hearing, the council does
    not ask the court for an order."""
    return ledger.balance_unpaid(day - timedelta(days=1)) > 0
