"""Compute: where the review prints one value twice and the two printings disagree (lessons 01, 09, 11, 12).

A result the review prints in a table and again in the text is two rows of ``trial_results`` (see
:func:`hrher2._cells.pair_key`). Every comparison of two printings uses one rule, :func:`compare_values`: p-values are
compared by sign and number ('0.007' and '0.0070' agree), a phase by its words, anything else as a number, and a
difference that vanishes once the more precise value is rounded is *rounding only* (PERTAIN 18.89 vs 18.9).

- :func:`text_table_disagreements`: every trial x cohort x column where a text row and a table row differ;
- :func:`between_places`: for one trial's printed medians, the cohort x arm pairs printed differently;
- :func:`label_swaps`: two cohorts whose medians the text and a table print the other way round;
- :func:`compare_with_errata`, :func:`check_disagreements`: the capstone's exercise and its reference answer.

Pure functions: DataFrames in, tidy DataFrames (or plain values) out. No drawing, no widgets, no file access.
"""
from __future__ import annotations

import re

import pandas as pd

from ._cells import check_trials, number, require_columns, split_ids
from .pvalues import parse_p
from .trials import median_endpoint

__all__ = ["COMPARED_COLUMNS", "compare_values", "text_table_disagreements", "between_places", "label_swaps",
           "compare_with_errata", "check_disagreements"]

COMPARED_COLUMNS = ["phase", "n", "mpfs_exp", "mpfs_ctrl", "mpfs_exp_ci_low", "mpfs_exp_ci_high", "mpfs_ctrl_ci_low",
                    "mpfs_ctrl_ci_high", "pfs_p", "pfs_hr", "pfs_hr_low", "pfs_hr_high", "mos_exp", "mos_ctrl", "os_p",
                    "os_hr", "os_hr_low", "os_hr_high", "median_follow_up"]
_P_COLUMNS = ("pfs_p", "os_p")
_MISSING_TEXT = {"", "not stated"}


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


def _p(value) -> tuple[str, float]:
    parsed = parse_p(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a p-value")
    return parsed


def compare_values(column: str, first, second) -> tuple[bool, bool]:
    """(differ, rounding_only) for two printings of one value of ``column`` (both present)."""
    if column in _P_COLUMNS:
        return _p(first) != _p(second), False
    if column == "phase":
        return str(first) != str(second), False
    a, b = float(first), float(second)
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
    require_columns(results, ["result_id", "trial", "cohort", "printed_in"], "trial_results")
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
            differ, rounding = compare_values(col, tv, bv)
            if differ:
                out.append({"trial": p["trial"], "cohort": p["cohort"], "column": col, "text_value": _fmt(tv),
                            "table_value": _fmt(bv), "table": p["printed_in_table"], "rounding_only": rounding,
                            "text_result_id": p["result_id_text"], "table_result_id": p["result_id_table"]})
    return pd.DataFrame(out, columns=["trial", "cohort", "column", "text_value", "table_value", "table",
                                      "rounding_only", "text_result_id", "table_result_id"])


def between_places(tidy: pd.DataFrame) -> pd.DataFrame:
    """From a :func:`hrher2.trials.printed_medians` frame: the cohort x arm pairs whose value differs between places.

    Columns: cohort, arm, values ('18.9 (Table 2); 18.89 (Text)': each distinct value with where it is printed).
    """
    if tidy.empty:
        return tidy.assign(values="")[["cohort", "arm", "values"]]
    out = []
    for (cohort, arm), g in tidy.groupby(["cohort", "arm"], sort=False):
        first = g["months"].iloc[0]
        if any(compare_values("months", first, m)[0] for m in g["months"].iloc[1:]):
            distinct = g.drop_duplicates("months")
            values = "; ".join(f"{m:g} ({w})" for m, w in zip(distinct["months"], distinct["printed_in"]))
            out.append({"cohort": cohort, "arm": arm, "values": values})
    return pd.DataFrame(out, columns=["cohort", "arm", "values"])


def label_swaps(results: pd.DataFrame, trial: str, endpoint: str = "mpfs") -> pd.DataFrame:
    """Pairs of cohorts whose medians the text and a table print the other way round.

    A pair (A, B) is a swap when the text's value for A equals the table's value for B, the text's value for B equals
    the table's value for A, and the two values differ. Columns: cohort_a, cohort_b, table_a, table_b, text_a, text_b.
    """
    exp_c, ctrl_c, _, _ = median_endpoint(endpoint)
    require_columns(results, {"trial", "cohort", "printed_in", exp_c, ctrl_c}, "trial results")
    check_trials(results, trial)
    rows = results[results["trial"] == trial]

    def values(frame):
        return {c: (number(r[exp_c]), number(r[ctrl_c])) for c, r in frame.set_index("cohort").iterrows()}

    def same(a, b):
        return all((pd.isna(x) and pd.isna(y)) or (pd.notna(x) and pd.notna(y) and not compare_values("months", x, y)[0])
                   for x, y in zip(a, b))

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
    require_columns(disagreements, ["trial", "column", "text_result_id", "table_result_id"], "disagreements")
    require_columns(errata, ["erratum_id", "trial_or_topic", "field", "result_ids"], "errata")
    out = disagreements.copy()
    rec, rel, status = [], [], []
    for _, d in disagreements.iterrows():
        ids = {d["text_result_id"], d["table_result_id"]}
        cand = errata[(errata["trial_or_topic"] == d["trial"])
                      & errata["result_ids"].map(lambda s: bool(ids & set(split_ids(s))))]
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
