"""Compute: evidence from the trial tables (forest plots, trial comparisons, benefit against harm, cases).

Pure functions: DataFrames in, tidy DataFrames out. No drawing, no widgets, no file access. Every row keeps where the
review prints it (``printed_in``, ``location``), the review's reference numbers (``refs``) and the id of the data row
it comes from (``result_id``), so that a figure can always be traced back to the page.
"""
from __future__ import annotations

import math

import pandas as pd

from .trials import ENDPOINTS as MEDIAN_ENDPOINTS

__all__ = ["HR_ENDPOINTS", "MEDIAN_ENDPOINTS", "AE_ENDPOINTS", "SOURCES", "forest_data", "table_groups",
           "comparator_data", "benefit_harm_data", "CASE_OPTIONS", "TRIAL_POPULATIONS", "populations",
           "case_data", "case_trials", "VERDICTS"]

#: Hazard-ratio endpoint key -> (estimate, lower, upper, words).
HR_ENDPOINTS = {
    "pfs": ("pfs_hr", "pfs_hr_low", "pfs_hr_high", "progression-free survival"),
    "os": ("os_hr", "os_hr_low", "os_hr_high", "overall survival"),
}

#: Where medians may be taken from in :func:`comparator_data`.
SOURCES = ("table", "text")

#: Severe-toxicity endpoints of other_outcomes.csv that :func:`benefit_harm_data` compares.
AE_ENDPOINTS = ("grade >=3 adverse events", "grade 3-4 adverse events")

_FOREST_COLUMNS = ["label", "trial", "cohort", "printed_in", "location", "n", "hr", "low", "high", "crosses_one",
                   "ni_margin", "result_id", "refs", "n_from", "errata"]


def _s(value) -> str:
    """A cell as text ('' for missing)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _num(value) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)


def _key(result_id: str) -> str:
    """'tab1-tandem-hrpos' and 'txt-tandem-hrpos' -> 'tandem-hrpos': the same trial x cohort x comparison."""
    return result_id.split("-", 1)[1] if "-" in result_id else result_id


def _is_table(printed_in: str) -> bool:
    return printed_in.startswith("Table")


def _errata_for(errata: pd.DataFrame | None, result_id: str) -> str:
    if errata is None or errata.empty:
        return ""
    hits = [e for e, ids in zip(errata["erratum_id"], errata["result_ids"].fillna(""))
            if result_id in [x.strip() for x in str(ids).split(";")]]
    return ";".join(hits)


def _check_trials(results: pd.DataFrame, trials) -> list[str] | None:
    if trials is None:
        return None
    if isinstance(trials, str):
        trials = [trials]
    known = list(dict.fromkeys(results["trial"]))
    unknown = [t for t in trials if t not in known]
    if unknown:
        raise ValueError(f"No trial called {', '.join(map(repr, unknown))} in the trial results. "
                         f"Known trials: {', '.join(known)}.")
    return list(trials)


# --------------------------------------------------------------------------------------------------- forest plot
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
    chosen = _check_trials(results, trials)
    frame = results[results[est].notna()]
    if chosen is not None:
        frame = frame[frame["trial"].isin(chosen)]
    if cohorts is not None:
        cohorts = [cohorts] if isinstance(cohorts, str) else list(cohorts)
        frame = frame[frame["cohort"].isin(cohorts)]
    if printed_in is not None:
        places = [printed_in] if isinstance(printed_in, str) else list(printed_in)
        frame = frame[frame["printed_in"].apply(lambda p: any(p == w or (w == "Table" and _is_table(p)) for w in places))]
    if frame.empty:
        having = ", ".join(dict.fromkeys(results.loc[results[est].notna(), "trial"])) or "none"
        raise ValueError(f"None of the chosen rows prints a hazard ratio for {words}. "
                         f"Trials that print one: {having}.")
    table_n = {_key(r.result_id): r.n for r in results.itertuples() if _is_table(r.printed_in) and pd.notna(r.n)}
    records = []
    for r in frame.itertuples():
        n, n_from = r.n, "this row"
        if pd.isna(n):
            n = table_n.get(_key(r.result_id), pd.NA)
            n_from = "table row of the same cohort" if pd.notna(n) else "not printed"
        low, high = _num(getattr(r, lo)), _num(getattr(r, hi))
        margin = _num(r.ni_margin) if endpoint == "pfs" and "ni_margin" in frame.columns else float("nan")
        records.append({
            "label": f"{r.trial} · {r.cohort} [{r.printed_in}]", "trial": r.trial, "cohort": r.cohort,
            "printed_in": r.printed_in, "location": r.location, "n": n, "hr": float(getattr(r, est)),
            "low": low, "high": high, "crosses_one": bool(low <= 1 <= high) if not math.isnan(low + high) else False,
            "ni_margin": margin, "result_id": r.result_id, "refs": _s(r.refs), "n_from": n_from,
            "errata": _errata_for(errata, r.result_id)})
    tidy = pd.DataFrame.from_records(records, columns=_FOREST_COLUMNS)
    tidy["n"] = tidy["n"].astype("Int64")
    tidy.attrs["endpoint"] = words
    return tidy


# --------------------------------------------------------------------------------------------------- comparator
_COMPARATOR_COLUMNS = ["trial", "cohort", "comparison", "arm", "arm_label", "months", "status", "phase", "n",
                       "printed_in", "location", "result_id", "refs", "differs", "rounding_only", "value_from",
                       "table_months", "text_months"]


def table_groups(results: pd.DataFrame) -> list[str]:
    """The Table 1/2 group rows (``table_group`` values) in the order they appear."""
    return list(dict.fromkeys(results["table_group"]))


def _same_rounded(a: float, b: float) -> bool:
    """True if the two printed values agree once the more precise is rounded to the other's precision."""
    def places(x: float) -> int:
        text = f"{x:g}"
        return len(text.split(".")[1]) if "." in text else 0
    p = min(places(a), places(b))
    return round(a, p) == round(b, p)


