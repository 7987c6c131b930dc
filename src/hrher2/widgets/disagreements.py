"""The capstone's checker (lesson 12): a learner's list of text-against-table disagreements marked against
:func:`hrher2.disagreements.check_disagreements`, shown as a coloured sentence."""
from __future__ import annotations

import html

import pandas as pd

from .. import disagreements

__all__ = ["feedback_html", "check_answer"]


def feedback_html(answer, results: pd.DataFrame) -> str:
    """The capstone checker's verdict as a coloured paragraph (green when the answer matches the reference)."""
    ok, text = disagreements.check_disagreements(answer, results)
    colour = "#006400" if ok else "#8B0000"
    return f'<p role="status" style="color:{colour}">{html.escape(text)}</p>'


def check_answer(answer, results: pd.DataFrame):
    """Show :func:`feedback_html` in a notebook (the capstone's exercise cell)."""
    from IPython.display import HTML

    return HTML(feedback_html(answer, results))
