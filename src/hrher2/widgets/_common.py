"""Shared widget helpers."""
from __future__ import annotations

import html

__all__ = ["message"]


def message(text: str) -> str:
    """An alert paragraph that explains, in words, why a view cannot be shown (used instead of raising)."""
    return f'<p role="alert" style="color:#8B0000"><strong>Cannot show this:</strong> {html.escape(text)}</p>'
