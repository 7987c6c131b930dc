"""The errata table in lessons: pick the entries a lesson teaches and show them as a readable callout."""
from __future__ import annotations

import html

import pandas as pd

from ._cells import require_columns, split_ids

__all__ = ["for_lesson", "errata_for", "callout_html", "callout"]


def for_lesson(errata: pd.DataFrame, lesson: str | None = None, topics: list[str] | None = None,
               ids: list[str] | None = None) -> pd.DataFrame:
    """Errata rows for a lesson number ('09'), and/or for trial names or topics, and/or by erratum id."""
    mask = pd.Series(True, index=errata.index)
    if lesson is not None:
        mask &= errata["lesson"].fillna("").str.split(";").apply(lambda ls: lesson in [x.strip() for x in ls])
    if topics is not None:
        mask &= errata["trial_or_topic"].isin(topics)
    if ids is not None:
        unknown = sorted(set(ids) - set(errata["erratum_id"]))
        if unknown:
            raise ValueError(f"No erratum with id {', '.join(unknown)} in errata.csv.")
        mask &= errata["erratum_id"].isin(ids)
    return errata[mask]


def errata_for(errata: pd.DataFrame | None, ids) -> dict[str, str]:
    """For each result or outcome id, the errata entries that name it in ``result_ids`` ('E25;E29'), or ''."""
    hits: dict[str, list[str]] = {i: [] for i in ids}
    if errata is not None and not errata.empty:
        require_columns(errata, ["erratum_id", "result_ids"], "errata")
        for erratum, named in zip(errata["erratum_id"], errata["result_ids"]):
            for i in set(split_ids(named)) & hits.keys():
                hits[i].append(erratum)
    return {i: ";".join(found) for i, found in hits.items()}


def callout_html(rows: pd.DataFrame) -> str:
    """HTML list of errata: what is printed where, what is most likely right, and how sure the course is."""
    if rows.empty:
        return "<p>No erratum touches this lesson.</p>"
    items = []
    for _, e in rows.iterrows():
        also = ""
        if pd.notna(e.get("printed_b")) and str(e["printed_b"]).strip():
            also = f"<br><em>Also printed:</em> {html.escape(str(e['printed_b']))} ({html.escape(str(e['where_b']))})"
        items.append(
            f"<li><strong>{html.escape(e['erratum_id'])} · {html.escape(e['trial_or_topic'])}</strong> "
            f"({html.escape(e['field'])}; confidence: <strong>{html.escape(e['confidence'])}</strong>)<br>"
            f"<em>Printed:</em> {html.escape(str(e['printed_a']))} ({html.escape(str(e['where_a']))}){also}<br>"
            f"<em>Most likely right:</em> {html.escape(str(e['likely_correct']))}</li>")
    return ('<div class="errata-callout" role="note" style="border-left:4px solid #CC79A7;padding-left:0.8em">'
            f'<ul>{"".join(items)}</ul></div>')


def callout(rows: pd.DataFrame):
    """Display :func:`callout_html` in a notebook."""
    from IPython.display import HTML

    return HTML(callout_html(rows))
