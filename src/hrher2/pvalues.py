"""Compute: p-values as the review prints them ('0.0049', '<0.001') and what they say against a threshold.

Pure functions on printed values; no tables, no drawing. Used by the median-gain checklist, the text-against-table
comparison (two printings of one p-value agree when their sign and number do) and the lessons.
"""
from __future__ import annotations

import re

from ._cells import text

__all__ = ["parse_p", "passes_threshold"]

_P_RE = re.compile(r"^\s*(<=|>=|<|>|=)?\s*(0?\.\d+|1(?:\.0*)?|0)\s*$")


def parse_p(printed) -> tuple[str, float] | None:
    """A printed p-value as (sign, number): '<0.001' -> ('<', 0.001), '0.0049' -> ('=', 0.0049); empty -> None."""
    bare = text(printed).replace("p", "").replace("P", "").strip()
    if not bare:
        return None
    m = _P_RE.match(bare)
    if not m:
        raise ValueError(f"{printed!r} is not a p-value (expected something like '0.0049' or '<0.001').")
    return (m.group(1) or "="), float(m.group(2))


def passes_threshold(printed_p, threshold: float) -> dict:
    """Does a printed p-value pass a significance threshold (p below the threshold)?

    Returns {'p', 'threshold', 'verdict', 'explanation'} with verdict 'passes', 'does not pass', 'cannot tell' (e.g.
    '<0.05' against 0.01) or 'no p-value printed'.
    """
    if not isinstance(threshold, (int, float)) or not 0 < float(threshold) <= 1:
        raise ValueError(f"A significance threshold must be a number between 0 and 1, not {threshold!r}.")
    threshold = float(threshold)
    parsed = parse_p(printed_p)
    shown = text(printed_p)
    if parsed is None:
        return {"p": "", "threshold": threshold, "verdict": "no p-value printed",
                "explanation": "Without a p-value the result cannot be checked against the threshold."}
    sign, value = parsed
    if sign in ("<", "<=") and value <= threshold:
        verdict = "passes"
    elif sign in ("=",) and value < threshold:
        verdict = "passes"
    elif sign in ("=", ">", ">=") and value >= threshold:
        verdict = "does not pass"
    else:
        verdict = "cannot tell"
    why = {
        "passes": f"p = {shown} is below the threshold {threshold:g}.",
        "does not pass": f"p = {shown} is not below the threshold {threshold:g}, so at that threshold the result "
                         "does not count as statistically significant.",
        "cannot tell": f"p = {shown} does not say whether p is below {threshold:g}.",
    }[verdict]
    return {"p": shown, "threshold": threshold, "verdict": verdict, "explanation": why}
