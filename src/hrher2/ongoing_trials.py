"""Compute: the ongoing trials of the review's Table 3 and the drug classes they combine (lessons 10, 12).

Pure functions: DataFrames in, tidy DataFrames (or plain values) out. No drawing, no widgets, no file access.
:func:`filter_trials` picks trials by drug class, phase and status; :func:`class_matrix` says which classes each
trial's intervention contains; :func:`map_summary` counts them.
"""
from __future__ import annotations

import pandas as pd

from ._cells import require_columns, split_ids

__all__ = ["CLASSES", "PHASES", "STATUSES", "filter_trials", "class_matrix", "trial_label", "map_summary"]

#: Drug classes of Table 3, in the order the map draws them (anti-HER2 first, then endocrine, then the newer partners).
CLASSES = ["anti-HER2 antibody", "anti-HER2 TKI", "anti-HER2 ADC", "ET", "ovarian function suppression",
           "CDK4/6 inhibitor", "PI3K inhibitor", "chemotherapy"]
#: Phases and statuses as Table 3 prints them (the schema's allowed values), in a reading order.
PHASES = ["I/II", "II", "III", "NA (real-world study)"]
STATUSES = ["Recruiting", "Not yet recruiting", "Active, not recruiting"]

_ANTI_HER2 = ("anti-HER2 antibody", "anti-HER2 TKI", "anti-HER2 ADC")




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




def filter_trials(ongoing: pd.DataFrame, classes=None, phases=None, statuses=None, match: str = "any") -> pd.DataFrame:
    """The Table 3 rows that pass the filters, in Table 3's order.

    ``None`` means "do not filter"; an empty list selects nothing (so the result is empty). ``classes`` keeps trials
    that contain any (``match="any"``) or all (``match="all"``) of the chosen drug classes. Unknown values raise
    ValueError naming the allowed ones.
    """
    require_columns(ongoing, ["nct_id", "phase", "status", "drug_classes"], "ongoing_trials")
    classes, phases, statuses = (_as_list(classes, "drug class"), _as_list(phases, "phase"),
                                 _as_list(statuses, "status"))
    _check_known(classes, CLASSES, "drug class")
    _check_known(phases, PHASES, "phase")
    _check_known(statuses, STATUSES, "status")
    if match not in ("any", "all"):
        raise ValueError(f"Unknown match {match!r}: choose 'any' (a trial has at least one chosen class) or 'all'.")
    mask = pd.Series(True, index=ongoing.index)
    if classes is not None:
        sets = ongoing["drug_classes"].map(lambda c: set(split_ids(c)))
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
    require_columns(ongoing, ["nct_id", "drug_classes"], "ongoing_trials")
    rows = {}
    for _, r in ongoing.iterrows():
        present = split_ids(r["drug_classes"])
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
