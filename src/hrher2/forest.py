"""Compute: forest plots of hazard ratios, one row per printed result (lessons 07-11, 13).

Pure functions: DataFrames in, tidy DataFrames out. No drawing, no widgets, no file access. Every row keeps where the
review prints it (``printed_in``, ``location``), the review's reference numbers (``refs``) and the id of the data row
it comes from (``result_id``), so that a figure can always be traced back to the page.
"""
from __future__ import annotations

import math

import pandas as pd

from ._cells import check_trials, is_table, number, pair_key, text
from .errata import errata_for

__all__ = ["HR_ENDPOINTS", "forest_data"]


#: Hazard-ratio endpoint key -> (estimate, lower, upper, words).
HR_ENDPOINTS = {
    "pfs": ("pfs_hr", "pfs_hr_low", "pfs_hr_high", "progression-free survival"),
    "os": ("os_hr", "os_hr_low", "os_hr_high", "overall survival"),
}

_FOREST_COLUMNS = ["label", "trial", "cohort", "printed_in", "location", "n", "hr", "low", "high", "crosses_one",
                   "ni_margin", "result_id", "refs", "n_from", "errata"]


def forest_data(results: pd.DataFrame, trials=None, cohorts=None, endpoint: str = "pfs", printed_in=None,
                errata: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per result that prints a hazard ratio for ``endpoint`` ('pfs' or 'os').

    Columns: label, trial, cohort, printed_in, location, n, hr, low, high, crosses_one, ni_margin, result_id, refs,
    n_from (where n comes from: this row, or the table row of the same trial and cohort when the text prints none),
    errata (ids of errata that touch the row, when ``errata`` is given).
    ``trials``/``cohorts``/``printed_in`` filter (a name or a list; ``printed_in`` may be 'Table' for any table).
    Raises ValueError, in words, for an unknown trial or endpoint, or when nothing is left to plot.
    """
    try:
        est, lo, hi, words = HR_ENDPOINTS[endpoint]
    except KeyError:
        raise ValueError(f"Unknown endpoint {endpoint!r} for a hazard ratio: choose one of "
                         f"{', '.join(HR_ENDPOINTS)}.") from None
    chosen = check_trials(results, trials)
    frame = results[results[est].notna()]
    if chosen is not None:
        frame = frame[frame["trial"].isin(chosen)]
    if cohorts is not None:
        cohorts = [cohorts] if isinstance(cohorts, str) else list(cohorts)
        frame = frame[frame["cohort"].isin(cohorts)]
    if printed_in is not None:
        places = [printed_in] if isinstance(printed_in, str) else list(printed_in)
        frame = frame[frame["printed_in"].apply(lambda p: any(p == w or (w == "Table" and is_table(p)) for w in places))]
    if frame.empty:
        having = ", ".join(dict.fromkeys(results.loc[results[est].notna(), "trial"])) or "none"
        raise ValueError(f"None of the chosen rows prints a hazard ratio for {words}. "
                         f"Trials that print one: {having}.")
    table_n = {pair_key(r.result_id): r.n for r in results.itertuples() if is_table(r.printed_in) and pd.notna(r.n)}
    records = []
    for r in frame.itertuples():
        n, n_from = r.n, "this row"
        if pd.isna(n):
            n = table_n.get(pair_key(r.result_id), pd.NA)
            n_from = "table row of the same cohort" if pd.notna(n) else "not printed"
        low, high = number(getattr(r, lo)), number(getattr(r, hi))
        margin = number(r.ni_margin) if endpoint == "pfs" and "ni_margin" in frame.columns else float("nan")
        records.append({
            "label": f"{r.trial} · {r.cohort} [{r.printed_in}]", "trial": r.trial, "cohort": r.cohort,
            "printed_in": r.printed_in, "location": r.location, "n": n, "hr": float(getattr(r, est)),
            "low": low, "high": high, "crosses_one": bool(low <= 1 <= high) if not math.isnan(low + high) else False,
            "ni_margin": margin, "result_id": r.result_id, "refs": text(r.refs), "n_from": n_from,
            "errata": errata_for(errata, [r.result_id])[r.result_id]})
    tidy = pd.DataFrame.from_records(records, columns=_FOREST_COLUMNS)
    tidy["n"] = tidy["n"].astype("Int64")
    tidy.attrs["endpoint"] = words
    return tidy

