"""Reading cells and rows of the course's tables: shared by every compute module, never by a lesson.

The tables come from :func:`hrher2.data.load`; a missing value is NaN (or ``None``), a list of ids is ``'a;b'``, and a
result printed both in a table and in the text is two rows whose ids differ only in their first part
(``tab1-tandem-hrpos`` and ``txt-tandem-hrpos``).
"""
from __future__ import annotations

import pandas as pd

from .inputs import describe

__all__ = ["text", "number", "split_ids", "require_columns", "as_names", "check_trials", "pair_key", "is_table"]


def text(value) -> str:
    """A cell as text ('' for a missing value)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def number(value) -> float:
    """A cell as a float (NaN for a missing value)."""
    return float("nan") if value is None or pd.isna(value) else float(value)


def split_ids(cell) -> list[str]:
    """'E25; E29' -> ['E25', 'E29'] ([] for a missing or empty cell)."""
    return [x.strip() for x in text(cell).split(";") if x.strip()]


def require_columns(frame, columns, name: str) -> None:
    """Raise ValueError, in words, unless ``frame`` is a DataFrame with every one of ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"Expected the {name} table as a DataFrame, got {type(frame).__name__}.")
    wanted = sorted(columns) if isinstance(columns, (set, frozenset)) else list(columns)
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ValueError(f"The {name} table has no column {', '.join(repr(c) for c in missing)}; "
                         f"pass the course's {name} table.")


def as_names(value, what: str, allow_empty: bool = True) -> list[str]:
    """``value`` as a list of names: one name is a list of one. Raises ValueError, in words, for anything else (and
    for an empty list unless ``allow_empty``)."""
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple, set)) else None
    if names is None or not all(isinstance(n, str) for n in names) or not (names or allow_empty):
        raise ValueError(f"Name the {what} as a name or a list of names, not {describe(value)}.")
    return names


def check_trials(results: pd.DataFrame, trials) -> list[str] | None:
    """``trials`` as a list of names, each a trial of ``results`` (one name is a list of one; None stays None).

    Raises ValueError, in words, for a name that is not a trial (listing those that are) or for something that is not
    a name or a list of names.
    """
    if trials is None:
        return None
    names = as_names(trials, "trials")
    known = list(dict.fromkeys(results["trial"]))
    unknown = [t for t in names if t not in known]
    if unknown:
        raise ValueError(f"No trial called {', '.join(map(repr, unknown))} in the trial results. "
                         f"Known trials: {', '.join(known)}.")
    return names


def pair_key(result_id: str) -> str:
    """'tab1-tandem-hrpos' and 'txt-tandem-hrpos' -> 'tandem-hrpos': the same trial x cohort x comparison."""
    return result_id.split("-", 1)[1] if "-" in result_id else result_id


def is_table(printed_in: str) -> bool:
    """True for 'Table 1', 'Table 2', ...: a value printed in one of the review's tables."""
    return str(printed_in).startswith("Table")
