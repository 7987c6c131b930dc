"""Compute: pure functions from the trial tables to tidy frames. No drawing, no widgets, no file access."""
from __future__ import annotations

import pandas as pd

__all__ = ["ENDPOINTS", "trial_names", "printed_medians", "disagreements"]

#: Endpoint key -> (experimental column, control column, words).
ENDPOINTS = {
    "mpfs": ("mpfs_exp", "mpfs_ctrl", "median progression-free survival"),
    "mos": ("mos_exp", "mos_ctrl", "median overall survival"),
}


def _check_endpoint(endpoint: str) -> tuple[str, str, str]:
    try:
        return ENDPOINTS[endpoint]
    except KeyError:
        raise ValueError(f"Unknown endpoint {endpoint!r}: choose one of {', '.join(ENDPOINTS)}.") from None


def trial_names(results: pd.DataFrame, endpoint: str | None = None) -> list[str]:
    """Trials in ``results`` in the order they first appear; with ``endpoint``, only those that print a median for it."""
    frame = results
    if endpoint is not None:
        exp, ctrl, _ = _check_endpoint(endpoint)
        frame = results[results[exp].notna() | results[ctrl].notna()]
    return list(dict.fromkeys(frame["trial"]))


def printed_medians(results: pd.DataFrame, trial: str, endpoint: str = "mpfs") -> pd.DataFrame:
    """Every median the review prints for ``trial`` and ``endpoint``, one row per cohort x place printed x arm.

    Columns: trial, cohort, printed_in, location, arm ('experimental'/'control'), arm_label, months, p, refs, result_id.
    Raises ValueError, in words, for an unknown trial or endpoint.
    """
    exp, ctrl, words = _check_endpoint(endpoint)
    rows = results[results["trial"] == trial]
    if rows.empty:
        known = ", ".join(trial_names(results))
        raise ValueError(f"No trial called {trial!r} in the trial results. Known trials: {known}.")
    p_col = "pfs_p" if endpoint == "mpfs" else "os_p"
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


def disagreements(tidy: pd.DataFrame) -> pd.DataFrame:
    """From a :func:`printed_medians` frame: the cohort x arm pairs whose value differs between places printed."""
    if tidy.empty:
        return tidy.assign(values="")[["cohort", "arm", "values"]]
    grouped = tidy.groupby(["cohort", "arm"], sort=False)
    out = []
    for (cohort, arm), g in grouped:
        distinct = g.drop_duplicates("months")
        if len(distinct) > 1:
            values = "; ".join(f"{m:g} ({w})" for m, w in zip(distinct["months"], distinct["printed_in"]))
            out.append({"cohort": cohort, "arm": arm, "values": values})
    return pd.DataFrame(out, columns=["cohort", "arm", "values"])
