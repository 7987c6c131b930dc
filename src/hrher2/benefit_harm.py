"""Compute: what a gain in median progression-free survival cost in adverse events, trial by trial (lessons 09, 11).

One computation, :func:`benefit_harm`: for each trial, the result row that names the harm outcomes (or the trial's
first row), both arms' medians from it (or from the table row of the same trial and cohort when it prints none), and
the harm rate of ``other_outcomes`` for the same two arms. :func:`measures` lays one trial's row out as measures
(benefit, harm, and patients with the harm where counts are printed). Pure functions: DataFrames in, tidy DataFrames
out; no drawing, no widgets, no file access.
"""
from __future__ import annotations

import pandas as pd

from ._cells import as_names, check_trials, is_table, pair_key, require_columns, split_ids, text

__all__ = ["AE_ENDPOINTS", "benefit_harm", "measures"]

#: Severe-toxicity endpoints of other_outcomes.csv that :func:`benefit_harm` compares by default.
AE_ENDPOINTS = ("grade >=3 adverse events", "grade 3-4 adverse events")

_COLUMNS = ["trial", "cohort", "mpfs_exp", "mpfs_ctrl", "mpfs_gain", "ae_exp", "ae_ctrl", "ae_difference",
            "ae_endpoint", "arm_exp", "arm_ctrl", "printed_in", "mpfs_printed_in", "refs", "result_id", "outcome_ids"]
_MEASURE_COLUMNS = ["measure", "unit", "experimental", "control", "difference", "printed_in", "source_id"]


def _two_arm_medians(res: pd.Series, table_rows: dict) -> pd.Series | None:
    """The row whose medians count for ``res``: itself, else the table row of the same trial x cohort x comparison."""
    if pd.notna(res["mpfs_exp"]) and pd.notna(res["mpfs_ctrl"]):
        return res
    twin = table_rows.get(pair_key(res["result_id"]))
    if twin is None or pd.isna(twin["mpfs_exp"]) or pd.isna(twin["mpfs_ctrl"]):
        return None
    return twin


