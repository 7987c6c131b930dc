"""Compute: medians side by side, the way the review sets them beside each other (lessons 08-11).

Pure functions from the trial-results table to tidy frames. No drawing, no widgets, no file access.

- :func:`comparator_data`: both arms' medians for the trials of one Table 1/2 group, from the table or from the
  text, with the places where the two printings disagree marked (the rule is :func:`hrher2.disagreements.compare_values`).
- :func:`cross_trial_comparators`: the numbers from *other* trials the text quotes beside a single-arm result.
"""
from __future__ import annotations

import math

import pandas as pd

from ._cells import check_trials, is_table, number, pair_key, require_columns, text
from .disagreements import compare_values
from .errata import errata_for
from .trials import ENDPOINTS as MEDIAN_ENDPOINTS
from .trials import median_endpoint

__all__ = ["MEDIAN_ENDPOINTS", "SOURCES", "table_groups", "comparator_data", "cross_trial_comparators"]

#: Where medians may be taken from in :func:`comparator_data`.
SOURCES = ("table", "text")

_COMPARATOR_COLUMNS = ["trial", "cohort", "comparison", "arm", "arm_label", "months", "status", "phase", "n",
                       "printed_in", "location", "result_id", "refs", "differs", "rounding_only", "value_from",
                       "table_months", "text_months"]


def table_groups(results: pd.DataFrame) -> list[str]:
    """The Table 1/2 group rows (``table_group`` values) in the order they appear."""
    return list(dict.fromkeys(results["table_group"]))


def comparator_data(results: pd.DataFrame, table_group: str, endpoint: str = "mpfs", source: str = "table") -> pd.DataFrame:
    """Both arms' medians for the trials of one Table 1/2 group, one row per trial x cohort x comparison x arm.

    ``source='table'`` takes the table's values; ``source='text'`` takes the text's value where the text prints one
    and falls back to the table otherwise (``value_from`` says which). ``differs`` is True where text and table
    print different values for that trial x cohort x arm (``rounding_only`` where they differ only in precision).
    ``months`` is NaN where no median is printed; ``status`` then says why (e.g. 'not reached').
    Raises ValueError, in words, for an unknown group, endpoint or source.
    """
    exp_col, ctrl_col, _, words = median_endpoint(endpoint)
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}: choose 'table' (Tables 1-2) or 'text' (the prose).")
    groups = table_groups(results)
    if table_group not in groups:
        raise ValueError(f"No table group called {table_group!r}. Known groups: {', '.join(groups)}.")
    rows = results[results["table_group"] == table_group]
    table_rows = rows[rows["printed_in"].map(is_table)]
    text_rows = results[(results["printed_in"] == "Text")]
    text_by_key = {pair_key(r.result_id): r for r in text_rows.itertuples()}
    if table_rows.empty and source == "table":
        raise ValueError(f"The group {table_group!r} is printed only in the text; choose source='text'.")
    units = [(r, text_by_key.get(pair_key(r.result_id))) for r in table_rows.itertuples()]
    if source == "text":  # text rows of this group with no table counterpart are studies of their own
        table_keys = {pair_key(r.result_id) for r in table_rows.itertuples()}
        units += [(None, r) for r in rows[rows["printed_in"] == "Text"].itertuples() if pair_key(r.result_id) not in table_keys
                  and (pd.notna(getattr(r, exp_col)) or pd.notna(getattr(r, ctrl_col)))]
    status_col = "mos_status" if endpoint == "mos" else None
    records = []
    for tab, txt in units:
        for arm, col, label_col in (("experimental", exp_col, "experimental_arm"), ("control", ctrl_col, "control_arm")):
            t_val = number(getattr(tab, col)) if tab is not None else float("nan")
            x_val = number(getattr(txt, col)) if txt is not None else float("nan")
            use_text = source == "text" and (tab is None or not math.isnan(x_val))
            row = txt if use_text else tab
            label = text(getattr(row, label_col))
            if not label:  # single-arm study: no control arm
                continue
            months = x_val if use_text else t_val
            status = ""
            if math.isnan(months):
                status = text(getattr(row, status_col)) if status_col else ""
                status = status or ("hazard ratio only" if pd.notna(row.pfs_hr) or pd.notna(row.os_hr) else "not printed")
            both = not (math.isnan(t_val) or math.isnan(x_val))
            differs, rounding_only = compare_values(col, x_val, t_val) if both else (False, False)
            if tab is None:
                value_from = "Text (no table row)"
            elif use_text:
                value_from = "Text"
            elif source == "text":
                value_from = f"{tab.printed_in} (the text prints no value)"
            else:
                value_from = tab.printed_in
            n = tab.n if tab is not None else row.n
            records.append({
                "trial": row.trial, "cohort": row.cohort,
                "comparison": (f"{text(row.experimental_arm)} vs {text(row.control_arm)}" if text(row.control_arm)
                               else f"{text(row.experimental_arm)} (single arm)"),
                "arm": arm, "arm_label": label, "months": months, "status": status,
                "phase": (tab.phase if tab is not None else row.phase), "n": n,
                "printed_in": row.printed_in, "location": row.location, "result_id": row.result_id,
                "refs": text(row.refs), "differs": differs, "rounding_only": rounding_only,
                "value_from": value_from, "table_months": t_val, "text_months": x_val})
    tidy = pd.DataFrame.from_records(records, columns=_COMPARATOR_COLUMNS)
    tidy["n"] = tidy["n"].astype("Int64")
    tidy.attrs.update(endpoint=words, table_group=table_group, source=source)
    return tidy



def cross_trial_comparators(results: pd.DataFrame, trial: str, errata: pd.DataFrame | None = None,
                            endpoint: str = "mpfs") -> pd.DataFrame:
    """The text's median for ``trial`` and the medians from *other* trials that the text quotes beside it.

    Other trials are the text rows whose location says 'comparators quoted after <trial>'. Every row is one number
    from one study: none of them is a randomised comparison with another. Columns: role ('this trial' / 'quoted from
    another trial'), trial, trial_as_printed, arm, cohort, design, months, printed_in, location, result_id, refs,
    errata (ids naming the row, if ``errata`` is given).
    """
    exp_c, _, _, words = median_endpoint(endpoint)
    require_columns(results, {"trial", "printed_in", "location", "experimental_arm", exp_c, "result_id"},
                   "trial results")
    check_trials(results, trial)
    prose = results[results["printed_in"] == "Text"]
    anchor = prose[(prose["trial"] == trial) & prose[exp_c].notna()]
    quoted = prose[prose["location"].astype(str).str.contains(f"comparators quoted after {trial}", regex=False)]
    cols = ["role", "trial", "trial_as_printed", "arm", "cohort", "design", "months", "printed_in", "location",
            "result_id", "refs", "errata"]
    records = []
    for role, frame in (("this trial", anchor), ("quoted from another trial", quoted)):
        for _, r in frame.iterrows():
            records.append({"role": role, "trial": r["trial"], "trial_as_printed": text(r.get("trial_as_printed")),
                            "arm": text(r["experimental_arm"]), "cohort": text(r.get("cohort")),
                            "design": text(r.get("design")), "months": number(r[exp_c]),
                            "printed_in": r["printed_in"], "location": r["location"], "result_id": r["result_id"],
                            "refs": text(r.get("refs")), "errata": ""})
    tidy = pd.DataFrame.from_records(records, columns=cols)
    if errata is not None and not tidy.empty:
        found = errata_for(errata, list(tidy["result_id"]))
        tidy["errata"] = tidy["result_id"].map(found)
    tidy.attrs["endpoint"] = words
    return tidy
