"""Compute: evidence published after the review (``data/since_review.csv``, ``data/registry_checks.csv``).

The review was accepted in late 2023. Rows here come from sources the course read itself (journal articles, congress
abstracts, regulatory labels), each with its date, the analysis it reports (interim or final) and where in the source
each value stands. Pure functions: DataFrames in, tidy DataFrames out; no drawing, no file access.
"""
from __future__ import annotations

import math

import pandas as pd

from . import forest

__all__ = ["HR_FAMILIES", "endpoint_family", "hr_rows", "forest_with_review", "report_pairs", "by_date",
           "reported_trials", "table3_status"]

#: Endpoint families the forest compares, and how the review's own hazard ratios map onto them.
HR_FAMILIES = {"PFS": "pfs", "OS": "os"}

_HR_COLUMNS = ["label", "trial", "endpoint", "family", "cohort", "analysis", "analysis_type", "source_kind",
               "published", "n", "hr", "low", "high", "crosses_one", "result_id", "bibkey", "confidence", "era"]

#: Columns that a congress report and the journal report of one result may print differently.
VALUE_COLUMNS = ["n_exp", "n_ctrl", "median_exp", "median_ctrl", "hr", "hr_low", "hr_high", "p_value",
                 "landmark_exp", "landmark_ctrl", "rate_exp", "rate_ctrl", "grade3_ae_exp", "grade3_ae_ctrl",
                 "data_cutoff", "median_follow_up"]


def endpoint_family(endpoint: str) -> str:
    """'PFS (BICR)' -> 'PFS'; 'OS' -> 'OS'; anything else is its own family (e.g. 'ORR')."""
    head = str(endpoint).split("(")[0].strip()
    return head if head else str(endpoint)


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _short_source(r) -> str:
    kind = {"congress abstract": "congress", "journal article": "journal", "regulatory label": "label",
            "regulatory announcement": "agency", "registry record": "registry"}.get(r.source_kind, r.source_kind)
    return f"{kind} {str(r.published)[:7]}"


def hr_rows(since: pd.DataFrame, family: str | None = None) -> pd.DataFrame:
    """One row per since-review result that prints a hazard ratio with both confidence limits.

    ``family``: 'PFS', 'OS' (see :func:`endpoint_family`) or None for all. Columns: label, trial, endpoint, family,
    cohort, analysis, analysis_type, source_kind, published, n (both arms), hr, low, high, crosses_one, result_id,
    bibkey, confidence, era ('since the review'). Ordered by trial, endpoint, then publication date.
    """
    frame = since[since["hr"].notna() & since["hr_low"].notna() & since["hr_high"].notna()].copy()
    frame["family"] = frame["endpoint"].map(endpoint_family)
    if family is not None:
        if family not in set(frame["family"]):
            having = ", ".join(sorted(set(frame["family"]))) or "none"
            raise ValueError(f"No result since the review prints a hazard ratio for {family!r}. Endpoints with one: "
                             f"{having}.")
        frame = frame[frame["family"] == family]
    frame = frame.sort_values(["trial", "endpoint", "cohort", "published"], kind="stable")
    records = []
    for r in frame.itertuples():
        low, high = float(r.hr_low), float(r.hr_high)
        n = (r.n_exp if pd.notna(r.n_exp) else 0) + (r.n_ctrl if pd.notna(r.n_ctrl) else 0)
        cohort = "" if r.cohort == "all randomized" else f" · {r.cohort}"
        records.append({
            "label": f"{r.trial} · {r.endpoint}{cohort} [{_short_source(r)}]", "trial": r.trial,
            "endpoint": r.endpoint, "family": r.family, "cohort": r.cohort, "analysis": r.analysis,
            "analysis_type": r.analysis_type, "source_kind": r.source_kind, "published": str(r.published),
            "n": int(n) if n else pd.NA, "hr": float(r.hr), "low": low, "high": high,
            "crosses_one": bool(low <= 1 <= high), "result_id": r.result_id, "bibkey": r.bibkey,
            "confidence": r.confidence, "era": "since the review"})
    tidy = pd.DataFrame.from_records(records, columns=_HR_COLUMNS)
    tidy["n"] = tidy["n"].astype("Int64")
    return tidy


def forest_with_review(results: pd.DataFrame, since: pd.DataFrame, family: str = "PFS",
                       errata: pd.DataFrame | None = None) -> pd.DataFrame:
    """The review's hazard ratios for ``family`` (as printed, tables first) stacked above the new ones.

    Same columns as :func:`hr_rows`; the review's rows have era 'in the review', source_kind 'the review',
    published '2024-01' (the review's issue) and their ``result_id`` from trial_results.csv.
    """
    if family not in HR_FAMILIES:
        raise ValueError(f"Unknown endpoint {family!r}: choose one of {', '.join(HR_FAMILIES)}.")
    old = forest.forest_data(results, endpoint=HR_FAMILIES[family], errata=errata)
    old = old[old["printed_in"].str.startswith("Table") | ~old["trial"].isin(
        old.loc[old["printed_in"].str.startswith("Table"), "trial"])]
    review = pd.DataFrame({
        "label": old["label"], "trial": old["trial"], "endpoint": family, "family": family,
        "cohort": old["cohort"], "analysis": "as printed in the review", "analysis_type": "not applicable",
        "source_kind": "the review", "published": "2024-01", "n": old["n"], "hr": old["hr"], "low": old["low"],
        "high": old["high"], "crosses_one": old["crosses_one"], "result_id": old["result_id"],
        "bibkey": "Liang2024review", "confidence": "as printed", "era": "in the review"})
    new = hr_rows(since, family) if family in set(since["endpoint"].map(endpoint_family)) else \
        pd.DataFrame(columns=_HR_COLUMNS)
    out = pd.concat([review, new], ignore_index=True)
    out["n"] = out["n"].astype("Int64")
    out["row"] = range(len(out))
    return out