def benefit_harm(results: pd.DataFrame, outcomes: pd.DataFrame, trials=None, harm_endpoints=AE_ENDPOINTS,
                 printed_in: str | None = None) -> pd.DataFrame:
    """One row per trial that prints a two-arm median PFS and a harm rate for both arms.

    ``harm_endpoints``: the ``other_outcomes`` endpoints that count as harm (default: grade >=3 or grade 3-4 adverse
    events). ``trials``: only these (default: every trial with such a harm row). ``printed_in``: take the result row
    from this place only (e.g. 'Text'). mpfs_gain = experimental - control median PFS (months); ae_difference the
    same for the harm (% points). ``attrs['without_numbers']`` lists the trials left out and ``attrs['why_not']`` says
    why, in a sentence each.
    """
    require_columns(results, ["result_id", "trial", "cohort", "printed_in", "experimental_arm", "control_arm",
                              "mpfs_exp", "mpfs_ctrl"], "trial results")
    require_columns(outcomes, ["outcome_id", "trial", "endpoint", "arm", "value", "printed_in"], "other outcomes")
    endpoints = as_names(harm_endpoints, "harm endpoints", allow_empty=False)
    harms = outcomes[outcomes["endpoint"].isin(endpoints)]
    if trials is None:
        chosen = list(dict.fromkeys(harms["trial"]))
    else:
        chosen = check_trials(results, trials)
    candidates = results if printed_in is None else results[results["printed_in"] == printed_in]
    table_rows = {pair_key(r["result_id"]): r for _, r in results.iterrows() if is_table(r["printed_in"])}
    harm_words = " or ".join(repr(e) for e in endpoints)
    records, why_not = [], {}
    for trial in chosen:
        g = harms[harms["trial"] == trial]
        harm_ids = set(g["outcome_id"])
        own = candidates[candidates["trial"] == trial]
        named = own.get("other_endpoints", pd.Series("", index=own.index))
        linked = own[named.map(lambda s: bool(set(split_ids(s)) & harm_ids))]
        res = (linked if not linked.empty else own).iloc[0] if not own.empty else None
        mrow = _two_arm_medians(res, table_rows) if res is not None else None
        if mrow is None:
            why_not[trial] = (f"No two-arm median PFS for {trial!r}"
                              + (f" printed in {printed_in!r}" if printed_in else "") + ".")
            continue
        if g.empty:
            why_not[trial] = f"No {harm_words} rows for {trial!r} in the other outcomes."
            continue
        exp = g[(g["arm"] == res["experimental_arm"]) & g["value"].notna()]
        ctrl = g[(g["arm"] == res["control_arm"]) & g["value"].notna()]
        if exp.empty or ctrl.empty:
            why_not[trial] = (f"The {harm_words} rows for {trial!r} do not name both arms with a number "
                              f"({res['experimental_arm']!r}, {res['control_arm']!r}).")
            continue
        e, c = exp.iloc[0], ctrl.iloc[0]
        records.append({
            "trial": trial, "cohort": res["cohort"], "mpfs_exp": float(mrow["mpfs_exp"]),
            "mpfs_ctrl": float(mrow["mpfs_ctrl"]),
            "mpfs_gain": round(float(mrow["mpfs_exp"]) - float(mrow["mpfs_ctrl"]), 2),
            "ae_exp": float(e["value"]), "ae_ctrl": float(c["value"]),
            "ae_difference": round(float(e["value"]) - float(c["value"]), 1), "ae_endpoint": e["endpoint"],
            "arm_exp": res["experimental_arm"], "arm_ctrl": res["control_arm"], "printed_in": e["printed_in"],
            "mpfs_printed_in": mrow["printed_in"],
            "refs": ";".join(dict.fromkeys(split_ids(e.get("refs")) + split_ids(mrow.get("refs")))),
            "result_id": mrow["result_id"], "outcome_ids": f"{e['outcome_id']};{c['outcome_id']}"})
    tidy = pd.DataFrame.from_records(records, columns=_COLUMNS)
    tidy.attrs["without_numbers"] = list(why_not)
    tidy.attrs["why_not"] = why_not
    return tidy


def measures(results: pd.DataFrame, outcomes: pd.DataFrame, trial: str, harm_endpoint: str = "serious adverse events",
             printed_in: str = "Text") -> pd.DataFrame:
    """:func:`benefit_harm` for one trial, one row per measure: median PFS, the harm rate, and the patients with the
    harm where ``other_outcomes`` prints counts. Columns: measure, unit, experimental, control, difference,
    printed_in, source_id. Raises ValueError, in words, where the trial gives no such pair.
    """
    tidy = benefit_harm(results, outcomes, trials=[trial], harm_endpoints=[harm_endpoint], printed_in=printed_in)
    if tidy.empty:
        raise ValueError(tidy.attrs["why_not"][trial])
    r = tidy.iloc[0]
    by_id = outcomes.set_index("outcome_id")
    e, c = (by_id.loc[i] for i in r["outcome_ids"].split(";"))
    out = [{"measure": "median progression-free survival", "unit": "months", "experimental": r["mpfs_exp"],
            "control": r["mpfs_ctrl"], "difference": r["mpfs_gain"], "printed_in": r["mpfs_printed_in"],
            "source_id": r["result_id"]},
           {"measure": harm_endpoint, "unit": text(e.get("unit")), "experimental": r["ae_exp"],
            "control": r["ae_ctrl"], "difference": round(r["ae_exp"] - r["ae_ctrl"], 2), "printed_in": r["printed_in"],
            "source_id": r["outcome_ids"]}]
    if pd.notna(e.get("count")) and pd.notna(c.get("count")):
        out.append({"measure": f"{harm_endpoint} (patients)", "unit": "patients", "experimental": float(e["count"]),
                    "control": float(c["count"]), "difference": float(e["count"]) - float(c["count"]),
                    "printed_in": r["printed_in"], "source_id": r["outcome_ids"]})
    return pd.DataFrame(out, columns=_MEASURE_COLUMNS)
