"""A docstring as the documents show it: the same text on every Python the project runs on.

Python 3.13 strips the common indentation of a docstring's lines when it compiles it; 3.11 and 3.12 keep it. The
AsyncAPI documents take their descriptions from contracts' and handlers' docstrings, so without this the committed
documents would differ by Python version (and their currency test would fail on all but one).
"""

from __future__ import annotations

import inspect


def described(doc: str | None) -> str | None:
    """`doc` with its indentation and surrounding blank lines removed (`inspect.cleandoc`); None stays None."""
    return inspect.cleandoc(doc) if doc else doc
