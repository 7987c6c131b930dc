"""Compute: how much longer the median was with the experimental arm, and what a reader checks before trusting it.

Pure functions from the trial-results table to tidy frames (lessons 10 and 11): :func:`median_gains` (both medians
and the gain, one row per printed result), :func:`hr_subgroup_contrast` (did the HR+ and HR- subgroups gain alike?)
and :func:`trust_checklist` (randomised? size printed? p-value printed and below 0.05?). Bad input gives a
``ValueError`` in words.
"""
from __future__ import annotations

import pandas as pd

from ._cells import check_trials, number, require_columns, text
from .pvalues import passes_threshold
from .trials import ENDPOINTS, median_endpoint

__all__ = ["ENDPOINTS", "GAIN_COLUMNS", "median_gains", "hr_subgroup_contrast", "CHECKLIST_COLUMNS",
           "trust_checklist"]

GAIN_COLUMNS = ["trial", "cohort", "printed_in", "phase", "design", "n", "experimental_arm", "control_arm",
                "exp_months", "ctrl_months", "gain_months", "p", "verdict", "result_id", "refs"]

_NEEDED = {"result_id", "trial", "cohort", "printed_in", "experimental_arm", "control_arm"}


def _verdict(exp: float, ctrl: float) -> str:
    if pd.isna(exp) and pd.isna(ctrl):
        return "no median printed"
    if pd.isna(ctrl):
        return "single arm: no control median"
    if pd.isna(exp):
        return "no experimental median printed"
    if exp > ctrl:
        return "longer with the experimental arm"
    if exp < ctrl:
        return "longer with the control arm"
    return "medians equal"


def median_gains(results: pd.DataFrame, trials: list[str] | None = None, table_group: str | None = None,
                 endpoint: str = "mpfs", printed_in: str | None = None) -> pd.DataFrame:
    """One row per result row that prints a median: both medians, the gain (experimental − control, months) and a
    verdict in words. Single-arm rows keep their one median and get no gain.

    ``trials`` and ``table_group`` filter the rows; ``printed_in`` is 'Text', 'Table' (Table 1, 2 or 3) or an exact
    place ('Table 2'). Columns: :data:`GAIN_COLUMNS`.
    """
    exp_c, ctrl_c, p_c, words = median_endpoint(endpoint)
    require_columns(results, _NEEDED | {exp_c, ctrl_c, p_c}, "trial results")
    rows = results
    if table_group is not None:
        if "table_group" not in rows.columns or table_group not in set(rows["table_group"].dropna()):
            known = ", ".join(dict.fromkeys(results.get("table_group", pd.Series(dtype=str)).dropna()))
            raise ValueError(f"No table group called {table_group!r}. Known groups: {known}.")
        rows = rows[rows["table_group"] == table_group]
    trials = check_trials(results, trials)
    if trials is not None:
        rows = rows[rows["trial"].isin(trials)]
    if printed_in is not None:
        where = rows["printed_in"].astype(str)
        rows = rows[where.str.startswith("Table")] if printed_in == "Table" else rows[where == printed_in]
    rows = rows[rows[exp_c].notna() | rows[ctrl_c].notna()]
    records = []
    for _, r in rows.iterrows():
        exp, ctrl = number(r[exp_c]), number(r[ctrl_c])
        records.append({
            "trial": r["trial"], "cohort": r["cohort"], "printed_in": r["printed_in"],
            "phase": text(r.get("phase")), "design": text(r.get("design")),
            "n": pd.NA if pd.isna(r.get("n", pd.NA)) else int(r["n"]),
            "experimental_arm": text(r["experimental_arm"]), "control_arm": text(r["control_arm"]),
            "exp_months": exp, "ctrl_months": ctrl, "gain_months": round(exp - ctrl, 2),
            "p": text(r[p_c]), "verdict": _verdict(exp, ctrl), "result_id": r["result_id"],
            "refs": text(r.get("refs")),
        })
    tidy = pd.DataFrame.from_records(records, columns=GAIN_COLUMNS)
    tidy["n"] = tidy["n"].astype("Int64")
    tidy.attrs["endpoint"] = words
    return tidy