def comparator_data(results: pd.DataFrame, table_group: str, endpoint: str = "mpfs", source: str = "table") -> pd.DataFrame:
    """Both arms' medians for the trials of one Table 1/2 group, one row per trial x cohort x comparison x arm.

    ``source='table'`` takes the table's values; ``source='text'`` takes the text's value where the text prints one
    and falls back to the table otherwise (``value_from`` says which). ``differs`` is True where text and table
    print different values for that trial x cohort x arm (``rounding_only`` where they differ only in precision).
    ``months`` is NaN where no median is printed; ``status`` then says why (e.g. 'not reached').
    Raises ValueError, in words, for an unknown group, endpoint or source.
    """
    try:
        exp_col, ctrl_col, words = MEDIAN_ENDPOINTS[endpoint]
    except KeyError:
        raise ValueError(f"Unknown endpoint {endpoint!r}: choose one of {', '.join(MEDIAN_ENDPOINTS)}.") from None
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}: choose 'table' (Tables 1-2) or 'text' (the prose).")
    groups = table_groups(results)
    if table_group not in groups:
        raise ValueError(f"No table group called {table_group!r}. Known groups: {', '.join(groups)}.")
    rows = results[results["table_group"] == table_group]
    table_rows = rows[rows["printed_in"].map(_is_table)]
    text_rows = results[(results["printed_in"] == "Text")]
    text_by_key = {_key(r.result_id): r for r in text_rows.itertuples()}
    if table_rows.empty and source == "table":
        raise ValueError(f"The group {table_group!r} is printed only in the text; choose source='text'.")
    units = [(r, text_by_key.get(_key(r.result_id))) for r in table_rows.itertuples()]
    if source == "text":  # text rows of this group with no table counterpart are studies of their own
        table_keys = {_key(r.result_id) for r in table_rows.itertuples()}
        units += [(None, r) for r in rows[rows["printed_in"] == "Text"].itertuples() if _key(r.result_id) not in table_keys
                  and (pd.notna(getattr(r, exp_col)) or pd.notna(getattr(r, ctrl_col)))]
    status_col = "mos_status" if endpoint == "mos" else None
    records = []
    for tab, txt in units:
        for arm, col, label_col in (("experimental", exp_col, "experimental_arm"), ("control", ctrl_col, "control_arm")):
            t_val = _num(getattr(tab, col)) if tab is not None else float("nan")
            x_val = _num(getattr(txt, col)) if txt is not None else float("nan")
            use_text = source == "text" and (tab is None or not math.isnan(x_val))
            row = txt if use_text else tab
            label = _s(getattr(row, label_col))
            if not label:  # single-arm study: no control arm
                continue
            months = x_val if use_text else t_val
            status = ""
            if math.isnan(months):
                status = _s(getattr(row, status_col)) if status_col else ""
                status = status or ("hazard ratio only" if pd.notna(row.pfs_hr) or pd.notna(row.os_hr) else "not printed")
            both = not (math.isnan(t_val) or math.isnan(x_val))
            differs = bool(both and t_val != x_val)
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
                "comparison": (f"{_s(row.experimental_arm)} vs {_s(row.control_arm)}" if _s(row.control_arm)
                               else f"{_s(row.experimental_arm)} (single arm)"),
                "arm": arm, "arm_label": label, "months": months, "status": status,
                "phase": (tab.phase if tab is not None else row.phase), "n": n,
                "printed_in": row.printed_in, "location": row.location, "result_id": row.result_id,
                "refs": _s(row.refs), "differs": differs, "rounding_only": bool(differs and _same_rounded(t_val, x_val)),
                "value_from": value_from, "table_months": t_val, "text_months": x_val})
    tidy = pd.DataFrame.from_records(records, columns=_COMPARATOR_COLUMNS)
    tidy["n"] = tidy["n"].astype("Int64")
    tidy.attrs.update(endpoint=words, table_group=table_group, source=source)
    return tidy


