"""Compute: the medians the review prints for one trial, in every place it prints them (lessons 01, 07).

Pure functions from the trial-results table to tidy frames. No drawing, no widgets, no file access. The endpoints
(:data:`ENDPOINTS`) are the two medians every other module reads from the same table.
"""
from __future__ import annotations

import pandas as pd

from ._cells import check_trials

__all__ = ["ENDPOINTS", "median_endpoint", "trial_names", "printed_medians"]

#: Median endpoint key -> (experimental column, control column, p-value column, words).
ENDPOINTS = {
    "mpfs": ("mpfs_exp", "mpfs_ctrl", "pfs_p", "median progression-free survival"),
    "mos": ("mos_exp", "mos_ctrl", "os_p", "median overall survival"),
}


def median_endpoint(endpoint: str) -> tuple[str, str, str, str]:
    """:data:`ENDPOINTS` for ``endpoint``; ValueError in words for an unknown key."""
    try:
        return ENDPOINTS[endpoint]
    except KeyError:
        raise ValueError(f"Unknown endpoint {endpoint!r}: choose one of {', '.join(ENDPOINTS)}.") from None


def trial_names(results: pd.DataFrame, endpoint: str | None = None) -> list[str]:
    """Trials in ``results`` in the order they first appear; with ``endpoint``, only those that print a median for it."""
    frame = results
    if endpoint is not None:
        exp, ctrl, _, _ = median_endpoint(endpoint)
        frame = results[results[exp].notna() | results[ctrl].notna()]
    return list(dict.fromkeys(frame["trial"]))


def printed_medians(results: pd.DataFrame, trial: str, endpoint: str = "mpfs") -> pd.DataFrame:
    """Every median the review prints for ``trial`` and ``endpoint``, one row per cohort x place printed x arm.

    Columns: trial, cohort, printed_in, location, arm ('experimental'/'control'), arm_label, months, p, refs, result_id.
    Raises ValueError, in words, for an unknown trial or endpoint.
    """
    exp, ctrl, p_col, words = median_endpoint(endpoint)
    check_trials(results, trial)
    rows = results[results["trial"] == trial]
    records = []
    for _, r in rows.iterrows():
        for arm, col, label_col in (("experimental", exp, "experimental_arm"), ("control", ctrl, "control_arm")):
            value = r[col]
            if pd.isna(value):
                continue
            records.append({
                "trial": trial, "cohort": r["cohort"], "printed_in": r["printed_in"], "location": r["location"],
                "arm": arm, "arm_label": r[label_col] if pd.notna(r[label_col]) else "",
                "months": float(value), "p": r[p_col] if pd.notna(r[p_col]) else "",
                "refs": r["refs"] if pd.notna(r["refs"]) else "", "result_id": r["result_id"],
            })
    tidy = pd.DataFrame.from_records(records, columns=["trial", "cohort", "printed_in", "location", "arm", "arm_label",
                                                       "months", "p", "refs", "result_id"])
    tidy.attrs["endpoint"] = words
    tidy.attrs["trial"] = trial
    return tidy
