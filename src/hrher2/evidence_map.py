"""Compute: the evidence map, what kinds of published studies the review reads and which cohorts they report
(lessons 01, 12).

Pure functions: the trial-results table in, tidy DataFrames out. No drawing, no widgets, no file access.
"""
from __future__ import annotations

import pandas as pd

from ._cells import require_columns

__all__ = ["DESIGN_PHASES", "evidence_map", "cohort_coverage"]

#: Columns of the evidence map, in reading order: design, then phase as printed (highest first).
DESIGN_PHASES = ["randomized · III", "randomized · II", "randomized · not stated", "single-arm · II", "single-arm · Ib",
                 "single-arm · I", "single-arm · not stated", "real-world"]


def _trial_facts(results: pd.DataFrame) -> pd.DataFrame:
    """One row per trial: table_group, source, design, phase (the table's printing when there is one), OS flag."""
    require_columns(results, ["trial", "printed_in", "table_group", "design", "phase", "cohort", "mos_exp", "mos_ctrl"],
                    "trial_results")
    facts = []
    for trial, g in results.groupby("trial", sort=False):
        tab = g[g["printed_in"].isin(["Table 1", "Table 2"])]
        first = tab.iloc[0] if not tab.empty else g.iloc[0]
        phase = first["phase"]
        if first["design"] == "real-world":
            label = "real-world"
        else:
            label = f"{first['design']} · {phase}"
        facts.append({
            "trial": trial, "table_group": first["table_group"],
            "source": first["printed_in"] if not tab.empty else "Text only",
            "design": first["design"], "phase": phase, "design_phase": label,
            "cohorts": g["cohort"].nunique(),
            "os_median": bool(g["mos_exp"].notna().any() or g["mos_ctrl"].notna().any()),
            "rows": len(g)})
    return pd.DataFrame(facts)


def evidence_map(results: pd.DataFrame) -> pd.DataFrame:
    """What kinds of published studies the review reads: one row per table group x design/phase.

    Columns: table_group, source ('Table 1', 'Table 2' or 'Text only'), design_phase (design and the phase the
    review's table prints; 'real-world' for observational studies), n_trials, trials (';'-separated), n_cohorts
    (distinct trial x cohort pairs), n_os_median (trials for which the review prints a median overall survival
    anywhere), trials_os_median, n_rows (result rows in the data). Groups are in the review's order.
    """
    facts = _trial_facts(results)
    if facts.empty:
        return pd.DataFrame(columns=["table_group", "source", "design_phase", "n_trials", "trials", "n_cohorts",
                                     "n_os_median", "trials_os_median", "n_rows"])
    group_order = list(dict.fromkeys(facts["table_group"]))
    # text-only studies go last, whatever their order in the file
    group_order = [g for g in group_order if g != "text only"] + [g for g in group_order if g == "text only"]
    extra = [d for d in dict.fromkeys(facts["design_phase"]) if d not in DESIGN_PHASES]
    dp_order = DESIGN_PHASES + extra
    out = []
    for (group, dp), g in facts.groupby(["table_group", "design_phase"], sort=False):
        os_trials = g.loc[g["os_median"], "trial"].tolist()
        out.append({"table_group": group, "source": g["source"].iloc[0], "design_phase": dp,
                    "n_trials": len(g), "trials": ";".join(g["trial"]), "n_cohorts": int(g["cohorts"].sum()),
                    "n_os_median": len(os_trials), "trials_os_median": ";".join(os_trials),
                    "n_rows": int(g["rows"].sum())})
    tidy = pd.DataFrame(out)
    tidy["_g"] = tidy["table_group"].map(group_order.index)
    tidy["_d"] = tidy["design_phase"].map(dp_order.index)
    tidy = tidy.sort_values(["_g", "_d"], kind="stable").drop(columns=["_g", "_d"]).reset_index(drop=True)
    tidy.attrs["design_phases"] = [d for d in dp_order if d in set(tidy["design_phase"])]
    tidy.attrs["groups"] = group_order
    return tidy


#: Populations as the course groups them for the coverage figure (lesson 01).
_COVERAGE = [
    ("HR+/HER2+ (the subtype itself)", lambda c: c.startswith("HR+/HER2+")),
    ("HR-/HER2+", lambda c: c == "HR-/HER2+"),
    ("HER2+, HR status not separated", lambda c: c == "HER2+"),
    ("HER2-low (HER2-negative)", lambda c: "HER2-low" in c),
    ("unlabelled subgroup", lambda c: c == "unlabelled subgroup"),
]


def cohort_coverage(results: pd.DataFrame) -> pd.DataFrame:
    """For each population, how many trials the review prints at least one result for (any place printed).

    Columns: population, n_trials, trials (';'-separated), is_subtype (True for HR+/HER2+ cohorts, including the
    PAM50 subsets). Also attrs['n_trials'] = all trials in the data.
    """
    require_columns(results, ["trial", "cohort"], "trial_results")
    out = []
    for label, test in _COVERAGE:
        hit = results[results["cohort"].map(test)]
        names = list(dict.fromkeys(hit["trial"]))
        out.append({"population": label, "n_trials": len(names), "trials": ";".join(names),
                    "is_subtype": label.startswith("HR+/HER2+")})
    tidy = pd.DataFrame(out)
    tidy.attrs["n_trials"] = results["trial"].nunique()
    return tidy


# --------------------------------------------------------------------------------------------------------------
# Capstone: where the text and the tables print different values
# --------------------------------------------------------------------------------------------------------------
#: Columns compared between a 'Text' row and a 'Table 1'/'Table 2' row of the same trial x cohort. Left out:
