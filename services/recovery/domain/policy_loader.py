"""Reads a council's recovery policy file (YAML) and refuses an inconsistent one with the line and the reason.

File format (one file per council, one entry under `policies` per debt type, or debt type and group):

    council: derby
    court: {name: ..., address: ..., weekly: [...]}   # council tax and rates: see court_sessions_loader.py
    policies:
      - debt_type: sundry            # a DebtType value
        group: allotments            # optional: a special group within the debt type (RBWM 7b-g)
        description: Sundry invoices, Derby appendix 5
        minimum_days_between_steps: 7       # optional, default 0
        dispute_resolution_days: 30         # optional, default 30 (NELC 2.8)
        write_off_when_exhausted: false     # optional, default false: an exhausted timetable waits for an
                                     # officer's decision (issue 19); true: the council opts in to recovery
                                     # asking for an uneconomic_to_pursue write-off by itself
        benefits_system_first: [arrears_of_benefit, ongoing_benefit]   # housing benefit overpayments only:
                                     # asked of the benefits system, in NELC 7.2's order, before any step;
                                     # only its methods (arrears_of_benefit, ongoing_benefit,
                                     # council_tax_reduction, other_benefits_dwp), each once, and steps after
        gentler_route: {extra_days_to_pay: 14, postpone_enforcement_days: 30, advice_referral: true,
                        bar_agent_referral_until_reviewed: true}
        arrangements: {clear_by_financial_year_end: true, max_instalments: 10, min_instalment_pence: 500,
                       surplus_share_percent: 100}
        regulated: {reminder_days: 30, second_reminder_days: 45, reminders_in_year: 2,   # council tax and
                    final_notice_days: 30, summons_days: 14, basis: calendar,          # rates only (see
                    costs_if_paid_before_hearing: payable}   # domain/regulated_path.py: days after the
                                     # instalment in default, or the notice the summons follows; the law's
                                     # 7-day periods always apply; summons costs when paid before the hearing:
                                     # payable (reg 34(5): the sum and the costs) or waived (reversed)
        steps:                       # in the order they are taken
          - name: first_reminder     # unique in the policy; defaults to the kind
            kind: reminder           # a StepKind value
            days: 1                  # waiting time, never negative
            after: due_date          # due_date | previous_step | quarter_end
            basis: calendar          # calendar | working
            pay_within_days: 30      # the time the letter gives to pay
            costs_pence: 0           # costs added to the debt at this step
            conditions: {min_defaults: 3, max_defaults: 3, min_balance_pence: 0, individuals_only: false}
            opens: [attachment_of_earnings, enforcement_agent]   # EnforcementOption values
            enforcement: false       # defaults by kind (summons, orders, referrals: true)
            contact: true            # defaults by kind (reviews and write-off requests: false)
            template: reminder.txt.j2   # defaults to <kind>.txt.j2
            reply_within_working_days: 10   # proof_of_debt_request only: the originating service's time to
                                            # answer (default 10, NELC 5.21; domain/proof_of_debt.py)

Line numbers come from the YAML nodes' marks, so a message points at the offending key or value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from services.recovery.domain.court_sessions_loader import read_court
from services.recovery.domain.debt_types import DebtType
from services.recovery.domain.hb_order_of_recovery import (
    BY_THE_BENEFITS_SYSTEM,
    ORDER_OF_RECOVERY,
    RecoveryMethod,
)
from services.recovery.domain.policy import (
    REFERRAL_KINDS,
    SINGLE_USE_KINDS,
    Anchor,
    ArrangementTerms,
    DayBasis,
    EnforcementOption,
    GentlerRoute,
    PolicyBook,
    RecoveryPolicy,
    RecoveryStep,
    StepConditions,
    StepKind,
    Trigger,
    is_contact_by_default,
    is_enforcement_by_default,
)
from services.recovery.domain.regulated_path import (
    MOST_REMINDERS_IN_A_YEAR,
    PaidBeforeHearingCosts,
    RegulatedTerms,
)

E = TypeVar("E", bound=Enum)

_BOOK_KEYS = {"council", "policies", "court", "no_route"}
_POLICY_KEYS = {
    "debt_type",
    "group",
    "description",
    "minimum_days_between_steps",
    "dispute_resolution_days",
    "write_off_when_exhausted",
    "gentler_route",
    "arrangements",
    "regulated",
    "steps",
    "benefits_system_first",
}
_STEP_KEYS = {
    "name",
    "kind",
    "days",
    "after",
    "basis",
    "pay_within_days",
    "costs_pence",
    "conditions",
    "opens",
    "enforcement",
    "contact",
    "template",
    "reply_within_working_days",
}
_CONDITION_KEYS = {"min_defaults", "max_defaults", "min_balance_pence", "individuals_only"}
_GENTLER_KEYS = {
    "extra_days_to_pay",
    "postpone_enforcement_days",
    "advice_referral",
    "bar_agent_referral_until_reviewed",
}
# The debts recovered through the magistrates' court under the 1992 and 1989 Regulations.
_COURT_DEBT_TYPES = frozenset({DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES})
_REGULATED_KEYS = {
    "reminder_days",
    "second_reminder_days",
    "reminders_in_year",
    "final_notice_days",
    "summons_days",
    "basis",
    "costs_if_paid_before_hearing",
}
_ARRANGEMENT_KEYS = {
    "clear_by_financial_year_end",
    "max_instalments",
    "min_instalment_pence",
    "surplus_share_percent",
}


class PolicyFileError(ValueError):
    """A policy file that cannot be used, with the line (1-based) and the reason."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}:{line}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


