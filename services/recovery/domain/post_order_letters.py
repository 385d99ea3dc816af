"""The letters each enforcement step after the order sends, and to whom, and the deduction tables an employer's
letter sets out. Pure data and arithmetic; `services/recovery/post_order_letters.py` fills the templates in.

- attachment of earnings, council tax: the council makes the order and serves it on the employer (CT
  (Administration and Enforcement) Regulations 1992 reg 37(3)) and a copy on the debtor (Schedule 3 para 3); the
  employer deducts by Schedule 4 (Tables A weekly, B monthly, C daily: the rates of S.I. 2006/3395 in England and
  S.I. 2007/582 in Wales, from 1 April 2007), may keep £1 a deduction towards its costs (reg 37(5)) and tells the
  debtor each time what it took (reg 37(6)). On a county court judgment the court makes the order (Attachment of
  Earnings Act 1971): the debtor is told of the application only;
- attachment of benefits (CT reg 29): the application goes to the Department for Work and Pensions, with a notice
  to the debtor;
- charging order (CT reg 50; Charging Orders Act 1979), third party debt order (CPR 72), High Court enforcement
  (County Courts Act 1984 s.42, High Court and County Courts Jurisdiction Order 1991 art.8), insolvency (Insolvency
  Act 1986): a notice to the debtor of what happens next;
- committal (CT reg 47, NDR reg 16): notice of the means inquiry hearing;
- direct earnings attachment (Social Security (Overpayments and Recovery) Regulations 2013 Part 6): the notice to
  the employer (reg 19), who deducts by Schedule 2 (Tables A weekly and B monthly; Tables C and D, the higher rates,
  where the debtor was found guilty of an offence about the overpayment: reg 20(3A)-(3B), as amended by S.I.
  2015/499), never leaving less than 60% of net earnings (the protected earnings proportion, reg 17), and a notice
  to the debtor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.post_order_enforcement import PostOrderEnforcement
from shared.money import Pence, format_pounds

E = PostOrderEnforcement


class Addressee(StrEnum):
    """Who a letter of an enforcement step is written to."""

    DEBTOR = "debtor"
    EMPLOYER = "employer"
    BENEFITS_OFFICE = "benefits_office"


@dataclass(frozen=True)
class PostOrderLetter:
    """One letter a step sends: its template and its addressee."""

    template: str
    to: Addressee


def letters_for(step: PostOrderEnforcement, debt_type: DebtType) -> tuple[PostOrderLetter, ...]:
    """The letters the step sends, the order or application first and the debtor's notice after it."""
    debtor = Addressee.DEBTOR
    match step:
        case E.ATTACHMENT_OF_EARNINGS if debt_type is DebtType.COUNCIL_TAX:
            return (
                PostOrderLetter("attachment_of_earnings_order_employer.txt.j2", Addressee.EMPLOYER),
                PostOrderLetter("attachment_of_earnings_order.txt.j2", debtor),
            )
        case E.ATTACHMENT_OF_EARNINGS:
            return (PostOrderLetter("attachment_of_earnings_order.txt.j2", debtor),)
        case E.ATTACHMENT_OF_BENEFITS:
            return (
                PostOrderLetter("attachment_of_benefits_application.txt.j2", Addressee.BENEFITS_OFFICE),
                PostOrderLetter("attachment_of_benefits.txt.j2", debtor),
            )
        case E.CHARGING_ORDER:
            return (PostOrderLetter("charging_order.txt.j2", debtor),)
        case E.THIRD_PARTY_DEBT_ORDER:
            return (PostOrderLetter("third_party_debt_order.txt.j2", debtor),)
        case E.HIGH_COURT_ENFORCEMENT:
            return (PostOrderLetter("high_court_enforcement.txt.j2", debtor),)
        case E.INSOLVENCY:
            return (PostOrderLetter("insolvency.txt.j2", debtor),)
        case E.COMMITTAL:
            return (PostOrderLetter("means_inquiry_hearing.txt.j2", debtor),)
        case E.DIRECT_EARNINGS_ATTACHMENT:
            return (
                PostOrderLetter("direct_earnings_attachment_employer.txt.j2", Addressee.EMPLOYER),
                PostOrderLetter("direct_earnings_attachment.txt.j2", debtor),
            )


