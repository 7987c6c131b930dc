"""Compute: which studies enrolled patients like a described case, criterion by criterion (lesson 09).

:data:`TRIAL_POPULATIONS` maps every study of ``trial_results`` to the population it enrolled (line of therapy,
earlier anti-HER2 regimens, menopausal status), each with its source; :func:`case_data` reads a described patient
against it. An exercise in reading evidence: it says which evidence is about patients like this one, never what to
do. Pure functions, no drawing, no file access.
"""
from __future__ import annotations

import itertools

import pandas as pd

from ._cells import is_table, text

__all__ = ["CASE_OPTIONS", "TRIAL_POPULATIONS", "VERDICTS", "populations", "case_trials", "case_data", "every_case", "case_finding", "check_answers"]

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


def check_answers(menopause, visceral, prior_anti_her2, line) -> None:
    """Raise ValueError, naming the question, for an answer :data:`CASE_OPTIONS` does not allow."""
    for name, value in (("menopause", menopause), ("visceral", visceral), ("prior_anti_her2", prior_anti_her2),
                        ("line", line)):
        if value not in CASE_OPTIONS[name]:
            raise ValueError(f"{_CRITERIA_WORDS[name].capitalize()}: {value!r} is not one of "
                             f"{', '.join(map(repr, CASE_OPTIONS[name]))}.")


def _check_case(menopause, visceral, prior_anti_her2, line) -> None:
    check_answers(menopause, visceral, prior_anti_her2, line)
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
    ranked = sorted(rows.itertuples(), key=lambda r: (order.get(r.cohort, 2), not is_table(r.printed_in)))
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
            arms = f"{text(r.experimental_arm)} vs {text(r.control_arm)}" if text(r.control_arm) else text(r.experimental_arm)
            return r.cohort, f"{arms}: " + "; ".join(parts), r.printed_in, r.result_id
    return "", "no number printed", "", ""


_CASE_COLUMNS = ["trial", "overall", "hr_her2_result", "menopause", "visceral", "prior_anti_her2", "line",
                 "menopause_source", "visceral_source", "prior_source", "line_source", "showed_cohort", "showed",
                 "showed_printed_in", "result_id", "refs"]


def case_trials(results: pd.DataFrame) -> list[str]:
    """Studies in ``results`` that have a population mapping (all of them, for the course's data)."""
    mapped = {p["trial"] for p in TRIAL_POPULATIONS}
    return [t for t in dict.fromkeys(results["trial"]) if t in mapped]


def _studies(results: pd.DataFrame) -> list[dict]:
    """What does not depend on the case, once per study: its population, whether it shows an HR+/HER2+ result (or is
    a HER2-low study), what it showed and its references."""
    pops = {p["trial"]: p for p in TRIAL_POPULATIONS}
    by_trial = {t: g for t, g in results.groupby("trial", sort=False)}
    studies = []
    for trial in case_trials(results):
        pop, rows = pops[trial], by_trial[trial]
        cohorts = set(rows["cohort"])
        her2_low = bool(cohorts & {"HER2-low", "HR+/HER2-low", "HR-/HER2-low"} and not cohorts & {"HER2+", "HR+/HER2+"})
        hr_result = ("HER2-low study: not HER2+ patients" if her2_low
                     else "yes" if any(c.startswith("HR+/HER2+") for c in cohorts)
                     else "no: HER2+ overall only" if "HER2+" in cohorts else "no")
        cohort, showed, where, rid = _showed(rows)
        refs = ";".join(dict.fromkeys(x for s in rows["refs"].fillna("") for x in str(s).split(";") if x))
        studies.append({"pop": pop, "her2_low": her2_low, "row": {
            "trial": trial, "hr_her2_result": hr_result, "menopause_source": pop["menopause_source"],
            "visceral_source": _REVIEW_SILENT_VISCERAL, "prior_source": pop["prior_source"],
            "line_source": pop["line_source"], "showed_cohort": cohort, "showed": showed, "showed_printed_in": where,
            "result_id": rid, "refs": refs}})
    return studies


_OVERALL_RANK = {"enrolled patients like this (as far as the review says)": 0, "cannot tell from the review": 1,
                 "probably did not enrol patients like this": 2, "did not enrol patients like this": 3}


def _overall(v: dict, her2_low: bool) -> str:
    if her2_low:
        return "did not enrol patients like this"
    values = list(v.values())
    if NO_MATCH in values:
        return "did not enrol patients like this"
    if LIKELY_NOT in values:
        return "probably did not enrol patients like this"
    if all(x == MATCH for x in (v["line"], v["prior_anti_her2"])):
        return "enrolled patients like this (as far as the review says)"
    return "cannot tell from the review"


def _case_frame(studies: list[dict], menopause, visceral, prior_anti_her2, line) -> pd.DataFrame:
    _check_case(menopause, visceral, prior_anti_her2, line)
    records = []
    for s in studies:
        v = _verdicts(s["pop"], menopause, visceral, prior_anti_her2, line)
        records.append({**s["row"], "overall": _overall(v, s["her2_low"]), **v})
    tidy = pd.DataFrame.from_records(records, columns=_CASE_COLUMNS)
    tidy = tidy.sort_values("overall", key=lambda s: s.map(_OVERALL_RANK), kind="stable").reset_index(drop=True)
    tidy.attrs["case"] = dict(menopause=menopause, visceral=visceral, prior_anti_her2=prior_anti_her2, line=line)
    return tidy


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
    return _case_frame(_studies(results), menopause, visceral, prior_anti_her2, line)


def every_case(results: pd.DataFrame) -> dict:
    """:func:`case_data` for every case :data:`CASE_OPTIONS` allows, keyed by (menopause, visceral, prior_anti_her2,
    line); a self-contradictory case maps to the sentence that says why (the ValueError's words), not to a frame."""
    studies = _studies(results)
    out = {}
    for case in itertools.product(*CASE_OPTIONS.values()):
        try:
            out[case] = _case_frame(studies, *case)
        except ValueError as exc:
            out[case] = str(exc)
    return out


def case_finding(tidy: pd.DataFrame) -> str:
    """What :func:`case_data`'s frame says, in one sentence: how many studies enrolled patients like this, and for how
    many more the review does not say enough to tell."""
    if tidy.empty:
        return "No study to compare with this case"
    k = int(tidy["overall"].str.startswith("enrolled").sum())
    unknown = int((tidy["overall"] == "cannot tell from the review").sum())
    return (f"{k} of {len(tidy)} studies enrolled patients like this, as far as the review says; "
            f"for {unknown} more the review does not say enough to tell")