# --------------------------------------------------------------------------------------------- benefit and harm
_BH_COLUMNS = ["trial", "cohort", "mpfs_exp", "mpfs_ctrl", "mpfs_gain", "ae_exp", "ae_ctrl", "ae_difference",
               "ae_endpoint", "arm_exp", "arm_ctrl", "printed_in", "mpfs_printed_in", "refs", "result_id",
               "outcome_ids"]


def benefit_harm_data(results: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per trial that prints both a median-PFS difference and a severe-AE rate for both arms.

    Severe AEs are 'grade >=3' or 'grade 3-4' rows of other_outcomes.csv with a number for the experimental and
    the control arm (the arms named in the linked trial_results row). mpfs_gain = experimental - control median PFS
    (months) from that row, or from the table row of the same trial and cohort when the linked row prints none.
    ``attrs['without_numbers']`` lists trials that state something about severe AEs without numbers for both arms.
    """
    ae = outcomes[outcomes["endpoint"].isin(AE_ENDPOINTS)]
    by_key = {_key(r.result_id): r for r in results.itertuples() if _is_table(r.printed_in)}
    records, without = [], []
    for trial, g in ae.groupby("trial", sort=False):
        linked = results[results["other_endpoints"].fillna("").apply(
            lambda s: any(o in [x.strip() for x in s.split(";")] for o in g["outcome_id"]))]
        if linked.empty:
            linked = results[results["trial"] == trial]
        res = linked.iloc[0]
        exp = g[(g["arm"] == res["experimental_arm"]) & g["value"].notna()]
        ctrl = g[(g["arm"] == res["control_arm"]) & g["value"].notna()]
        if exp.empty or ctrl.empty:
            without.append(trial)
            continue
        mrow = res
        if pd.isna(res["mpfs_exp"]) or pd.isna(res["mpfs_ctrl"]):
            mrow = by_key.get(_key(res["result_id"]))
            if mrow is None or pd.isna(mrow.mpfs_exp) or pd.isna(mrow.mpfs_ctrl):
                without.append(trial)
                continue
            mrow = pd.Series(mrow._asdict())
        e, c = exp.iloc[0], ctrl.iloc[0]
        records.append({
            "trial": trial, "cohort": res["cohort"], "mpfs_exp": float(mrow["mpfs_exp"]),
            "mpfs_ctrl": float(mrow["mpfs_ctrl"]),
            "mpfs_gain": round(float(mrow["mpfs_exp"]) - float(mrow["mpfs_ctrl"]), 2),
            "ae_exp": float(e["value"]), "ae_ctrl": float(c["value"]),
            "ae_difference": round(float(e["value"]) - float(c["value"]), 1), "ae_endpoint": e["endpoint"],
            "arm_exp": res["experimental_arm"], "arm_ctrl": res["control_arm"], "printed_in": e["printed_in"],
            "mpfs_printed_in": mrow["printed_in"],
            "refs": ";".join(x for x in dict.fromkeys(_s(e["refs"]).split(";") + _s(mrow["refs"]).split(";")) if x),
            "result_id": mrow["result_id"], "outcome_ids": f"{e['outcome_id']};{c['outcome_id']}"})
    tidy = pd.DataFrame.from_records(records, columns=_BH_COLUMNS)
    tidy.attrs["without_numbers"] = without
    return tidy


# --------------------------------------------------------------------------------------------------------- cases
#: The described patient: each question and its allowed answers (the first is the default).
CASE_OPTIONS = {
    "menopause": ["postmenopausal", "premenopausal", "not given"],
    "visceral": ["no visceral disease", "visceral disease", "not given"],
    "prior_anti_her2": ["none", "one anti-HER2 regimen", "two or more anti-HER2 regimens"],
    "line": ["first-line", "second-line", "third-line or later"],
}

_CRITERIA_WORDS = {"menopause": "menopausal status", "visceral": "visceral disease / disease burden",
                   "prior_anti_her2": "prior anti-HER2 therapy for advanced disease", "line": "line of therapy"}

_REVIEW_SILENT_VISCERAL = ("the review states no eligibility by disease burden or visceral disease for any of the "
                           "studies it discusses (only one ongoing trial in Table 3 mentions non-visceral disease)")

# One row per study in trial_results.csv. Lines: 'first' (untreated advanced disease), 'later', None (not stated),
# 'unclear' (the review contradicts itself). prior_min/prior_max: number of earlier anti-HER2 regimens for advanced
# disease that the study asked for (None: not stated). menopause: 'post' (stated), 'post?' (inferred), None.
#: The explicit mapping of studies to the populations they enrolled, each with its source.
TRIAL_POPULATIONS = [
    dict(trial="H0648g", line="first", line_source="review, Comparison section ¶1 (H0648g is given as the evidence that "
         "anti-HER2 therapy with chemotherapy became a first-line standard)", prior_min=0, prior_max=0,
         prior_source="follows from first-line", menopause=None, menopause_source="not stated in the review"),
    dict(trial="NCIC CTG MA.31", line="first", line_source="primary abstract quoted in errata E05 ('first-line "
         "anti-HER2 therapy'); the review does not say", prior_min=0, prior_max=0, prior_source="follows from first-line",
         menopause=None, menopause_source="not stated in the review"),
    dict(trial="CLEOPATRA", line="first", line_source="review, Comparison section ¶1 ('dual-targeted first-line "
         "treatments')", prior_min=0, prior_max=0, prior_source="follows from first-line", menopause=None,
         menopause_source="not stated in the review"),
    dict(trial="PUFFIN", line="first", line_source="titles of refs 58 and 59 ('previously untreated')", prior_min=0,
         prior_max=0, prior_source="titles of refs 58 and 59", menopause=None, menopause_source="not stated in the review"),
    dict(trial="TAnDEM", line="first", line_source="review, TAnDEM section ('first-line treatment')", prior_min=0,
         prior_max=0, prior_source="follows from first-line", menopause="post",
         menopause_source="title of ref 60 ('postmenopausal women')"),
    dict(trial="EGF30008", line="first", line_source="review, TKIs section, and title of ref 61 ('first-line')",
         prior_min=0, prior_max=0, prior_source="follows from first-line", menopause="post?",
         menopause_source="inferred: letrozole is an AI, which the review says acts in postmenopausal women (ET section)"),
    dict(trial="eLEcTRA", line="first", line_source="title of ref 62 ('first-line treatment')", prior_min=0,
         prior_max=0, prior_source="follows from first-line", menopause="post?",
         menopause_source="inferred: letrozole is an AI, which the review says acts in postmenopausal women (ET section)"),
    dict(trial="PERTAIN", line="first", line_source="title of ref 65 ('First-line')", prior_min=0, prior_max=0,
         prior_source="follows from first-line", menopause="post?",
         menopause_source="inferred: both arms use an AI, which the review says acts in postmenopausal women (ET section)"),
    dict(trial="SYSUCC-002", line="first", line_source="review, SYSUCC-002 paragraph, and title of ref 64 "
         "('first-line')", prior_min=0, prior_max=0, prior_source="follows from first-line", menopause=None,
         menopause_source="not stated in the review"),
    dict(trial="NCDB (Statler 2019)", line=None, line_source="not stated in the review (all lines in a database)",
         prior_min=None, prior_max=None, prior_source="not stated in the review", menopause=None,
         menopause_source="not stated in the review"),
    dict(trial="RegistHER", line="first", line_source="title of ref 67 ('First-line treatment patterns')", prior_min=0,
         prior_max=0, prior_source="follows from first-line", menopause=None, menopause_source="not stated in the review"),
    dict(trial="DESTINY-Breast01", line="later", line_source="review, DS-8201 section (previous T-DM1; a median of six "
         "previous treatments)", prior_min=1, prior_max=None, prior_source="review, DS-8201 section (previous T-DM1)",
         menopause=None, menopause_source="not stated in the review"),
    dict(trial="NALA", line="later", line_source="title of ref 69 ('previously treated with ≥2 HER2-directed "
         "regimens')", prior_min=2, prior_max=None, prior_source="title of ref 69", menopause=None,
         menopause_source="not stated in the review"),
    dict(trial="Rugo 2021 (ref 70)", line="later", line_source="review, DS-8201 section (T-DM1 'as a second-line "
         "therapy' after trastuzumab and a taxane)", prior_min=1, prior_max=1, prior_source="review, DS-8201 section",
         menopause=None, menopause_source="not stated in the review"),
    dict(trial="DESTINY-Breast02", line="later", line_source="title of ref 71 ('previously treated')", prior_min=1,
         prior_max=None, prior_source="title of ref 71", menopause=None, menopause_source="not stated in the review"),
    dict(trial="DESTINY-Breast03", line=None, line_source="not stated in the review", prior_min=None, prior_max=None,
         prior_source="not stated in the review", menopause=None, menopause_source="not stated in the review"),
    dict(trial="DESTINY-Breast04", line="later", line_source="title of ref 73 ('previously treated')", prior_min=None,
         prior_max=None, prior_source="not stated in the review", menopause=None,
         menopause_source="not stated in the review"),
    dict(trial="NCT02657343 (ribociclib + T-DM1)", line=None, line_source="review, CDK4/6 section ¶2 (trastuzumab and "
         "a taxane 'in any setting', so possibly only before the advanced disease)", prior_min=None, prior_max=None,
         prior_source="review, CDK4/6 section ¶2 ('in any setting')", menopause=None,
         menopause_source="not stated in the review"),
    dict(trial="monarcHER", line="later", line_source="review, CDK4/6 section ¶3 ('at least two HER2-targeted "
         "treatments')", prior_min=2, prior_max=None, prior_source="review, CDK4/6 section ¶3", menopause=None,
         menopause_source="not stated in the review"),
    dict(trial="PATRICIA", line="unclear", line_source="review, CDK4/6 section ¶3 contradicts itself: 'first-line "
         "setting' and 'two to four prior lines of anti-HER2 therapy' in one sentence", prior_min=None, prior_max=None,
         prior_source="the same contradictory sentence", menopause=None, menopause_source="not stated in the review"),
    dict(trial="BOLERO-3", line="later", line_source="title of ref 84 ('trastuzumab-resistant')", prior_min=1,
         prior_max=None, prior_source="title of ref 84", menopause=None, menopause_source="not stated in the review"),
    dict(trial="BOLERO-1", line="first", line_source="review, PI3K section, and title of ref 85 ('first-line')",
         prior_min=0, prior_max=0, prior_source="follows from first-line", menopause=None,
         menopause_source="not stated in the review"),
    dict(trial="KATE2", line="later", line_source="review, PD-1/PD-L1 section (progressed after trastuzumab and a "
         "taxane)", prior_min=1, prior_max=None, prior_source="review, PD-1/PD-L1 section", menopause=None,
         menopause_source="not stated in the review"),
]

MATCH, LIKELY_MATCH, NO_MATCH, LIKELY_NOT, SILENT, UNCLEAR = (
    "matches", "matches (inferred)", "does not match", "probably does not match (inferred)",
    "the review does not say", "the review is unclear")
#: Every verdict :func:`case_data` can give for one criterion, from best to worst match.
VERDICTS = (MATCH, LIKELY_MATCH, SILENT, UNCLEAR, LIKELY_NOT, NO_MATCH)


def populations() -> pd.DataFrame:
    """:data:`TRIAL_POPULATIONS` as a DataFrame (one row per study), with the visceral-disease column filled in."""
    frame = pd.DataFrame(TRIAL_POPULATIONS)
    frame["visceral"] = None
    frame["visceral_source"] = _REVIEW_SILENT_VISCERAL
    return frame


def _line_number(line: str) -> int:
    return CASE_OPTIONS["line"].index(line) + 1


def _prior_number(prior: str) -> int:
    return CASE_OPTIONS["prior_anti_her2"].index(prior)


def _check_case(menopause, visceral, prior_anti_her2, line) -> None:
    for name, value in (("menopause", menopause), ("visceral", visceral), ("prior_anti_her2", prior_anti_her2),
                        ("line", line)):
        if value not in CASE_OPTIONS[name]:
            raise ValueError(f"{_CRITERIA_WORDS[name].capitalize()}: {value!r} is not one of "
                             f"{', '.join(map(repr, CASE_OPTIONS[name]))}.")
    if line == "first-line" and prior_anti_her2 != "none":
        raise ValueError("A first-line patient has had no anti-HER2 therapy for advanced disease yet: choose 'none' "
                         "for prior anti-HER2 therapy, or a later line.")
    if _prior_number(prior_anti_her2) > _line_number(line) - 1:
        raise ValueError(f"{prior_anti_her2!r} before the {line} treatment needs more earlier lines than that: "
                         "choose a later line or fewer regimens.")


def _verdicts(pop: dict, menopause, visceral, prior_anti_her2, line) -> dict:
    out = {}
    # menopause
    if menopause == "not given":
        out["menopause"] = SILENT if pop["menopause"] is None else "not given for this patient"
    elif pop["menopause"] is None:
        out["menopause"] = SILENT
    elif menopause == "postmenopausal":
        out["menopause"] = MATCH if pop["menopause"] == "post" else LIKELY_MATCH
    else:
        out["menopause"] = NO_MATCH if pop["menopause"] == "post" else LIKELY_NOT
    # visceral disease: the review never says
    out["visceral"] = SILENT
    # line
    want = "first" if line == "first-line" else "later"
    if pop["line"] is None:
        out["line"] = SILENT
    elif pop["line"] == "unclear":
        out["line"] = UNCLEAR
    else:
        out["line"] = MATCH if pop["line"] == want else NO_MATCH
    # prior anti-HER2 therapy
    k = _prior_number(prior_anti_her2)
    if pop["prior_min"] is None and pop["prior_max"] is None:
        out["prior_anti_her2"] = UNCLEAR if pop["line"] == "unclear" else SILENT
    else:
        lo = pop["prior_min"] or 0
        hi = pop["prior_max"]
        out["prior_anti_her2"] = MATCH if (k >= lo and (hi is None or k <= hi)) else NO_MATCH
    return out


def _showed(rows: pd.DataFrame) -> tuple[str, str, str, str]:
    """What a study showed, from its rows: (cohort, text, printed_in, result_id); HR+/HER2+ rows first, tables first."""
    order = {"HR+/HER2+": 0, "HER2+": 1}
    ranked = sorted(rows.itertuples(), key=lambda r: (order.get(r.cohort, 2), not _is_table(r.printed_in)))
    for r in ranked:
        parts = []
        if pd.notna(r.mpfs_exp) and pd.notna(r.mpfs_ctrl):
            parts.append(f"median PFS {r.mpfs_exp:g} vs {r.mpfs_ctrl:g} months")
        elif pd.notna(r.mpfs_exp):
            parts.append(f"median PFS {r.mpfs_exp:g} months (no control arm printed)")
        if pd.notna(r.pfs_hr):
            parts.append(f"PFS HR {r.pfs_hr:g} ({r.pfs_hr_low:g}–{r.pfs_hr_high:g})")
        if pd.notna(r.mos_exp) and pd.notna(r.mos_ctrl):
            parts.append(f"median OS {r.mos_exp:g} vs {r.mos_ctrl:g} months")
        if pd.notna(r.os_hr):
            parts.append(f"OS HR {r.os_hr:g} ({r.os_hr_low:g}–{r.os_hr_high:g})")
        if parts:
            arms = f"{_s(r.experimental_arm)} vs {_s(r.control_arm)}" if _s(r.control_arm) else _s(r.experimental_arm)
            return r.cohort, f"{arms}: " + "; ".join(parts), r.printed_in, r.result_id
    return "", "no number printed", "", ""


_CASE_COLUMNS = ["trial", "overall", "hr_her2_result", "menopause", "visceral", "prior_anti_her2", "line",
                 "menopause_source", "visceral_source", "prior_source", "line_source", "showed_cohort", "showed",
                 "showed_printed_in", "result_id", "refs"]


def case_trials(results: pd.DataFrame) -> list[str]:
    """Studies in ``results`` that have a population mapping (all of them, for the course's data)."""
    mapped = {p["trial"] for p in TRIAL_POPULATIONS}
    return [t for t in dict.fromkeys(results["trial"]) if t in mapped]


def case_data(results: pd.DataFrame, menopause: str = "postmenopausal", visceral: str = "no visceral disease",
              prior_anti_her2: str = "none", line: str = "first-line") -> pd.DataFrame:
    """For a described patient with HR+/HER2+ advanced disease: which studies enrolled patients like this?

    One row per study: a verdict per criterion (matches / does not match / probably does not match (inferred) /
    the review does not say / the review is unclear), each with its source, an overall verdict, whether the study
    reports an HR+/HER2+ result separately, and what it showed (from the data, with where it is printed).
    An exercise in reading evidence: it says which evidence is about patients like this one, not what to do.
    Raises ValueError, in words, for an answer that is not allowed or a self-contradictory case.
    """
    _check_case(menopause, visceral, prior_anti_her2, line)
    pops = {p["trial"]: p for p in TRIAL_POPULATIONS}
    records = []
    by_trial = {t: g for t, g in results.groupby("trial", sort=False)}
    for trial in case_trials(results):
        pop, rows = pops[trial], by_trial[trial]
        v = _verdicts(pop, menopause, visceral, prior_anti_her2, line)
        cohorts = set(rows["cohort"])
        if cohorts & {"HER2-low", "HR+/HER2-low", "HR-/HER2-low"} and not cohorts & {"HER2+", "HR+/HER2+"}:
            hr_result = "HER2-low study: not HER2+ patients"
            overall = "did not enrol patients like this"
        else:
            hr_result = ("yes" if any(c.startswith("HR+/HER2+") for c in cohorts)
                         else "no: HER2+ overall only" if "HER2+" in cohorts else "no")
            values = list(v.values())
            if NO_MATCH in values:
                overall = "did not enrol patients like this"
            elif LIKELY_NOT in values:
                overall = "probably did not enrol patients like this"
            elif all(x == MATCH for x in (v["line"], v["prior_anti_her2"])):
                overall = "enrolled patients like this (as far as the review says)"
            else:
                overall = "cannot tell from the review"
        cohort, showed, where, rid = _showed(rows)
        refs = ";".join(dict.fromkeys(x for s in rows["refs"].fillna("") for x in str(s).split(";") if x))
        records.append({"trial": trial, "overall": overall, "hr_her2_result": hr_result, **v,
                        "menopause_source": pop["menopause_source"], "visceral_source": _REVIEW_SILENT_VISCERAL,
                        "prior_source": pop["prior_source"], "line_source": pop["line_source"],
                        "showed_cohort": cohort, "showed": showed, "showed_printed_in": where, "result_id": rid,
                        "refs": refs})
    tidy = pd.DataFrame.from_records(records, columns=_CASE_COLUMNS)
    rank = {"enrolled patients like this (as far as the review says)": 0, "cannot tell from the review": 1,
            "probably did not enrol patients like this": 2, "did not enrol patients like this": 3}
    tidy = tidy.sort_values("overall", key=lambda s: s.map(rank), kind="stable").reset_index(drop=True)
    tidy.attrs["case"] = dict(menopause=menopause, visceral=visceral, prior_anti_her2=prior_anti_her2, line=line)
    return tidy