@dataclass(frozen=True)
class DeductionBand:
    """Net earnings over `over` and up to `up_to` (None: no upper limit) pay `percent` of them; a top band with
    `percent_above` pays `percent` of the first `over` and `percent_above` of the rest (CT Schedule 4)."""

    over: Pence
    up_to: Pence | None
    percent: int
    percent_above: int | None = None


@dataclass(frozen=True)
class DeductionTable:
    """One of the regulations' tables: its name there, the pay period and its bands, lowest first."""

    name: str
    period: str  # week, month, day
    bands: tuple[DeductionBand, ...]


def _table(
    name: str, period: str, limits: tuple[int, ...], rates: tuple[int, ...], top: int | None
) -> DeductionTable:
    bounds = (0, *limits)
    bands = [
        DeductionBand(bounds[i] * 100, limits[i] * 100 if i < len(limits) else None, rates[i])
        for i in range(len(rates))
    ]
    if top is not None:
        bands[-1] = DeductionBand(bands[-1].over, None, bands[-1].percent, top)
    return DeductionTable(name, period, tuple(bands))


# CT Schedule 4 (England, S.I. 2006/3395 as consolidated; Wales, S.I. 2007/582): the same sums in both nations.
COUNCIL_TAX_TABLES: tuple[DeductionTable, ...] = (
    _table("Table A", "week", (75, 135, 185, 225, 355, 505), (0, 3, 5, 7, 12, 17, 17), 50),
    _table("Table B", "month", (300, 550, 740, 900, 1420, 2020), (0, 3, 5, 7, 12, 17, 17), 50),
    _table("Table C", "day", (11, 20, 27, 33, 52, 72), (0, 3, 5, 7, 12, 17, 17), 50),
)
_DEA_WEEK = (100, 160, 220, 270, 375, 520)
_DEA_MONTH = (430, 690, 950, 1160, 1615, 2240)
# SS (Overpayments and Recovery) Regs 2013 Schedule 2: standard rates (Tables A, B), higher rates (Tables C, D).
DEA_STANDARD_TABLES: tuple[DeductionTable, ...] = (
    _table("Table A", "week", _DEA_WEEK, (0, 3, 5, 7, 11, 15, 20), None),
    _table("Table B", "month", _DEA_MONTH, (0, 3, 5, 7, 11, 15, 20), None),
)
DEA_HIGHER_TABLES: tuple[DeductionTable, ...] = (
    _table("Table C", "week", _DEA_WEEK, (5, 6, 10, 14, 22, 30, 40), None),
    _table("Table D", "month", _DEA_MONTH, (5, 6, 10, 14, 22, 30, 40), None),
)
PROTECTED_EARNINGS_PERCENT = 60  # DEA: the employee keeps at least this share of net earnings (reg 17)
EMPLOYERS_COSTS_PER_DEDUCTION: Pence = 1_00  # CT reg 37(5); DEA reg 20 likewise


def deduction_tables(step: PostOrderEnforcement, higher_rates: bool = False) -> tuple[DeductionTable, ...]:
    """The tables the employer's letter sets out for the step (none for a letter not to an employer)."""
    if step is E.ATTACHMENT_OF_EARNINGS:
        return COUNCIL_TAX_TABLES
    if step is E.DIRECT_EARNINGS_ATTACHMENT:
        return DEA_HIGHER_TABLES if higher_rates else DEA_STANDARD_TABLES
    return ()


def band_text(band: DeductionBand, period: str) -> str:
    """One band as the letter lists it: 'more than £300.00 and up to £550.00 a month: 3%'."""
    if band.up_to is None:
        where = f"more than {format_pounds(band.over)} a {period}"
    elif band.over == 0:
        where = f"up to {format_pounds(band.up_to)} a {period}"
    else:
        where = f"more than {format_pounds(band.over)} and up to {format_pounds(band.up_to)} a {period}"
    if band.percent_above is not None:
        return f"{where}: {band.percent}% of the first {format_pounds(band.over)} and {band.percent_above}% of the rest"
    return f"{where}: {'nothing' if band.percent == 0 else f'{band.percent}%'}"


def deduction(table: DeductionTable, net_earnings: Pence) -> Pence:
    """What the employer deducts from one pay day's net earnings by the table (rounded down to the penny),
    before its own £1."""
    for band in table.bands:
        if band.up_to is None or net_earnings <= band.up_to:
            if band.percent_above is not None:
                return (band.over * band.percent + (net_earnings - band.over) * band.percent_above) // 100
            return net_earnings * band.percent // 100
    raise AssertionError("the last band has no upper limit")
