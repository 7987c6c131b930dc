"""Compute: the 'new options' of Table 2 (lessons 10 and 11): ADCs, CDK4/6, PI3K–AKT–mTOR and PD-L1 combinations.

Pure functions from the course tables to tidy frames, no drawing and no file access. They answer the questions a
reader of Table 2 asks: how much longer was the median with the new drug (:func:`median_gains`), did the hormone-
receptor subgroups differ (:func:`hr_subgroup_contrast`), did text and table swap two labels (:func:`label_swaps`),
which numbers from *other* trials does the review set beside a single-arm result (:func:`cross_trial_comparators`),
does a printed p-value pass a printed threshold (:func:`passes_threshold`), and what did a gain cost in adverse
events (:func:`benefit_harm`). Bad input gives a ``ValueError`` in words.
"""
from __future__ import annotations

import re

import pandas as pd

__all__ = ["ENDPOINTS", "GAIN_COLUMNS", "median_gains", "hr_subgroup_contrast", "label_swaps",
           "cross_trial_comparators", "errata_ids_for", "parse_p", "passes_threshold", "benefit_harm",
           "CHECKLIST_COLUMNS", "trust_checklist"]

#: Endpoint key -> (experimental column, control column, p column, words).
ENDPOINTS = {
    "mpfs": ("mpfs_exp", "mpfs_ctrl", "pfs_p", "median progression-free survival"),
    "mos": ("mos_exp", "mos_ctrl", "os_p", "median overall survival"),
}

GAIN_COLUMNS = ["trial", "cohort", "printed_in", "phase", "design", "n", "experimental_arm", "control_arm",
                "exp_months", "ctrl_months", "gain_months", "p", "verdict", "result_id", "refs"]

_NEEDED = {"result_id", "trial", "cohort", "printed_in", "experimental_arm", "control_arm"}


def _endpoint(endpoint: str) -> tuple[str, str, str, str]:
    try:
        return ENDPOINTS[endpoint]
    except KeyError:
        raise ValueError(f"Unknown endpoint {endpoint!r}: choose one of {', '.join(ENDPOINTS)}.") from None