def _line(node: Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    """Walks the composed YAML tree, converting scalars and raising PolicyFileError with the node's line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: Node, reason: str) -> PolicyFileError:
        return PolicyFileError(self.source, _line(node), reason)

    def mapping(self, node: Node, what: str, allowed: set[str]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.text(key_node, f"a key in {what}")
            if key in found:
                raise self.fail(key_node, f"duplicate key '{key}' in {what}")
            if key not in allowed:
                raise self.fail(key_node, f"unknown key '{key}' in {what}; expected one of {sorted(allowed)}")
            found[key] = value_node
        return found

    def sequence(self, node: Node, what: str) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"{what} must be a list")
        return list(node.value)

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:str" or not node.value.strip():
            raise self.fail(node, f"{what} must be text")
        return str(node.value)

    def whole_number(self, node: Node, what: str) -> int:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:int":
            raise self.fail(node, f"{what} must be a whole number (money in pence, time in days)")
        value = int(node.value.replace("_", ""), 0)
        if value < 0:
            raise self.fail(node, f"{what} must not be negative, got {value}")
        return value

    def flag(self, node: Node, what: str) -> bool:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:bool":
            raise self.fail(node, f"{what} must be true or false")
        return node.value.lower() in {"true", "yes", "on", "y"}

    def choice(self, node: Node, enum: type[E], what: str) -> E:
        value = self.text(node, what)
        try:
            return enum(value)
        except ValueError:
            known = ", ".join(member.value for member in enum)  # type: ignore[attr-defined]
            raise self.fail(node, f"unknown {what} '{value}'; known: {known}") from None


def load_policy_book(text: str, source: str = "<policy>") -> PolicyBook:
    """Parse one council's policy file; raise PolicyFileError (with line and reason) when it is inconsistent."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise PolicyFileError(source, line, f"not valid YAML: {error.problem or error}") from None
    if root is None:
        raise PolicyFileError(source, 1, "the policy file is empty")
    reader = _Reader(source)
    top = reader.mapping(root, "the policy file", _BOOK_KEYS)
    if "council" not in top:
        raise reader.fail(root, "the policy file must name its council")
    if "policies" not in top:
        raise reader.fail(root, "the policy file must list its policies")
    council = reader.text(top["council"], "council")
    policies: list[RecoveryPolicy] = []
    seen: dict[tuple[DebtType, str | None], int] = {}
    for policy_node in reader.sequence(top["policies"], "policies"):
        policy = _read_policy(reader, policy_node, council)
        key = (policy.debt_type, policy.group)
        if key in seen:
            raise reader.fail(
                policy_node,
                f"a second policy for {policy.debt_type.value}"
                f"{' group ' + policy.group if policy.group else ''} (the first is at line {seen[key]})",
            )
        seen[key] = _line(policy_node)
        policies.append(policy)
    no_route = _read_no_route(reader, top, seen)
    return PolicyBook(
        council=council,
        policies=tuple(_with_court(reader, root, top, council, policies)),
        no_route=no_route,
    )


def _read_no_route(
    reader: _Reader, top: dict[str, Node], seen: dict[tuple[DebtType, str | None], int]
) -> tuple[tuple[DebtType, str], ...]:
    """The debt types the council does not recover here, each with its reason (a type with a route cannot also
    have one)."""
    declared: dict[DebtType, str] = {}
    if "no_route" in top:
        node = top["no_route"]
        for key, value in reader.mapping(node, "no_route", {t.value for t in DebtType}).items():
            debt_type = DebtType(key)
            if (debt_type, None) in seen:
                raise reader.fail(
                    value, f"{key} has a route (line {seen[(debt_type, None)]}) and a no_route reason"
                )
            reason = reader.text(value, f"no_route {key}").strip()
            if not reason:
                raise reader.fail(value, f"no_route {key} needs its reason")
            declared[debt_type] = reason
    return tuple(sorted(declared.items(), key=lambda item: item[0].value))


def refuse_routing_gaps(book: PolicyBook, source: str) -> None:
    """Start-up's check that a council's file gives every debt type of DOMAIN.md 1 a route or a `no_route`
    reason; raise PolicyFileError naming the types with neither."""
    gaps = book.routing_gaps()
    if gaps:
        raise PolicyFileError(
            source,
            1,
            f"council '{book.council}' has no recovery route for {', '.join(t.value for t in gaps)}: add a policy "
            "for each or a reason under no_route (cases of these types would otherwise have no steps)",
        )


def _with_court(
    reader: _Reader, root: Node, top: dict[str, Node], council: str, policies: list[RecoveryPolicy]
) -> list[RecoveryPolicy]:
    """Every council tax and rates policy with the council's court sessions; a council recovering through the
    magistrates' court without any is refused (never a summons without a hearing)."""
    court = read_court(reader, top["court"], council) if "court" in top else None
    if court is None and any(p.regulated_terms is not None and p.steps for p in policies):
        raise reader.fail(
            root,
            f"council '{council}' recovers council tax or business rates but configures no court sessions "
            "(court: name, address and liability order hearings); a summons needs a hearing",
        )
    return [replace(p, court=court) if p.regulated_terms is not None else p for p in policies]


def load_policy_file(path: str | Path) -> PolicyBook:
    """Read and parse a policy file from disk (reading only); errors carry the file name and line."""
    file = Path(path)
    return load_policy_book(file.read_text(encoding="utf-8"), source=str(file))


def load_policy_directory(path: str | Path) -> dict[str, PolicyBook]:
    """Every `*.yaml` policy file in a directory, by council; a council defined twice, or one leaving a debt type
    with neither a route nor a `no_route` reason, is refused."""
    books: dict[str, PolicyBook] = {}
    for file in sorted(Path(path).glob("*.yaml")):
        book = load_policy_file(file)
        refuse_routing_gaps(book, str(file))
        if book.council in books:
            raise PolicyFileError(str(file), 1, f"council '{book.council}' already has a policy file")
        books[book.council] = book
    return books


def _read_policy(reader: _Reader, node: Node, council: str) -> RecoveryPolicy:
    fields = reader.mapping(node, "a policy", _POLICY_KEYS)
    for required in ("debt_type", "steps"):
        if required not in fields:
            raise reader.fail(node, f"a policy must give '{required}'")
    debt_type = reader.choice(fields["debt_type"], DebtType, "debt type")
    group = reader.text(fields["group"], "group") if "group" in fields else None
    steps = tuple(_read_step(reader, step_node) for step_node in reader.sequence(fields["steps"], "steps"))
    policy = RecoveryPolicy(
        council=council,
        debt_type=debt_type,
        group=group,
        steps=steps,
        description=reader.text(fields["description"], "description") if "description" in fields else "",
        minimum_days_between_steps=_optional_number(reader, fields, "minimum_days_between_steps", 0),
        dispute_resolution_days=_optional_number(reader, fields, "dispute_resolution_days", 30),
        write_off_when_exhausted=(
            reader.flag(fields["write_off_when_exhausted"], "write_off_when_exhausted")
            if "write_off_when_exhausted" in fields
            else False  # issue 19: an officer decides an exhausted timetable unless the council opts in
        ),
        gentler_route=_read_gentler_route(reader, fields.get("gentler_route")),
        arrangements=_read_arrangements(reader, fields.get("arrangements")),
        regulated_terms=_read_regulated(reader, debt_type, fields.get("regulated")),
        benefits_system_first=_read_benefits_system_first(
            reader, debt_type, fields.get("benefits_system_first")
        ),
    )
    _check_timetable(reader, policy)
    if policy.benefits_system_first and not policy.steps:
        raise reader.fail(
            fields["benefits_system_first"],
            "once the benefits system has stopped every method the invoice timetable runs: the policy needs its "
            "steps",
        )
    if policy.regulated_terms is not None and policy.steps:
        kinds = {step.kind for step in policy.steps}
        for needed in (StepKind.REMINDER, StepKind.FINAL_NOTICE, StepKind.SUMMONS):
            if needed not in kinds:
                raise reader.fail(
                    fields["steps"], f"the regulated path needs a {needed.value} step (CT regs 23, 33, 34)"
                )
    return policy


def _read_benefits_system_first(
    reader: _Reader, debt_type: DebtType, node: Node | None
) -> tuple[RecoveryMethod, ...]:
    """The methods of the order of recovery (NELC 7.2; HB Regs 2006 regs 102, 105/106) asked of the benefits system
    before any invoice step, in that order (`domain/hb_order_of_recovery.py`). Only the methods the benefits system
    carries out (those `recovery.benefit_deduction.requested` may name) are known here; the invoice, a direct
    earnings attachment and agents are recovery's own steps, written under `steps:`."""
    if node is None:
        return ()
    if debt_type is not DebtType.HOUSING_BENEFIT_OVERPAYMENT:
        raise reader.fail(node, "benefits_system_first is for a housing_benefit_overpayment policy only")
    items = reader.sequence(node, "benefits_system_first")
    if not items:
        raise reader.fail(
            node,
            "benefits_system_first names no method: name at least one, or leave it out (the invoice alone)",
        )
    known = ", ".join(m.value for m in ORDER_OF_RECOVERY if m in BY_THE_BENEFITS_SYSTEM)
    methods: list[RecoveryMethod] = []
    for item in items:
        value = reader.text(item, "an order of recovery method")
        try:
            method = RecoveryMethod(value)
        except ValueError:
            raise reader.fail(
                item, f"unknown order of recovery method '{value}'; the benefits system knows: {known}"
            ) from None
        if method not in BY_THE_BENEFITS_SYSTEM:
            raise reader.fail(
                item,
                f"{value} is not carried out by the benefits system but is recovery's own step (write it under "
                f"steps:); the benefits system knows: {known}",
            )
        if method in methods:
            raise reader.fail(item, f"{value} is named twice; each method is asked once")
        methods.append(method)
    if methods != sorted(methods, key=ORDER_OF_RECOVERY.index):
        raise reader.fail(
            node, f"benefits_system_first must follow the order of recovery, each once: {known}"
        )
    return tuple(methods)


def _optional_number(reader: _Reader, fields: dict[str, Node], key: str, default: int) -> int:
    return reader.whole_number(fields[key], key) if key in fields else default


def _read_gentler_route(reader: _Reader, node: Node | None) -> GentlerRoute:
    if node is None:
        return GentlerRoute()
    fields = reader.mapping(node, "gentler_route", _GENTLER_KEYS)
    default = GentlerRoute()
    return GentlerRoute(
        extra_days_to_pay=_optional_number(reader, fields, "extra_days_to_pay", default.extra_days_to_pay),
        postpone_enforcement_days=_optional_number(
            reader, fields, "postpone_enforcement_days", default.postpone_enforcement_days
        ),
        advice_referral=(
            reader.flag(fields["advice_referral"], "advice_referral")
            if "advice_referral" in fields
            else default.advice_referral
        ),
        bar_agent_referral_until_reviewed=(
            reader.flag(fields["bar_agent_referral_until_reviewed"], "bar_agent_referral_until_reviewed")
            if "bar_agent_referral_until_reviewed" in fields
            else default.bar_agent_referral_until_reviewed
        ),
    )


def _read_regulated(reader: _Reader, debt_type: DebtType, node: Node | None) -> RegulatedTerms | None:
    """The `regulated:` block: council tax and business rates only; the law's limits cannot be configured away."""
    if debt_type not in _COURT_DEBT_TYPES:
        if node is not None:
            raise reader.fail(node, "a 'regulated' block is only for council tax and business rates")
        return None
    if node is None:
        return RegulatedTerms()
    fields = reader.mapping(node, "regulated", _REGULATED_KEYS)
    default = RegulatedTerms()
    reminders = _optional_number(reader, fields, "reminders_in_year", default.reminders_in_year)
    if reminders < 1 or reminders > MOST_REMINDERS_IN_A_YEAR:
        raise reader.fail(
            fields["reminders_in_year"],
            f"reminders_in_year must be 1 or {MOST_REMINDERS_IN_A_YEAR} (reg 23(4): no third reminder)",
        )
    return RegulatedTerms(
        reminder_days=_optional_number(reader, fields, "reminder_days", default.reminder_days),
        second_reminder_days=_optional_number(
            reader, fields, "second_reminder_days", default.second_reminder_days
        ),
        reminders_in_year=reminders,
        final_notice_days=_optional_number(reader, fields, "final_notice_days", default.final_notice_days),
        summons_days=_optional_number(reader, fields, "summons_days", default.summons_days),
        basis=reader.choice(fields["basis"], DayBasis, "basis") if "basis" in fields else default.basis,
        costs_if_paid_before_hearing=(
            reader.choice(
                fields["costs_if_paid_before_hearing"], PaidBeforeHearingCosts, "costs_if_paid_before_hearing"
            )
            if "costs_if_paid_before_hearing" in fields
            else default.costs_if_paid_before_hearing
        ),
    )


def _read_arrangements(reader: _Reader, node: Node | None) -> ArrangementTerms:
    if node is None:
        return ArrangementTerms()
    fields = reader.mapping(node, "arrangements", _ARRANGEMENT_KEYS)
    default = ArrangementTerms()
    max_instalments = _optional_number(reader, fields, "max_instalments", default.max_instalments)
    if max_instalments == 0:
        raise reader.fail(fields["max_instalments"], "max_instalments must be at least 1")
    share = _optional_number(reader, fields, "surplus_share_percent", default.surplus_share_percent)
    if share == 0 or share > 100:
        raise reader.fail(fields["surplus_share_percent"], "surplus_share_percent must be between 1 and 100")
    return ArrangementTerms(
        clear_by_financial_year_end=(
            reader.flag(fields["clear_by_financial_year_end"], "clear_by_financial_year_end")
            if "clear_by_financial_year_end" in fields
            else default.clear_by_financial_year_end
        ),
        max_instalments=max_instalments,
        min_instalment=_optional_number(reader, fields, "min_instalment_pence", default.min_instalment),
        surplus_share_percent=share,
    )


def _read_step(reader: _Reader, node: Node) -> RecoveryStep:
    fields = reader.mapping(node, "a step", _STEP_KEYS)
    for required in ("kind", "days", "after"):
        if required not in fields:
            raise reader.fail(node, f"a step must give '{required}'")
    kind = reader.choice(fields["kind"], StepKind, "step kind")
    trigger = Trigger(
        anchor=reader.choice(fields["after"], Anchor, "anchor ('after')"),
        days=reader.whole_number(fields["days"], "days"),
        basis=reader.choice(fields["basis"], DayBasis, "day basis")
        if "basis" in fields
        else DayBasis.CALENDAR,
    )
    opens: tuple[EnforcementOption, ...] = ()
    if "opens" in fields:
        opens = tuple(
            reader.choice(option, EnforcementOption, "enforcement option")
            for option in reader.sequence(fields["opens"], "opens")
        )
    reply_within: int | None = None
    if "reply_within_working_days" in fields:
        if kind is not StepKind.PROOF_OF_DEBT_REQUEST:
            raise reader.fail(
                fields["reply_within_working_days"],
                "reply_within_working_days is for a proof_of_debt_request step only",
            )
        reply_within = reader.whole_number(fields["reply_within_working_days"], "reply_within_working_days")
        if reply_within == 0:
            raise reader.fail(
                fields["reply_within_working_days"],
                "reply_within_working_days must be at least 1: the service must have time to answer",
            )
    return RecoveryStep(
        name=reader.text(fields["name"], "step name") if "name" in fields else kind.value,
        kind=kind,
        trigger=trigger,
        conditions=_read_conditions(reader, fields.get("conditions")),
        costs=_optional_number(reader, fields, "costs_pence", 0),
        pay_within_days=_optional_number(reader, fields, "pay_within_days", 7),
        opens=opens,
        enforcement=(
            reader.flag(fields["enforcement"], "enforcement")
            if "enforcement" in fields
            else is_enforcement_by_default(kind)
        ),
        contact=reader.flag(fields["contact"], "contact")
        if "contact" in fields
        else is_contact_by_default(kind),
        template=reader.text(fields["template"], "template") if "template" in fields else None,
        line=_line(node),
        reply_within_working_days=reply_within,
    )


def _read_conditions(reader: _Reader, node: Node | None) -> StepConditions:
    if node is None:
        return StepConditions()
    fields = reader.mapping(node, "conditions", _CONDITION_KEYS)
    min_defaults = (
        reader.whole_number(fields["min_defaults"], "min_defaults") if "min_defaults" in fields else None
    )
    max_defaults = (
        reader.whole_number(fields["max_defaults"], "max_defaults") if "max_defaults" in fields else None
    )
    if min_defaults is not None and max_defaults is not None and max_defaults < min_defaults:
        raise reader.fail(
            fields["max_defaults"], "max_defaults is below min_defaults: the step could never run"
        )
    return StepConditions(
        min_defaults=min_defaults,
        max_defaults=max_defaults,
        min_balance=(
            reader.whole_number(fields["min_balance_pence"], "min_balance_pence")
            if "min_balance_pence" in fields
            else None
        ),
        individuals_only=(
            reader.flag(fields["individuals_only"], "individuals_only")
            if "individuals_only" in fields
            else False
        ),
    )


def _check_timetable(reader: _Reader, policy: RecoveryPolicy) -> None:
    """The ordering rules no council may configure away."""
    source = reader.source
    names: dict[str, int] = {}
    kinds_so_far: set[StepKind] = set()
    for index, step in enumerate(policy.steps):
        if step.name in names:
            raise PolicyFileError(
                source, step.line, f"duplicate step '{step.name}' (first defined at line {names[step.name]})"
            )
        names[step.name] = step.line
        if step.kind in SINGLE_USE_KINDS and step.kind in kinds_so_far:
            raise PolicyFileError(source, step.line, f"a timetable may hold only one {step.kind.value}")
        if index == 0 and step.trigger.anchor is Anchor.PREVIOUS_STEP:
            raise PolicyFileError(source, step.line, "the first step cannot be timed from a previous step")
        if step.kind is StepKind.WRITE_OFF_REQUEST and index != len(policy.steps) - 1:
            raise PolicyFileError(source, step.line, "the write-off request must be the last step")
        _check_order(source, policy, step, kinds_so_far)
        kinds_so_far.add(step.kind)


def _check_order(
    source: str, policy: RecoveryPolicy, step: RecoveryStep, earlier: Iterable[StepKind]
) -> None:
    before = set(earlier)
    if step.kind is StepKind.LIABILITY_ORDER and StepKind.SUMMONS not in before:
        raise PolicyFileError(source, step.line, "a liability order needs a summons before it")
    if step.kind is StepKind.NOTICE_OF_LIABILITY_ORDER and StepKind.LIABILITY_ORDER not in before:
        raise PolicyFileError(
            source, step.line, "a notice of liability order needs a liability order before it"
        )
    if step.kind in {StepKind.SUMMONS, StepKind.LIABILITY_ORDER} and policy.debt_type not in {
        DebtType.COUNCIL_TAX,
        DebtType.BUSINESS_RATES,
    }:
        raise PolicyFileError(
            source, step.line, f"a {step.kind.value} is only for council tax and business rates"
        )
    if policy.regulated and step.kind in REFERRAL_KINDS and StepKind.FINAL_NOTICE not in before:
        raise PolicyFileError(
            source,
            step.line,
            f"referral '{step.name}' comes before a final notice, which the law requires for "
            f"{policy.debt_type.value}",
        )
    if (
        policy.debt_type in {DebtType.COUNCIL_TAX, DebtType.BUSINESS_RATES}
        and step.kind is StepKind.ENFORCEMENT_AGENT_REFERRAL
        and StepKind.LIABILITY_ORDER not in before
    ):
        raise PolicyFileError(
            source,
            step.line,
            "enforcement agents may act on council tax or rates only after a liability order",
        )
