"""Tests of forest data (hrher2.forest), the trial comparator (hrher2.comparators), benefit against harm
(hrher2.benefit_harm; its one figure is the live chart, tests/test_live.py) and the case explorer (hrher2.eligibility;
its one figure is the live chart too), with the forest and comparator figures.

Pure functions are tested on small frames made here; a few checks run on the course's real data.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from hrher2 import benefit_harm, comparators, eligibility, forest, plots

_BASE = {"phase": "III", "design": "randomized", "location": "somewhere", "experimental_arm": "drug + ET",
         "control_arm": "ET", "n": None, "mpfs_exp": None, "mpfs_ctrl": None, "mos_exp": None, "mos_ctrl": None,
         "mos_status": None, "pfs_hr": None, "pfs_hr_low": None, "pfs_hr_high": None, "os_hr": None,
         "os_hr_low": None, "os_hr_high": None, "ni_margin": None, "refs": "60", "other_endpoints": None,
         "pfs_p": None, "os_p": None, "table_group": "G1", "cohort": "HR+/HER2+"}


def _results() -> pd.DataFrame:
    rows = [
        dict(_BASE, result_id="tab1-a-hrpos", trial="A", printed_in="Table 1", n=200, mpfs_exp=4.8, mpfs_ctrl=2.4,
             mos_exp=28.5, mos_ctrl=23.9, pfs_hr=0.7, pfs_hr_low=0.5, pfs_hr_high=0.9),
        dict(_BASE, result_id="txt-a-hrpos", trial="A", printed_in="Text", mpfs_exp=4.8, mpfs_ctrl=2.4, mos_exp=23.9,
             mos_ctrl=18.5, control_arm="drug", other_endpoints="ae-a-exp;ae-a-ctrl"),
        dict(_BASE, result_id="tab1-b-hrpos", trial="B", printed_in="Table 1", n=400, mpfs_exp=18.9, mpfs_ctrl=15.8,
             mos_status="not reached"),
        dict(_BASE, result_id="txt-b-hrpos", trial="B", printed_in="Text", mpfs_exp=18.89, mpfs_ctrl=15.8,
             pfs_hr=0.88, pfs_hr_low=0.71, pfs_hr_high=1.09, ni_margin=1.35),
        dict(_BASE, result_id="tab2-c-her2pos", trial="C", printed_in="Table 2", n=50, mpfs_exp=10.4,
             control_arm=None, table_group="G2", cohort="HER2+"),
        dict(_BASE, result_id="txt-d-hrpos", trial="D", printed_in="Text", mpfs_exp=20.4, mpfs_ctrl=9.5,
             table_group="text only", os_hr=0.74, os_hr_low=0.61, os_hr_high=0.91, n=6000),
    ]
    return pd.DataFrame(rows)


def _outcomes() -> pd.DataFrame:
    base = {"cohort": "HR+/HER2+", "detail": None, "unit": "%", "printed_in": "Text", "refs": "60", "p": None}
    return pd.DataFrame([
        dict(base, outcome_id="ae-a-exp", trial="A", endpoint="grade >=3 adverse events", arm="drug + ET", value=28.0),
        dict(base, outcome_id="ae-a-ctrl", trial="A", endpoint="grade >=3 adverse events", arm="drug", value=16.0),
        dict(base, outcome_id="ae-b-stmt", trial="B", endpoint="grade >=3 adverse events", arm="ET", value=None),
        dict(base, outcome_id="orr-a", trial="A", endpoint="objective response rate", arm="drug + ET", value=48.0),
    ])


# --------------------------------------------------------------------------------------------- forest_data
def test_forest_data_keeps_one_row_per_printed_hazard_ratio():
    tidy = forest.forest_data(_results())
    assert list(tidy["result_id"]) == ["tab1-a-hrpos", "txt-b-hrpos"]
    assert list(tidy["crosses_one"]) == [False, True]
    assert tidy["ni_margin"].iloc[1] == 1.35 and math.isnan(tidy["ni_margin"].iloc[0])
    assert {"label", "trial", "cohort", "printed_in", "location", "n", "hr", "low", "high", "crosses_one",
            "ni_margin", "result_id", "refs"} <= set(tidy.columns)


def test_forest_data_takes_n_from_the_table_row_when_the_text_prints_none():
    tidy = forest.forest_data(_results(), trials=["B"])
    assert int(tidy["n"].iloc[0]) == 400 and tidy["n_from"].iloc[0].startswith("table row")


def test_forest_data_filters_and_os_endpoint():
    assert list(forest.forest_data(_results(), endpoint="os")["trial"]) == ["D"]
    assert list(forest.forest_data(_results(), printed_in="Text")["trial"]) == ["B"]
    assert list(forest.forest_data(_results(), printed_in="Table")["trial"]) == ["A"]
    assert forest.forest_data(_results(), endpoint="os")["ni_margin"].isna().all()


def test_forest_data_bad_input_in_words():
    with pytest.raises(ValueError, match=r"No trial called 'Z'.*Known trials: A, B, C, D"):
        forest.forest_data(_results(), trials=["Z"])
    with pytest.raises(ValueError, match=r"Unknown endpoint 'orr'"):
        forest.forest_data(_results(), endpoint="orr")
    with pytest.raises(ValueError, match=r"None of the chosen rows prints a hazard ratio.*Trials that print one: A, B"):
        forest.forest_data(_results(), trials=["C"])


# ------------------------------------------------------------------------------------------ comparator_data
def test_comparator_table_source_gives_both_arms_and_flags_disagreements():
    tidy = comparators.comparator_data(_results(), "G1", "mos", "table")
    a = tidy[tidy["trial"] == "A"]
    assert list(a["months"]) == [28.5, 23.9] and list(a["differs"]) == [True, True]
    assert list(a["arm_label"]) == ["drug + ET", "ET"]
    b = tidy[tidy["trial"] == "B"]
    assert b["months"].isna().all() and set(b["status"]) == {"not reached"}


def test_comparator_text_source_uses_the_text_and_falls_back_to_the_table():
    tidy = comparators.comparator_data(_results(), "G1", "mos", "text")
    a = tidy[tidy["trial"] == "A"]
    assert list(a["months"]) == [23.9, 18.5] and list(a["arm_label"]) == ["drug + ET", "drug"]
    assert set(a["value_from"]) == {"Text"}
    pfs = comparators.comparator_data(_results(), "G1", "mpfs", "text")
    b = pfs[pfs["trial"] == "B"]
    assert list(b["months"]) == [18.89, 15.8]
    assert list(b["differs"]) == [True, False] and list(b["rounding_only"]) == [True, False]


def test_comparator_single_arm_has_no_control_row_and_text_only_group_needs_text():
    tidy = comparators.comparator_data(_results(), "G2")
    assert list(tidy["arm"]) == ["experimental"]
    with pytest.raises(ValueError, match="printed only in the text"):
        comparators.comparator_data(_results(), "text only")
    assert list(comparators.comparator_data(_results(), "text only", source="text")["months"]) == [20.4, 9.5]


def test_comparator_bad_input_in_words():
    with pytest.raises(ValueError, match=r"No table group called 'G9'. Known groups: G1, G2, text only"):
        comparators.comparator_data(_results(), "G9")
    with pytest.raises(ValueError, match="Unknown endpoint"):
        comparators.comparator_data(_results(), "G1", "orr")
    with pytest.raises(ValueError, match="Unknown source 'both'"):
        comparators.comparator_data(_results(), "G1", source="both")


# ---------------------------------------------------------------------------------------- benefit_harm_data
def test_benefit_harm_needs_numbers_for_both_arms():
    tidy = benefit_harm.benefit_harm(_results(), _outcomes())
    assert list(tidy["trial"]) == ["A"]
    row = tidy.iloc[0]
    assert row["mpfs_gain"] == pytest.approx(2.4) and (row["ae_exp"], row["ae_ctrl"]) == (28.0, 16.0)
    assert row["result_id"] == "txt-a-hrpos" and row["outcome_ids"] == "ae-a-exp;ae-a-ctrl"
    assert tidy.attrs["without_numbers"] == ["B"]


# --------------------------------------------------------------------------------------------------- cases
def test_population_mapping_covers_every_study_and_names_a_source(tables):
    results = tables["trial_results"]
    assert set(eligibility.case_trials(results)) == set(results["trial"])
    pops = eligibility.populations()
    for col in ("line_source", "prior_source", "menopause_source", "visceral_source"):
        assert pops[col].str.len().gt(10).all(), col
    assert pops["trial"].is_unique


def test_case_first_line_postmenopausal(tables):
    tidy = eligibility.case_data(tables["trial_results"])
    verdict = dict(zip(tidy["trial"], tidy["overall"]))
    assert verdict["TAnDEM"].startswith("enrolled") and verdict["SYSUCC-002"].startswith("enrolled")
    assert verdict["monarcHER"] == "did not enrol patients like this"
    assert verdict["DESTINY-Breast04"] == "did not enrol patients like this"  # HER2-low
    assert verdict["PATRICIA"] == "cannot tell from the review"  # the review contradicts itself
    assert set(tidy["visceral"]) == {"the review does not say"}
    assert tidy.loc[tidy["trial"] == "TAnDEM", "menopause"].item() == "matches"
    assert tidy.loc[tidy["trial"] == "EGF30008", "menopause"].item() == "matches (inferred)"


def test_case_premenopausal_later_line(tables):
    tidy = eligibility.case_data(tables["trial_results"], "premenopausal", "visceral disease",
                              "two or more anti-HER2 regimens", "third-line or later")
    verdict = dict(zip(tidy["trial"], tidy["overall"]))
    assert verdict["monarcHER"].startswith("enrolled") and verdict["NALA"].startswith("enrolled")
    assert verdict["TAnDEM"] == "did not enrol patients like this"
    assert tidy.loc[tidy["trial"] == "TAnDEM", "menopause"].item() == "does not match"
    assert tidy.loc[tidy["trial"] == "PERTAIN", "menopause"].item() == "probably does not match (inferred)"
    assert verdict["Rugo 2021 (ref 70)"] == "did not enrol patients like this"  # exactly one prior regimen


def test_case_bad_or_contradictory_input_in_words(tables):
    r = tables["trial_results"]
    with pytest.raises(ValueError, match="Menopausal status: 'male'"):
        eligibility.case_data(r, menopause="male")
    with pytest.raises(ValueError, match="first-line patient has had no anti-HER2"):
        eligibility.case_data(r, prior_anti_her2="one anti-HER2 regimen", line="first-line")
    with pytest.raises(ValueError, match="needs more earlier lines"):
        eligibility.case_data(r, prior_anti_her2="two or more anti-HER2 regimens", line="second-line")


def test_every_case_is_case_data_for_each_allowed_case_and_words_for_the_rest(tables):
    """The live case explorer's data: every one of the 81 answers the menus allow, the allowed ones exactly
    case_data's frame, the self-contradictory ones the sentence case_data raises."""
    import itertools

    r = tables["trial_results"]
    every = eligibility.every_case(r)
    assert set(every) == set(itertools.product(*eligibility.CASE_OPTIONS.values()))
    for case, got in every.items():
        try:
            want = eligibility.case_data(r, *case)
        except ValueError as exc:
            assert got == str(exc), case
            continue
        assert isinstance(got, pd.DataFrame) and got.equals(want) and got.attrs == want.attrs, case
    said = [v for v in every.values() if isinstance(v, str)]
    assert len(said) == 27 and all("choose" in v for v in said)
    assert eligibility.case_finding(every[tuple(o[0] for o in eligibility.CASE_OPTIONS.values())]).startswith(
        "11 of 23 studies enrolled patients like this")


