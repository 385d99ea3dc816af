"""Every field of every contract that can carry a bounded value is checked: the bounds are planned once per
contract (only the fields that need a check), and the plan leaves no bounded field out."""

from __future__ import annotations

import types
import typing
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from pydantic import BaseModel

from shared.contracts import CONTRACTS
from shared.contracts.bounds import (
    LIST_LIMITS,
    MAX_LIST,
    MAX_PENCE,
    NAME_FIELDS,
    OutOfBounds,
    check_bounds,
)
from shared.contracts.council_systems import ChargeRequested, LiableParty, PostalAddress


def _beyond(name: str, annotation: Any) -> list[Any]:
    """Values beyond the bounds for a field `name` declared as `annotation` (none if no bound applies)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return [value for member in args for value in _beyond(name, member)]
    if origin is list:
        too_many = [[uuid4()] * (LIST_LIMITS.get(name, MAX_LIST) + 1)]
        return too_many + [[value] for value in _beyond(name, args[0])]
    if origin is dict:
        return [{"key": "x" * 20_001}, {"\x00": "value"}]
    if annotation is str:
        return ["x" * 20_001, "a\x00b"] + (["x" * 201, "a\nb"] if name in NAME_FIELDS else [])
    if annotation is int and name.endswith("_pence"):
        return [MAX_PENCE + 1, -MAX_PENCE - 1]
    if annotation is date:
        return [date(1, 1, 1), date(2201, 1, 1)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [
            annotation.model_construct(**{field: value})
            for field, info in annotation.model_fields.items()
            for value in _beyond(field, info.annotation)
        ]
    return []


CASES = [
    pytest.param(cls, field, value, id=f"{cls.__name__}.{field}[{index}]")
    for cls in CONTRACTS.values()
    for field, info in cls.model_fields.items()
    for index, value in enumerate(_beyond(field, info.annotation))
]


@pytest.mark.parametrize(("contract_class", "field", "value"), CASES)
def test_a_value_beyond_its_bound_is_refused_in_every_field_of_every_contract(
    contract_class: type[BaseModel], field: str, value: Any
) -> None:
    with pytest.raises(OutOfBounds, match=f"^{field}"):
        check_bounds(contract_class.model_construct(**{field: value}))


def test_every_contract_has_bounded_fields_to_check() -> None:
    assert len(CASES) > 5 * len(CONTRACTS)


def _charge(**parties: Any) -> ChargeRequested:
    party = LiableParty.model_construct(
        kind="person", surname="Hollis", address=PostalAddress.model_construct(lines=["1 High St"], **parties)
    )
    return ChargeRequested.model_construct(amount_pence=100, liable_parties=[party, party])


def test_the_reason_names_the_field_down_through_lists_and_models() -> None:
    charge = _charge(postcode="DE1\x001AA")
    with pytest.raises(OutOfBounds) as refused:
        check_bounds(charge, "data.")
    assert str(refused.value) == (
        "data.liable_parties[0].address.postcode: only printable characters are allowed in names and addresses"
    )


def test_values_within_the_bounds_pass() -> None:
    check_bounds(_charge(postcode="DE1 1AA"))