def _check_columns(frame: pd.DataFrame, needed: set[str], what: str) -> None:
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise ValueError(f"The {what} table has no column {', '.join(missing)}; pass the course's {what} table.")


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _num(value) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)


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
    exp_c, ctrl_c, p_c, words = _endpoint(endpoint)
    _check_columns(results, _NEEDED | {exp_c, ctrl_c, p_c}, "trial results")
    rows = results
    if table_group is not None:
        if "table_group" not in rows.columns or table_group not in set(rows["table_group"].dropna()):
            known = ", ".join(dict.fromkeys(results.get("table_group", pd.Series(dtype=str)).dropna()))
            raise ValueError(f"No table group called {table_group!r}. Known groups: {known}.")
        rows = rows[rows["table_group"] == table_group]
    if trials is not None:
        unknown = [t for t in trials if t not in set(results["trial"])]
        if unknown:
            raise ValueError(f"No trial called {', '.join(map(repr, unknown))} in the trial results.")
        rows = rows[rows["trial"].isin(trials)]
    if printed_in is not None:
        where = rows["printed_in"].astype(str)
        rows = rows[where.str.startswith("Table")] if printed_in == "Table" else rows[where == printed_in]
    rows = rows[rows[exp_c].notna() | rows[ctrl_c].notna()]
    records = []
    for _, r in rows.iterrows():
        exp, ctrl = _num(r[exp_c]), _num(r[ctrl_c])
        records.append({
            "trial": r["trial"], "cohort": r["cohort"], "printed_in": r["printed_in"],
            "phase": _text(r.get("phase")), "design": _text(r.get("design")),
            "n": pd.NA if pd.isna(r.get("n", pd.NA)) else int(r["n"]),
            "experimental_arm": _text(r["experimental_arm"]), "control_arm": _text(r["control_arm"]),
            "exp_months": exp, "ctrl_months": ctrl, "gain_months": round(exp - ctrl, 2),
            "p": _text(r[p_c]), "verdict": _verdict(exp, ctrl), "result_id": r["result_id"],
            "refs": _text(r.get("refs")),
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
    _check_columns(gains, {"trial", "printed_in", "cohort", "gain_months"}, "median gains")
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


def label_swaps(results: pd.DataFrame, trial: str, endpoint: str = "mpfs") -> pd.DataFrame:
    """Pairs of cohorts whose medians the text and a table print the other way round.

    A pair (A, B) is a swap when the text's value for A equals the table's value for B, the text's value for B equals
    the table's value for A, and the two values differ. Columns: cohort_a, cohort_b, table_a, table_b, text_a, text_b.
    """
    exp_c, ctrl_c, _, _ = _endpoint(endpoint)
    _check_columns(results, {"trial", "cohort", "printed_in", exp_c, ctrl_c}, "trial results")
    rows = results[results["trial"] == trial]
    if rows.empty:
        raise ValueError(f"No trial called {trial!r} in the trial results.")

    def values(frame):
        return {c: (_num(r[exp_c]), _num(r[ctrl_c])) for c, r in frame.set_index("cohort").iterrows()}

    def same(a, b):
        return all((pd.isna(x) and pd.isna(y)) or x == y for x, y in zip(a, b))

    table = values(rows[rows["printed_in"].astype(str).str.startswith("Table")].drop_duplicates("cohort"))
    text = values(rows[rows["printed_in"] == "Text"].drop_duplicates("cohort"))
    cohorts = [c for c in table if c in text]
    out = []
    for i, a in enumerate(cohorts):
        for b in cohorts[i + 1:]:
            if (same(text[a], table[b]) and same(text[b], table[a]) and not same(table[a], table[b])):
                out.append({"cohort_a": a, "cohort_b": b, "table_a": table[a][0], "table_b": table[b][0],
                            "text_a": text[a][0], "text_b": text[b][0]})
    return pd.DataFrame(out, columns=["cohort_a", "cohort_b", "table_a", "table_b", "text_a", "text_b"])


def errata_ids_for(errata: pd.DataFrame, result_ids: list[str]) -> dict[str, str]:
    """For each result or outcome id, the errata entries that name it ('E25;E29'), or '' if none."""
    _check_columns(errata, {"erratum_id", "result_ids"}, "errata")
    hits: dict[str, list[str]] = {rid: [] for rid in result_ids}
    for _, e in errata.iterrows():
        named = {x.strip() for x in _text(e["result_ids"]).split(";") if x.strip()}
        for rid in hits:
            if rid in named:
                hits[rid].append(e["erratum_id"])
    return {rid: ";".join(ids) for rid, ids in hits.items()}


def cross_trial_comparators(results: pd.DataFrame, trial: str, errata: pd.DataFrame | None = None,
                            endpoint: str = "mpfs") -> pd.DataFrame:
    """The text's median for ``trial`` and the medians from *other* trials that the text quotes beside it.

    Other trials are the text rows whose location says 'comparators quoted after <trial>'. Every row is one number
    from one study: none of them is a randomised comparison with another. Columns: role ('this trial' / 'quoted from
    another trial'), trial, trial_as_printed, arm, cohort, design, months, printed_in, location, result_id, refs,
    errata (ids naming the row, if ``errata`` is given).
    """
    exp_c, _, _, words = _endpoint(endpoint)
    _check_columns(results, {"trial", "printed_in", "location", "experimental_arm", exp_c, "result_id"},
                   "trial results")
    if trial not in set(results["trial"]):
        raise ValueError(f"No trial called {trial!r} in the trial results.")
    text = results[results["printed_in"] == "Text"]
    anchor = text[(text["trial"] == trial) & text[exp_c].notna()]
    quoted = text[text["location"].astype(str).str.contains(f"comparators quoted after {trial}", regex=False)]
    cols = ["role", "trial", "trial_as_printed", "arm", "cohort", "design", "months", "printed_in", "location",
            "result_id", "refs", "errata"]
    records = []
    for role, frame in (("this trial", anchor), ("quoted from another trial", quoted)):
        for _, r in frame.iterrows():
            records.append({"role": role, "trial": r["trial"], "trial_as_printed": _text(r.get("trial_as_printed")),
                            "arm": _text(r["experimental_arm"]), "cohort": _text(r.get("cohort")),
                            "design": _text(r.get("design")), "months": _num(r[exp_c]),
                            "printed_in": r["printed_in"], "location": r["location"], "result_id": r["result_id"],
                            "refs": _text(r.get("refs")), "errata": ""})
    tidy = pd.DataFrame.from_records(records, columns=cols)
    if errata is not None and not tidy.empty:
        found = errata_ids_for(errata, list(tidy["result_id"]))
        tidy["errata"] = tidy["result_id"].map(found)
    tidy.attrs["endpoint"] = words
    return tidy


_P_RE = re.compile(r"^\s*(<=|>=|<|>|=)?\s*(0?\.\d+|1(?:\.0*)?|0)\s*$")


def parse_p(printed) -> tuple[str, float] | None:
    """A printed p-value as (sign, number): '<0.001' -> ('<', 0.001), '0.0049' -> ('=', 0.0049); empty -> None."""
    text = _text(printed).replace("p", "").replace("P", "").strip()
    if not text:
        return None
    m = _P_RE.match(text)
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
    shown = _text(printed_p)
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


def benefit_harm(results: pd.DataFrame, other: pd.DataFrame, trial: str, cohort: str | None = None,
                 printed_in: str = "Text", harm_endpoint: str = "serious adverse events") -> pd.DataFrame:
    """Benefit (median PFS gain) beside harm (an adverse-event rate) for one trial, each arm, as printed.

    Columns: measure, unit, experimental, control, difference, printed_in, source_id. The harm rows are matched to the
    result's arms by the arm names used in both tables.
    """
    _check_columns(results, _NEEDED | {"mpfs_exp", "mpfs_ctrl"}, "trial results")
    _check_columns(other, {"outcome_id", "trial", "endpoint", "arm", "value", "unit", "printed_in"}, "other outcomes")
    rows = results[(results["trial"] == trial) & (results["printed_in"] == printed_in)]
    if cohort is not None:
        rows = rows[rows["cohort"] == cohort]
    rows = rows[rows["mpfs_exp"].notna() & rows["mpfs_ctrl"].notna()]
    if rows.empty:
        raise ValueError(f"No two-arm median PFS for {trial!r} printed in {printed_in!r}"
                         + (f" for cohort {cohort!r}" if cohort else "") + ".")
    r = rows.iloc[0]
    cols = ["measure", "unit", "experimental", "control", "difference", "printed_in", "source_id"]
    out = [{"measure": "median progression-free survival", "unit": "months", "experimental": float(r["mpfs_exp"]),
            "control": float(r["mpfs_ctrl"]), "difference": round(float(r["mpfs_exp"]) - float(r["mpfs_ctrl"]), 2),
            "printed_in": r["printed_in"], "source_id": r["result_id"]}]
    harms = other[(other["trial"] == trial) & (other["endpoint"] == harm_endpoint)]
    if harms.empty:
        raise ValueError(f"No {harm_endpoint!r} rows for {trial!r} in the other outcomes.")
    by_arm = {a: h for a, h in harms.groupby("arm")}
    exp_h, ctrl_h = by_arm.get(r["experimental_arm"]), by_arm.get(r["control_arm"])
    if exp_h is None or ctrl_h is None:
        raise ValueError(f"The {harm_endpoint!r} rows for {trial!r} do not name both arms "
                         f"({r['experimental_arm']!r}, {r['control_arm']!r}).")
    e, c = exp_h.iloc[0], ctrl_h.iloc[0]
    unit = _text(e["unit"])
    out.append({"measure": harm_endpoint, "unit": unit,
                "experimental": float(e["value"]), "control": float(c["value"]),
                "difference": round(float(e["value"]) - float(c["value"]), 2), "printed_in": e["printed_in"],
                "source_id": f"{e['outcome_id']};{c['outcome_id']}"})
    if "count" in harms.columns and pd.notna(e.get("count")) and pd.notna(c.get("count")):
        out.append({"measure": f"{harm_endpoint} (patients)", "unit": "patients", "experimental": float(e["count"]),
                    "control": float(c["count"]), "difference": float(e["count"]) - float(c["count"]),
                    "printed_in": e["printed_in"], "source_id": f"{e['outcome_id']};{c['outcome_id']}"})
    return pd.DataFrame(out, columns=cols)


CHECKLIST_COLUMNS = ["trial", "cohort", "printed_in", "gain_months", "randomised", "size_printed", "p_printed",
                     "passes_0_05", "questions_open", "result_id"]


def trust_checklist(gains: pd.DataFrame) -> pd.DataFrame:
    """From :func:`median_gains`: for each row, the things a reader checks before trusting a gain in medians.

    randomised (a control median from the same trial), size_printed (n is printed for this row), p_printed, passes_0_05
    (the printed p-value is below 0.05: 'yes', 'no', 'cannot tell' or 'no p'), and questions_open (how many of the
    three checks randomised / size / p fail). A subgroup with no size and no p-value is a hint, not a result.
    """
    _check_columns(gains, {"trial", "cohort", "printed_in", "gain_months", "ctrl_months", "n", "p", "result_id"},
                   "median gains")
    verdicts = {"passes": "yes", "does not pass": "no", "cannot tell": "cannot tell", "no p-value printed": "no p"}
    out = []
    for _, g in gains.iterrows():
        randomised = pd.notna(g["ctrl_months"])
        size = pd.notna(g["n"])
        p_text = _text(g["p"])
        verdict = verdicts[passes_threshold(p_text, 0.05)["verdict"]]
        out.append({"trial": g["trial"], "cohort": g["cohort"], "printed_in": g["printed_in"],
                    "gain_months": g["gain_months"], "randomised": randomised, "size_printed": size,
                    "p_printed": bool(p_text), "passes_0_05": verdict,
                    "questions_open": int(not randomised) + int(not size) + int(not p_text),
                    "result_id": g["result_id"]})
    return pd.DataFrame(out, columns=CHECKLIST_COLUMNS)