# --------------------------------------------------------------------------------------------- real data
def test_real_forest_sysucc_margin_and_cleopatra(tables):
    tidy = forest.forest_data(tables["trial_results"], errata=tables["errata"])
    sysucc = tidy[tidy["trial"] == "SYSUCC-002"].iloc[0]
    assert sysucc["ni_margin"] == 1.35 and sysucc["crosses_one"] and sysucc["high"] < sysucc["ni_margin"]
    assert "E19" in sysucc["errata"]
    cleo = tidy[(tidy["trial"] == "CLEOPATRA") & (tidy["cohort"] == "HR+/HER2+")]
    assert sorted(cleo["hr"]) == [0.73, 0.74] and set(cleo["printed_in"]) == {"Table 1", "Text"}


def test_real_comparator_tandem_switch(tables):
    r = tables["trial_results"]
    table = comparators.comparator_data(r, "ET ± single anti-HER2 therapy", "mos", "table")
    text = comparators.comparator_data(r, "ET ± single anti-HER2 therapy", "mos", "text")
    t_tab = table[table["trial"] == "TAnDEM"].set_index("arm")
    t_txt = text[text["trial"] == "TAnDEM"].set_index("arm")
    assert (t_tab.loc["experimental", "months"], t_tab.loc["control", "months"]) == (28.5, 23.9)
    assert (t_txt.loc["experimental", "months"], t_txt.loc["control", "months"]) == (23.9, 18.5)
    assert t_tab.loc["control", "arm_label"] == "anastrozole" and t_txt.loc["control", "arm_label"] == "trastuzumab"
    assert t_tab["differs"].all()


