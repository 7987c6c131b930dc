"""Compute: the ongoing trials of Table 3, the course's evidence map, and the capstone's appraisal exercise.

Pure functions: DataFrames in, tidy DataFrames (or plain values) out. No drawing, no widgets, no file access.

- :func:`filter_trials`, :func:`class_matrix`: which drug classes the ongoing trials of Table 3 combine (lesson 12).
- :func:`evidence_map`, :func:`cohort_coverage`: what kinds of published studies the review reads (lessons 01, 12).
- :func:`text_table_disagreements`, :func:`compare_with_errata`, :func:`check_disagreements`: the capstone's
  appraisal exercise (find where the review's text and tables print different values) and its reference answer.
"""
from __future__ import annotations

import re

import pandas as pd

__all__ = ["CLASSES", "PHASES", "STATUSES", "DESIGN_PHASES", "COMPARED_COLUMNS", "filter_trials", "class_matrix",
           "trial_label", "map_summary", "evidence_map", "cohort_coverage", "text_table_disagreements", "compare_with_errata",
           "check_disagreements"]

#: Drug classes of Table 3, in the order the map draws them (anti-HER2 first, then endocrine, then the newer partners).
CLASSES = ["anti-HER2 antibody", "anti-HER2 TKI", "anti-HER2 ADC", "ET", "ovarian function suppression",
           "CDK4/6 inhibitor", "PI3K inhibitor", "chemotherapy"]
#: Phases and statuses as Table 3 prints them (the schema's allowed values), in a reading order.
PHASES = ["I/II", "II", "III", "NA (real-world study)"]
STATUSES = ["Recruiting", "Not yet recruiting", "Active, not recruiting"]

_ANTI_HER2 = ("anti-HER2 antibody", "anti-HER2 TKI", "anti-HER2 ADC")


# --------------------------------------------------------------------------------------------------------------
# Table 3: ongoing trials
# --------------------------------------------------------------------------------------------------------------
def _split(cell) -> list[str]:
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    return [x.strip() for x in str(cell).split(";") if x.strip()]


def _as_list(values, what: str) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    try:
        return list(values)
    except TypeError:
        raise ValueError(f"The {what} filter must be a list of names, not {values!r}.") from None


def _check_known(chosen: list[str] | None, known: list[str], what: str) -> None:
    if chosen is None:
        return
    unknown = [v for v in chosen if v not in known]
    if unknown:
        names = ", ".join(repr(v) for v in unknown)
        raise ValueError(f"Unknown {what} {names}: choose from {', '.join(known)}.")


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"Expected the {name} table as a DataFrame, got {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"The {name} table has no column {', '.join(repr(c) for c in missing)}.")


def filter_trials(ongoing: pd.DataFrame, classes=None, phases=None, statuses=None, match: str = "any") -> pd.DataFrame:
    """The Table 3 rows that pass the filters, in Table 3's order.

    ``None`` means "do not filter"; an empty list selects nothing (so the result is empty). ``classes`` keeps trials
    that contain any (``match="any"``) or all (``match="all"``) of the chosen drug classes. Unknown values raise
    ValueError naming the allowed ones.
    """
    _require(ongoing, ["nct_id", "phase", "status", "drug_classes"], "ongoing_trials")
    classes, phases, statuses = (_as_list(classes, "drug class"), _as_list(phases, "phase"),
                                 _as_list(statuses, "status"))
    _check_known(classes, CLASSES, "drug class")
    _check_known(phases, PHASES, "phase")
    _check_known(statuses, STATUSES, "status")
    if match not in ("any", "all"):
        raise ValueError(f"Unknown match {match!r}: choose 'any' (a trial has at least one chosen class) or 'all'.")
    mask = pd.Series(True, index=ongoing.index)
    if classes is not None:
        sets = ongoing["drug_classes"].map(lambda c: set(_split(c)))
        test = (lambda s: bool(s & set(classes))) if match == "any" else (lambda s: set(classes) <= s)
        mask &= sets.map(test) if classes else False
    if phases is not None:
        mask &= ongoing["phase"].isin(phases)
    if statuses is not None:
        mask &= ongoing["status"].isin(statuses)
    return ongoing[mask.astype(bool)].reset_index(drop=True)


