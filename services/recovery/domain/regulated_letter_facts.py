"""What a council tax or business rates letter must say, worked out by recovery for the letter to print
(CT regs 23, 33-35): for a reminder, second reminder or final notice the instalments then due with what is unpaid
of each (not the year's balance), the 7 days, and what happens if they are not paid; for a summons the court, the
hearing and the costs claimed. During a breathing space the notice also says which sums are in it (frozen, not
asked for) and which are ongoing liabilities (asked for as usual).

Pure. `letter_facts` gives them as the letter rendering takes them (`letters.letter_for_step`'s keyword facts):
dates as dates, money as `*_pence` integers, a summons's hearing as a `court_session`; the rendering writes them
as a letter does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.recovery.domain.court_sessions import SummonsHearing
from services.recovery.domain.instalments import Instalment, InstalmentLedger
from services.recovery.domain.policy import StepKind
from services.recovery.domain.regulated_path import (
    FURTHER_PERIOD_DAYS,
    NOTICE_PERIOD_DAYS,
    IssuedNotice,
    RegulatedTerms,
    next_regulated_step,
)
from shared.money import Pence, format_pounds

NOTICE_KINDS = frozenset({StepKind.REMINDER, StepKind.SECOND_REMINDER, StepKind.FINAL_NOTICE})


def _letter_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class InstalmentAsked:
    """One instalment a notice lists: its day, its amount, and what is still unpaid of it."""

    number: int
    due_on: date
    amount: Pence
    unpaid: Pence

    def facts(self) -> dict[str, object]:
        """As the letter is given it."""
        return {
            "number": self.number,
            "due_on": self.due_on,
            "amount_pence": self.amount,
            "unpaid_pence": self.unpaid,
        }


@dataclass(frozen=True)
class BreathingSpaceSplit:
    """Which sums of the year are in a breathing space (owed by its start: frozen, not asked for) and which are
    ongoing liabilities (falling due after it: asked for as usual)."""

    reference: str
    protected_up_to: date
    in_breathing_space: tuple[InstalmentAsked, ...]
    ongoing: tuple[InstalmentAsked, ...]

    @property
    def frozen_pence(self) -> Pence:
        """What the breathing space holds, unpaid."""
        return sum(i.unpaid for i in self.in_breathing_space)


@dataclass(frozen=True)
class RegulatedNoticeFacts:
    """A reminder, second reminder or final notice: what it asks for, by when, and what follows if unpaid."""

    kind: StepKind
    instalments_due: tuple[InstalmentAsked, ...]
    amount_asked: Pence
    pay_by: date
    whole_balance: bool  # a final notice after two reminders asks for the whole balance (reg 23(4))
    balance_due_on: date | None  # not paid in time: the rest of the year's bill becomes due on this day
    notice_days: int = NOTICE_PERIOD_DAYS
    breathing_space: BreathingSpaceSplit | None = None

    @property
    def consequence(self) -> str:
        """What happens if the notice is not paid, in plain English (CT reg 23(3), 33, 34)."""
        if self.kind is StepKind.FINAL_NOTICE:
            return (
                f"If you do not pay {format_pounds(self.amount_asked)} by {_letter_date(self.pay_by)}, we may ask "
                "the magistrates' court for a liability order, and court costs will be added."
            )
        assert self.balance_due_on is not None
        return (
            f"If you do not pay the instalments listed by {_letter_date(self.pay_by)}, you lose the right to pay "
            "by instalments, and the whole of the rest of this year's bill becomes due on "
            f"{_letter_date(self.balance_due_on)}. We may then ask the magistrates' court for a liability order."
        )

    def letter_facts(self) -> dict[str, object]:
        """The facts the letter prints."""
        facts: dict[str, object] = {
            "instalments_due": [i.facts() for i in self.instalments_due],
            "amount_asked_pence": self.amount_asked,
            "notice_days": self.notice_days,
            "regulated_pay_by": self.pay_by,
            "consequence": self.consequence,
            "whole_balance_asked": self.whole_balance,
            "balance_due_on": self.balance_due_on,
        }
        if self.breathing_space is not None:
            split = self.breathing_space
            facts.update(
                breathing_space_reference=split.reference,
                breathing_space_protected_up_to=split.protected_up_to,
                breathing_space_sums=[i.facts() for i in split.in_breathing_space],
                breathing_space_total_pence=split.frozen_pence,
                ongoing_liabilities=[i.facts() for i in split.ongoing],
                breathing_space_note=(
                    f"{format_pounds(split.frozen_pence)} owed by {_letter_date(split.protected_up_to)} is in your "
                    "breathing space: we are not asking you to pay it, and we will take no action about it while "
                    "the breathing space lasts. The instalments listed in this notice fell due after your "
                    "breathing space started: they are not part of it and must still be paid."
                ),
            )
        return facts


@dataclass(frozen=True)
class SummonsFacts:
    """A summons: the court, where it sits, the hearing's day and time, and the costs claimed."""

    hearing: SummonsHearing

    def letter_facts(self) -> dict[str, object]:
        """The facts the summons prints: its hearing as a `court_session`, the costs claimed, the day served."""
        h = self.hearing
        return {
            "court_session": {
                "court_name": h.court_name,
                "court_address": h.court_address,
                "hearing_on": h.hearing.on,
                "hearing_time": h.hearing.at,
            },
            "costs_claimed_pence": h.costs_claimed,
            "summons_served_on": h.served_on,
        }


def _asked(
    ledger: InstalmentLedger, instalments: tuple[Instalment, ...], through: date
) -> tuple[InstalmentAsked, ...]:
    paid = ledger.paid_towards(through)
    return tuple(
        InstalmentAsked(i.number, i.due_date, i.amount, i.amount - paid[i.number]) for i in instalments
    )


def regulated_notice_facts(
    terms: RegulatedTerms,
    ledger: InstalmentLedger,
    issued: tuple[IssuedNotice, ...],
    kind: StepKind,
    day: date,
    breathing_space: tuple[str, date] | None = None,
) -> RegulatedNoticeFacts | None:
    """The facts of the notice of `kind` the regulated path issues on `day` (None when it issues none). With a
    breathing space (its reference and the day up to which sums are protected), the sums owed by then are listed
    as in it and left out of what is asked; the ongoing liabilities are asked for."""
    if kind not in NOTICE_KINDS:
        return None
    asked_of = ledger if breathing_space is None else ledger.falling_due_after(breathing_space[1])
    decision = next_regulated_step(terms, asked_of, issued, day)
    if not decision.is_due or decision.kind not in NOTICE_KINDS or decision.pay_by is None:
        return None
    kind = decision.kind  # a council with one reminder letter sends it for the second reminder too
    yesterday = day - timedelta(days=1)
    listed = _asked(asked_of, decision.instalments_asked, yesterday)
    whole = kind is StepKind.FINAL_NOTICE and decision.balance_payable_from is not None
    split = None
    if breathing_space is not None:
        reference, protected_up_to = breathing_space
        owed = tuple(i for i in ledger.instalments if i.due_date <= protected_up_to)
        frozen = tuple(i for i in _asked(ledger, owed, yesterday) if i.unpaid > 0)
        split = BreathingSpaceSplit(reference, protected_up_to, frozen, listed)
    balance_due_on = (
        None if kind is StepKind.FINAL_NOTICE else decision.pay_by + timedelta(days=1 + FURTHER_PERIOD_DAYS)
    )
    return RegulatedNoticeFacts(
        kind, listed, decision.amount_asked, decision.pay_by, whole, balance_due_on, breathing_space=split
    )
