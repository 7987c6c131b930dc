"""Shared widget helpers."""
from __future__ import annotations

import html

import pandas as pd

from ..data import DataError
from ..inputs import answers_in_words

__all__ = ["message"]
# also shared by the widget modules, not re-exported: ERRORS, evidence_table, missing_tables, in_words

ERRORS = (ValueError, DataError)  # a KeyError (a missing column) is named by @in_words


def message(text: str) -> str:
    """An alert paragraph that explains, in words, why a view cannot be shown (used instead of raising)."""
    return f'<p role="alert" style="color:#8B0000"><strong>Cannot show this:</strong> {html.escape(text)}</p>'


def in_words(what: str, parts: int = 2):
    """Decorator for a view (``what``: "forest plot"): input it cannot use gives :func:`message` in the first of its
    ``parts`` outputs (the rest empty), never an exception (:mod:`hrher2.inputs` says what is checked)."""

    def answer(sentence: str):
        said = message(sentence)
        return said if parts == 1 else (said,) + ("",) * (parts - 1)

    return answers_in_words(what, answer)


def evidence_table(frame: pd.DataFrame, columns: dict) -> str:
    """An evidence table as HTML. A column of long text gets a minimum width (``col_space``, a min-width on its
    header), so its cells wrap to a few lines rather than to a word or two a line in a table many screens long."""
    shown = frame[list(columns)].rename(columns=columns)
    longest = {c: int(shown[c].astype("string").fillna("").str.len().max() or 0) for c in shown.columns}
    space = {c: ("18em" if n > 80 else "11em" if n > 30 else None) for c, n in longest.items()}
    return shown.to_html(index=False, border=0, classes="evidence-table", na_rep="",
                         col_space={c: w for c, w in space.items() if w} or None)


def missing_tables(tables: dict, *names: str) -> str | None:
    """A sentence naming the course tables ``tables`` lacks, or None when it has them all."""
    missing = [n for n in names if n not in tables]
    return f"The tables passed in have no {', '.join(missing)} table (use data.load_all())." if missing else None