def trial_label(row) -> str:
    """'NCT04784715 (DESTINY-Breast09)', or just the NCT id when Table 3 gives no acronym."""
    acronym = row.get("acronym") if hasattr(row, "get") else None
    if acronym is not None and not pd.isna(acronym) and str(acronym).strip():
        return f"{row['nct_id']} ({acronym})"
    return str(row["nct_id"])


def class_matrix(ongoing: pd.DataFrame) -> pd.DataFrame:
    """Trials x drug classes, 1 where the trial's intervention contains the class, else 0.

    Index: NCT id (Table 3's order); columns: :data:`CLASSES`. A class outside that vocabulary raises ValueError.
    """
    _require(ongoing, ["nct_id", "drug_classes"], "ongoing_trials")
    rows = {}
    for _, r in ongoing.iterrows():
        present = _split(r["drug_classes"])
        unknown = [c for c in present if c not in CLASSES]
        if unknown:
            raise ValueError(f"ongoing_trials row {r['nct_id']}: drug class {unknown[0]!r} is not one of "
                             f"{', '.join(CLASSES)}.")
        rows[r["nct_id"]] = [int(c in present) for c in CLASSES]
    matrix = pd.DataFrame.from_dict(rows, orient="index", columns=CLASSES).astype(int)
    matrix.index.name = "nct_id"
    return matrix


def map_summary(ongoing: pd.DataFrame) -> dict:
    """Counts a title can state: trials shown, with ET + anti-HER2, with a CDK4/6 inhibitor, chemotherapy-free."""
    m = class_matrix(ongoing)
    anti_her2 = m[list(_ANTI_HER2)].sum(axis=1) > 0
    return {"n": len(m), "et_her2": int((anti_her2 & (m["ET"] == 1)).sum()),
            "cdk46": int(m["CDK4/6 inhibitor"].sum()), "chemo_free": int((m["chemotherapy"] == 0).sum()),
            "with_chemo": int(m["chemotherapy"].sum())}


# --------------------------------------------------------------------------------------------------------------
# Evidence map of the published trials (Tables 1-2 and the text)
# --------------------------------------------------------------------------------------------------------------
#: Columns of the evidence map, in reading order: design, then phase as printed (highest first).
DESIGN_PHASES = ["randomized · III", "randomized · II", "randomized · not stated", "single-arm · II", "single-arm · Ib",
                 "single-arm · I", "single-arm · not stated", "real-world"]