def test_real_benefit_harm(tables):
    tidy = benefit_harm.benefit_harm(tables["trial_results"], tables["other_outcomes"]).set_index("trial")
    assert set(tidy.index) == {"TAnDEM", "SYSUCC-002", "PERTAIN"}
    assert tidy.loc["SYSUCC-002", "mpfs_gain"] == pytest.approx(4.4)
    assert (tidy.loc["SYSUCC-002", "ae_exp"], tidy.loc["SYSUCC-002", "ae_ctrl"]) == (3.1, 51.0)
    assert tidy.loc["SYSUCC-002", "ae_endpoint"] == "grade 3-4 adverse events"
    assert "EGF30008" in tidy.attrs["without_numbers"]


# ------------------------------------------------------------------------------------------- draw + views
def _ticks(ax) -> list[float]:
    return [round(t, 3) for t in ax.get_xticks()]


def test_forest_figure_is_log_with_line_at_one_and_margin():
    tidy = forest.forest_data(_results())
    fig = plots.forest_figure(tidy)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    xs = {round(float(line.get_xdata()[0]), 3) for line in ax.get_lines() if len(set(line.get_xdata())) == 1}
    assert 1.0 in xs and 1.35 in xs  # the line of no effect and the NI margin
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "n=200" in texts and "n=400" in texts
    legend = " ".join(t.get_text() for lg in fig.legends for t in lg.get_texts())
    assert "not printed in the review" in legend
    alt = plots.forest_alt(tidy)
    assert "interval crosses 1" in alt and "0.88" in alt and "not printed in the review" in alt
    assert "1 of 2 intervals lie wholly below 1" in plots.forest_title(tidy)


def test_comparator_figure_prints_the_caveat_and_marks_disagreements():
    tidy = comparators.comparator_data(_results(), "G1", "mos", "table")
    fig = plots.comparator_figure(tidy)
    fig_text = " ".join(t.get_text() for t in fig.texts)
    assert plots.CROSS_TRIAL_CAVEAT in fig_text.replace("\n", " ")
    assert "table 28.5, text 23.9" in fig_text
    alt = plots.comparator_alt(tidy)
    assert "no value (not reached)" in alt and "phase III" in alt and "n=200" in alt
    ticks = " ".join(t.get_text() for t in fig.axes[0].get_xticklabels())
    assert "phase III" in ticks and "HR+/HER2+" in ticks

