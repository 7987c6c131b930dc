"""Shared widget helpers."""
from __future__ import annotations

import html

from ..inputs import answers_in_words

__all__ = ["message"]


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