def _trial_facts(results: pd.DataFrame) -> pd.DataFrame:
    """One row per trial: table_group, source, design, phase (the table's printing when there is one), OS flag."""
    _require(results, ["trial", "printed_in", "table_group", "design", "phase", "cohort", "mos_exp", "mos_ctrl"],
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
    _require(results, ["trial", "cohort"], "trial_results")
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
#: ni_margin (not printed in the review), mos_status (words, not a printed value), ids, labels and notes.
COMPARED_COLUMNS = ["phase", "n", "mpfs_exp", "mpfs_ctrl", "mpfs_exp_ci_low", "mpfs_exp_ci_high", "mpfs_ctrl_ci_low",
                    "mpfs_ctrl_ci_high", "pfs_p", "pfs_hr", "pfs_hr_low", "pfs_hr_high", "mos_exp", "mos_ctrl", "os_p",
                    "os_hr", "os_hr_low", "os_hr_high", "median_follow_up"]
_P_COLUMNS = ("pfs_p", "os_p")
_MISSING_TEXT = {"", "not stated"}


def _parse_p(value: str) -> tuple[str, float]:
    m = re.fullmatch(r"\s*(<=|>=|<|>|=)?\s*(\d*\.?\d+)\s*", str(value))
    if not m:
        raise ValueError(f"{value!r} is not a p-value")
    return m.group(1) or "=", float(m.group(2))


def _decimals(x: float) -> int:
    text = repr(float(x))
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _present(v) -> bool:
    if v is None:
        return False
    try:
        if pd.isna(v):
            return False
    except (TypeError, ValueError):
        pass
    return str(v).strip() not in _MISSING_TEXT


def _compare(column: str, text_v, table_v) -> tuple[bool, bool]:
    """(differ, rounding_only) for two printed values of one column."""
    if column in _P_COLUMNS:
        return _parse_p(text_v) != _parse_p(table_v), False
    if column == "phase":
        return str(text_v) != str(table_v), False
    a, b = float(text_v), float(table_v)
    if a == b:
        return False, False
    places = min(_decimals(a), _decimals(b))
    return True, round(a, places) == round(b, places)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def text_table_disagreements(results: pd.DataFrame) -> pd.DataFrame:
    """Every trial x cohort x column where a 'Text' row and a 'Table 1'/'Table 2' row print different values.

    Rows are paired on trial and cohort; a column is compared only where both rows print a value (a missing value,
    or a phase 'not stated', is not a disagreement). p-values are compared as numbers with their sign ('0.007' and
    '0.0070' agree). ``rounding_only`` is True where the two values agree once the more precise one is rounded
    (PERTAIN 18.89 vs 18.9). Columns: trial, cohort, column, text_value, table_value, table, rounding_only,
    text_result_id, table_result_id.
    """
    _require(results, ["result_id", "trial", "cohort", "printed_in"], "trial_results")
    columns = [c for c in COMPARED_COLUMNS if c in results.columns]
    text = results[results["printed_in"] == "Text"]
    table = results[results["printed_in"].isin(["Table 1", "Table 2"])]
    pairs = text.merge(table, on=["trial", "cohort"], suffixes=("_text", "_table"))
    out = []
    for _, p in pairs.iterrows():
        for col in columns:
            tv, bv = p[f"{col}_text"], p[f"{col}_table"]
            if not (_present(tv) and _present(bv)):
                continue
            differ, rounding = _compare(col, tv, bv)
            if differ:
                out.append({"trial": p["trial"], "cohort": p["cohort"], "column": col, "text_value": _fmt(tv),
                            "table_value": _fmt(bv), "table": p["printed_in_table"], "rounding_only": rounding,
                            "text_result_id": p["result_id_text"], "table_result_id": p["result_id_table"]})
    return pd.DataFrame(out, columns=["trial", "cohort", "column", "text_value", "table_value", "table",
                                      "rounding_only", "text_result_id", "table_result_id"])


#: Words in an erratum's 'field' that name the quantity of a compared column.
_FIELD_WORDS = {"phase": {"phase"}, "n": {"n"}, "pfs_p": {"pfs_p"}, "os_p": {"os_p", "os"},
                "median_follow_up": {"follow-up"}}


def _field_words(column: str) -> set[str]:
    if column in _FIELD_WORDS:
        return _FIELD_WORDS[column]
    if column.startswith("mpfs"):
        return {"mpfs"}
    if column.startswith("mos"):
        return {"mos"}
    if column.startswith(("pfs_hr", "os_hr")):
        return {"hazard"}
    return {column}


def compare_with_errata(disagreements: pd.DataFrame, errata: pd.DataFrame) -> pd.DataFrame:
    """Which disagreements the course's errata table already records.

    An erratum is *related* to a disagreement when its trial_or_topic is the trial and its result_ids include the
    text or the table row; it *records* it when, in addition, its 'field' names the same quantity (e.g. 'mOS' for
    mos_exp). Adds columns errata_ids (recording entries), related_ids (other related entries) and status
    ('recorded', 'related entry only', 'not recorded').
    """
    _require(disagreements, ["trial", "column", "text_result_id", "table_result_id"], "disagreements")
    _require(errata, ["erratum_id", "trial_or_topic", "field", "result_ids"], "errata")
    out = disagreements.copy()
    rec, rel, status = [], [], []
    for _, d in disagreements.iterrows():
        ids = {d["text_result_id"], d["table_result_id"]}
        cand = errata[(errata["trial_or_topic"] == d["trial"])
                      & errata["result_ids"].map(lambda s: bool(ids & set(_split(s))))]
        words = _field_words(d["column"])
        hit = cand["field"].map(lambda f: bool(words & set(re.split(r"[\s,()]+", str(f).lower()))))
        recording = cand.loc[hit, "erratum_id"].tolist()
        related = cand.loc[~hit, "erratum_id"].tolist()
        rec.append(";".join(recording))
        rel.append(";".join(related))
        status.append("recorded" if recording else ("related entry only" if related else "not recorded"))
    out["errata_ids"], out["related_ids"], out["status"] = rec, rel, status
    return out


def check_disagreements(answer, results: pd.DataFrame) -> tuple[bool, str]:
    """Mark a learner's list of text-vs-table disagreements against :func:`text_table_disagreements`.

    ``answer`` is a DataFrame with columns trial, cohort and column (one row per disagreement; other columns are
    ignored, duplicates count once). Returns (all found and nothing extra, feedback in words). Never raises on a
    malformed answer: it says what is wrong with it instead. Rounding-only differences are welcome but not required;
    a p-value written two ways ('0.007' / '0.0070') is not a disagreement.
    """
    if not isinstance(answer, pd.DataFrame):
        return False, (f"Your answer should be a pandas DataFrame with columns trial, cohort and column; "
                       f"got {type(answer).__name__}.")
    missing = [c for c in ("trial", "cohort", "column") if c not in answer.columns]
    if missing:
        return False, (f"Your answer has no column {', '.join(repr(c) for c in missing)}: it needs trial, cohort "
                       f"and column (the name of the column that differs, e.g. 'mos_exp').")
    ref = text_table_disagreements(results)
    key = lambda f: set(zip(f["trial"].astype(str), f["cohort"].astype(str), f["column"].astype(str)))  # noqa: E731
    required, optional = key(ref[~ref["rounding_only"]]), key(ref[ref["rounding_only"]])
    given = key(answer)
    found, missed, extra = given & required, sorted(required - given), sorted(given - required - optional)
    parts = [f"You found {len(found)} of the {len(required)} disagreements the reference answer lists."]
    if missed:
        trials = sorted({t for t, _, _ in missed})
        cols = sorted({c for _, _, c in missed})
        parts.append(f"Still missing {len(missed)}: look again at {', '.join(trials)} "
                     f"(columns {', '.join(cols)}).")
    if extra:
        notes = []
        phase_extra = [t for t, _, col in extra if col == "phase"]
        p_extra = sorted({f"{t} {col}" for t, _, col in extra if col in _P_COLUMNS})
        other = [f"{t} / {c} / {col}" for t, c, col in extra if col != "phase" and col not in _P_COLUMNS]
        if phase_extra:
            notes.append(f"{len(phase_extra)} in column phase, where the text prints 'not stated' (no phase), "
                         f"e.g. {phase_extra[0]}")
        if p_extra:
            notes.append(f"{', '.join(p_extra)}: compare p-values as numbers; a trailing zero is not a disagreement")
        if other:
            shown = "; ".join(other[:5]) + (f"; and {len(other) - 5} more" if len(other) > 5 else "")
            notes.append(f"{shown}: are both values really printed, and really different?")
        parts.append(f"{len(extra)} of your rows are not disagreements in the reference answer. "
                     + ". ".join(notes) + ".")
    if optional & given:
        parts.append("You also found a rounding-only difference (e.g. 18.89 vs 18.9): well spotted, though it "
                     "changes nothing.")
    elif optional:
        parts.append(f"Not required: {len(optional)} rounding-only difference(s), such as PERTAIN 18.89 vs 18.9.")
    ok = not missed and not extra
    if ok:
        parts.insert(0, "Correct: your list matches the reference answer.")
    return ok, " ".join(parts)