def _hr_side(cohort: str) -> str | None:
    c = str(cohort).replace("−", "-").replace("–", "-")
    if c.startswith("HR+/"):
        return "HR+"
    if c.startswith("HR-/"):
        return "HR-"
    return None


def hr_subgroup_contrast(gains: pd.DataFrame) -> pd.DataFrame:
    """From :func:`median_gains`: for each trial x place printed that prints both an HR+ and an HR− subgroup, the
    two gains side by side and which subgroup's gain is larger.

    Columns: trial, printed_in, hr_pos_cohort, hr_pos_gain, hr_neg_cohort, hr_neg_gain, difference (HR− gain minus
    HR+ gain, months), larger_gain_in.
    """
    require_columns(gains, {"trial", "printed_in", "cohort", "gain_months"}, "median gains")
    cols = ["trial", "printed_in", "hr_pos_cohort", "hr_pos_gain", "hr_neg_cohort", "hr_neg_gain", "difference",
            "larger_gain_in"]
    out = []
    for (trial, where), g in gains.groupby(["trial", "printed_in"], sort=False):
        sides = g.assign(side=g["cohort"].map(_hr_side)).dropna(subset=["side", "gain_months"])
        pos, neg = sides[sides["side"] == "HR+"], sides[sides["side"] == "HR-"]
        if pos.empty or neg.empty:
            continue
        p, n = pos.iloc[0], neg.iloc[0]
        diff = round(float(n["gain_months"]) - float(p["gain_months"]), 2)
        larger = "HR- subgroup" if diff > 0 else ("HR+ subgroup" if diff < 0 else "neither (equal gains)")
        out.append({"trial": trial, "printed_in": where, "hr_pos_cohort": p["cohort"],
                    "hr_pos_gain": float(p["gain_months"]), "hr_neg_cohort": n["cohort"],
                    "hr_neg_gain": float(n["gain_months"]), "difference": diff, "larger_gain_in": larger})
    return pd.DataFrame(out, columns=cols)


CHECKLIST_COLUMNS = ["trial", "cohort", "printed_in", "gain_months", "randomised", "size_printed", "p_printed",
                     "passes_0_05", "questions_open", "result_id"]


def trust_checklist(gains: pd.DataFrame) -> pd.DataFrame:
    """From :func:`median_gains`: for each row, the things a reader checks before trusting a gain in medians.

    randomised (a control median from the same trial), size_printed (n is printed for this row), p_printed, passes_0_05
    (the printed p-value is below 0.05: 'yes', 'no', 'cannot tell' or 'no p'), and questions_open (how many of the
    three checks randomised / size / p fail). A subgroup with no size and no p-value is a hint, not a result.
    """
    require_columns(gains, {"trial", "cohort", "printed_in", "gain_months", "ctrl_months", "n", "p", "result_id"},
                   "median gains")
    verdicts = {"passes": "yes", "does not pass": "no", "cannot tell": "cannot tell", "no p-value printed": "no p"}
    out = []
    for _, g in gains.iterrows():
        randomised = pd.notna(g["ctrl_months"])
        size = pd.notna(g["n"])
        p_text = text(g["p"])
        verdict = verdicts[passes_threshold(p_text, 0.05)["verdict"]]
        out.append({"trial": g["trial"], "cohort": g["cohort"], "printed_in": g["printed_in"],
                    "gain_months": g["gain_months"], "randomised": randomised, "size_printed": size,
                    "p_printed": bool(p_text), "passes_0_05": verdict,
                    "questions_open": int(not randomised) + int(not size) + int(not p_text),
                    "result_id": g["result_id"]})
    return pd.DataFrame(out, columns=CHECKLIST_COLUMNS)
