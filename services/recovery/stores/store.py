"""What every recovery store shares: the transaction's session, and the arrays an `unnest` statement takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


class Store:
    """A store bound to one transaction's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session


def as_arrays(rows: Sequence[Any]) -> dict[str, list[Any]]:
    """The parameters of a set-based statement (`unnest(CAST(:field AS type[]), ...)`) for rows of one
    dataclass: each field's values, in row order, under the field's name. One statement for any number of rows."""
    return {f.name: [getattr(row, f.name) for row in rows] for f in fields(rows[0])} if rows else {}