def _same(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    fa, fb = _num(a), _num(b)
    if not (math.isnan(fa) or math.isnan(fb)):
        return math.isclose(fa, fb, rel_tol=1e-9)
    return str(a).strip() == str(b).strip()


def report_pairs(since: pd.DataFrame) -> pd.DataFrame:
    """Every pair of rows that report the same trial, endpoint and cohort in two different sources or analyses.

    One row per pair and value column where at least one of the two prints a value. Columns: trial, endpoint,
    cohort, first_id, second_id, first_source, second_source (kind and date), first_analysis, second_analysis,
    column, first_value, second_value, both_print (both sources print a value), differs (both print one and the
    two differ). 'first' is the earlier publication.
    """
    keys = ["trial", "endpoint", "cohort"]
    rows = []
    for _, group in since.sort_values("published", kind="stable").groupby(keys, sort=False):
        recs = list(group.itertuples())
        for i, a in enumerate(recs):
            for b in recs[i + 1:]:
                for col in VALUE_COLUMNS:
                    va, vb = getattr(a, col), getattr(b, col)
                    if pd.isna(va) and pd.isna(vb):
                        continue
                    both = not (pd.isna(va) or pd.isna(vb))
                    rows.append({"trial": a.trial, "endpoint": a.endpoint, "cohort": a.cohort,
                                 "first_id": a.result_id, "second_id": b.result_id,
                                 "first_source": f"{a.source_kind}, {a.published}",
                                 "second_source": f"{b.source_kind}, {b.published}",
                                 "first_analysis": a.analysis, "second_analysis": b.analysis, "column": col,
                                 "first_value": "" if pd.isna(va) else str(va),
                                 "second_value": "" if pd.isna(vb) else str(vb),
                                 "both_print": both, "differs": both and not _same(va, vb)})
    return pd.DataFrame(rows, columns=["trial", "endpoint", "cohort", "first_id", "second_id", "first_source",
                                       "second_source", "first_analysis", "second_analysis", "column",
                                       "first_value", "second_value", "both_print", "differs"])


def by_date(since: pd.DataFrame) -> pd.DataFrame:
    """One row per source (trial x source x date), newest first: published, trial, source_kind, source_name,
    analysis, endpoints (joined), result_ids (joined), bibkey, confidence (the lowest of its rows)."""
    order = {"high": 0, "medium": 1, "low": 2}
    rows = []
    for (published, trial, kind, name, bibkey), g in since.groupby(
            ["published", "trial", "source_kind", "source_name", "bibkey"], sort=False):
        rows.append({"published": published, "trial": trial, "source_kind": kind, "source_name": name,
                     "analysis": "; ".join(dict.fromkeys(g["analysis"])),
                     "endpoints": "; ".join(dict.fromkeys(g["endpoint"])),
                     "result_ids": ";".join(g["result_id"]), "bibkey": bibkey,
                     "confidence": max(g["confidence"], key=lambda c: order.get(c, 3))})
    out = pd.DataFrame(rows, columns=["published", "trial", "source_kind", "source_name", "analysis", "endpoints",
                                      "result_ids", "bibkey", "confidence"])
    return out.sort_values(["published", "trial"], ascending=[False, True], kind="stable").reset_index(drop=True)


def reported_trials(since: pd.DataFrame, registry: pd.DataFrame | None = None) -> pd.DataFrame:
    """Trials with results reported since the review: trial name, nct_id, first publication date. From
    since_review.csv, plus Table 3 trials whose registry check found results."""
    first = since.sort_values("published").groupby("trial", sort=False).agg(
        nct_id=("nct_id", "first"), first_reported=("published", "first")).reset_index()
    if registry is not None:
        extra = registry[registry["results_reported"] == "yes"]
        for r in extra.itertuples():
            if r.nct_id not in set(first["nct_id"].dropna()):
                name = r.acronym if pd.notna(r.acronym) else r.nct_id
                first.loc[len(first)] = [name, r.nct_id, ""]
    return first.sort_values("trial").reset_index(drop=True)


def table3_status(ongoing: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """Table 3 as printed beside what the registry check found: nct_id, acronym, phase, status_in_review,
    status_found, checked_on, results_reported, results_summary, changed (status differs from the review's)."""
    merged = ongoing[["nct_id", "acronym", "phase", "status", "intervention"]].merge(
        registry.drop(columns=["acronym"]), on="nct_id", how="left", validate="one_to_one")
    merged["changed"] = merged["status_found"].notna() & (merged["status_found"] != merged["status"])
    cols = ["nct_id", "acronym", "phase", "intervention", "status", "status_found", "checked_on", "results_reported",
            "results_summary", "changed"]
    return merged[cols].rename(columns={"status": "status_in_review"})

