"""Unit tests of median gains (hrher2.gains), printed p-values (hrher2.pvalues), label swaps (hrher2.disagreements),
comparators quoted from other trials (hrher2.comparators) and one trial's benefit against harm
(hrher2.benefit_harm.measures), on small frames made here, plus checks on the real data (lessons 10 and 11)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from hrher2 import benefit_harm, comparators, disagreements, errata, gains, pvalues


def _row(**kw):
    base = {"result_id": "x", "trial": "T", "cohort": "HER2+", "printed_in": "Table 2", "location": "Table 2, row T",
            "table_group": "G", "phase": "III", "design": "randomized", "n": None, "experimental_arm": "drug + H",
            "control_arm": "placebo + H", "trial_as_printed": "T", "mpfs_exp": None, "mpfs_ctrl": None,
            "pfs_p": None, "mos_exp": None, "mos_ctrl": None, "os_p": None, "refs": "1"}
    base.update(kw)
    return base


def _results() -> pd.DataFrame:
    rows = [
        _row(result_id="t-all", cohort="HER2+", n=200, mpfs_exp=8.2, mpfs_ctrl=6.3, pfs_p="0.33"),
        _row(result_id="t-pos", cohort="HR+/HER2+", mpfs_exp=6.8, mpfs_ctrl=8.5),
        _row(result_id="t-neg", cohort="HR-/HER2+", mpfs_exp=8.4, mpfs_ctrl=4.1),
        _row(result_id="x-txt", cohort="unlabelled subgroup", printed_in="Text", location="Text, section S",
             mpfs_exp=6.8, mpfs_ctrl=8.5),
        _row(result_id="s-a", trial="S", table_group="H", design="single-arm", control_arm=None,
             cohort="HR+/HER2+ PAM50 luminal A", mpfs_exp=10.6),
        _row(result_id="s-b", trial="S", table_group="H", design="single-arm", control_arm=None,
             cohort="HR+/HER2+ PAM50 luminal B", mpfs_exp=8.3),
        _row(result_id="s-ta", trial="S", table_group="H", design="single-arm", control_arm=None, printed_in="Text",
             cohort="HR+/HER2+ PAM50 luminal A", mpfs_exp=8.3),
        _row(result_id="s-tb", trial="S", table_group="H", design="single-arm", control_arm=None, printed_in="Text",
             cohort="HR+/HER2+ PAM50 luminal B", mpfs_exp=10.6),
        _row(result_id="a-txt", trial="A", table_group="H", design="single-arm", control_arm=None, printed_in="Text",
             location="Text, section D, paragraph 1", mpfs_exp=16.4),
        _row(result_id="o-txt", trial="O", table_group="text only", printed_in="Text",
             location="Text, section D, paragraph 1 (comparators quoted after A)", mpfs_exp=8.8, control_arm=None),
        _row(result_id="o2-txt", trial="O2", table_group="text only", printed_in="Text",
             location="Text, section E (comparators quoted after B)", mpfs_exp=5.0),
    ]
    return pd.DataFrame(rows)


def test_median_gains_computes_gain_and_verdict_per_row():
    g = gains.median_gains(_results(), trials=["T"], printed_in="Table")
    assert list(g["result_id"]) == ["t-all", "t-pos", "t-neg"]
    assert list(g["gain_months"]) == [1.9, -1.7, 4.3]
    assert list(g["verdict"]) == ["longer with the experimental arm", "longer with the control arm",
                                  "longer with the experimental arm"]
    assert g["n"].iloc[0] == 200 and pd.isna(g["n"].iloc[1])
    assert g.attrs["endpoint"] == "median progression-free survival"


def test_median_gains_single_arm_has_no_gain_and_filters_by_group_and_place():
    g = gains.median_gains(_results(), table_group="H", printed_in="Text")
    assert set(g["trial"]) == {"S", "A"}
    assert g["gain_months"].isna().all()
    assert set(g["verdict"]) == {"single arm: no control median"}


def test_median_gains_equal_medians_and_os_endpoint():
    frame = pd.DataFrame([_row(mpfs_exp=5.7, mpfs_ctrl=5.7, mos_exp=20.0, mos_ctrl=None)])
    assert gains.median_gains(frame)["verdict"].iloc[0] == "medians equal"
    mos = gains.median_gains(frame, endpoint="mos")
    assert list(mos["exp_months"]) == [20.0] and mos["verdict"].iloc[0] == "single arm: no control median"


def test_median_gains_bad_input_is_explained():
    with pytest.raises(ValueError, match="Unknown endpoint 'orr'"):
        gains.median_gains(_results(), endpoint="orr")
    with pytest.raises(ValueError, match=r"No table group called 'Nope'. Known groups: G, H"):
        gains.median_gains(_results(), table_group="Nope")
    with pytest.raises(ValueError, match="No trial called 'Z'"):
        gains.median_gains(_results(), trials=["Z"])
    with pytest.raises(ValueError, match="has no column"):
        gains.median_gains(pd.DataFrame({"trial": ["T"]}))


def test_hr_subgroup_contrast_pairs_hr_pos_and_neg():
    c = gains.hr_subgroup_contrast(gains.median_gains(_results()))
    assert len(c) == 1
    row = c.iloc[0]
    assert (row["trial"], row["printed_in"]) == ("T", "Table 2")
    assert (row["hr_pos_gain"], row["hr_neg_gain"], row["difference"]) == (-1.7, 4.3, 6.0)
    assert row["larger_gain_in"] == "HR- subgroup"


def test_hr_subgroup_contrast_empty_without_both_sides():
    only_pos = _results().query("result_id != 't-neg'")
    assert gains.hr_subgroup_contrast(gains.median_gains(only_pos)).empty


def test_label_swaps_finds_swapped_pair_only():
    sw = disagreements.label_swaps(_results(), "S")
    assert len(sw) == 1
    assert (sw["table_a"].iloc[0], sw["text_a"].iloc[0]) == (10.6, 8.3)
    assert disagreements.label_swaps(_results(), "T").empty  # text cohort is unlabelled: nothing to pair
    with pytest.raises(ValueError, match="No trial called 'Z'"):
        disagreements.label_swaps(_results(), "Z")


def test_label_swaps_ignores_agreeing_rows():
    frame = _results()
    frame.loc[frame["result_id"] == "s-ta", "mpfs_exp"] = 10.6
    frame.loc[frame["result_id"] == "s-tb", "mpfs_exp"] = 8.3
    assert disagreements.label_swaps(frame, "S").empty


def test_cross_trial_comparators_picks_anchor_and_its_quoted_trials():
    table = pd.DataFrame({"erratum_id": ["E01", "E02"], "result_ids": ["o-txt", "zzz;a-txt"]})
    c = comparators.cross_trial_comparators(_results(), "A", table)
    assert list(c["trial"]) == ["A", "O"]
    assert list(c["role"]) == ["this trial", "quoted from another trial"]
    assert list(c["months"]) == [16.4, 8.8]
    assert list(c["errata"]) == ["E02", "E01"]
    with pytest.raises(ValueError, match="No trial called 'Q'"):
        comparators.cross_trial_comparators(_results(), "Q")


def test_errata_for_gives_empty_string_when_none():
    table = pd.DataFrame({"erratum_id": ["E01"], "result_ids": [None]})
    assert errata.errata_for(table, ["a"]) == {"a": ""}
    assert errata.errata_for(None, ["a"]) == {"a": ""}


@pytest.mark.parametrize("printed, expected", [
    ("0.0049", ("=", 0.0049)), ("<0.001", ("<", 0.001)), (">=0.05", (">=", 0.05)), ("p=0.33", ("=", 0.33)),
    ("1", ("=", 1.0)), ("", None), (None, None)])
def test_parse_p(printed, expected):
    assert pvalues.parse_p(printed) == expected


def test_parse_p_rejects_non_numbers():
    with pytest.raises(ValueError, match="'abc' is not a p-value"):
        pvalues.parse_p("abc")


@pytest.mark.parametrize("printed, threshold, verdict", [
    ("0.0049", 0.0044, "does not pass"), ("0.0040", 0.0044, "passes"), ("<0.001", 0.05, "passes"),
    ("<0.05", 0.01, "cannot tell"), (">0.05", 0.05, "does not pass"), ("", 0.05, "no p-value printed")])
def test_passes_threshold(printed, threshold, verdict):
    assert pvalues.passes_threshold(printed, threshold)["verdict"] == verdict


def test_passes_threshold_rejects_bad_threshold():
    for bad in (0, 1.5, "0.05"):
        with pytest.raises(ValueError, match="between 0 and 1"):
            pvalues.passes_threshold("0.01", bad)


def _other() -> pd.DataFrame:
    return pd.DataFrame([
        {"outcome_id": "sae-e", "trial": "T", "endpoint": "serious adverse events", "arm": "drug + H", "value": 42.0,
         "unit": "%", "count": 117, "printed_in": "Text"},
        {"outcome_id": "sae-c", "trial": "T", "endpoint": "serious adverse events", "arm": "placebo + H",
         "value": 20.0, "unit": "%", "count": 55, "printed_in": "Text"},
    ])


def test_benefit_harm_puts_gain_beside_extra_harm():
    frame = _results()
    frame.loc[frame["result_id"] == "x-txt", "cohort"] = "HER2+"
    bh = benefit_harm.measures(frame, _other(), "T")
    assert list(bh["measure"]) == ["median progression-free survival", "serious adverse events",
                                   "serious adverse events (patients)"]
    assert list(bh["difference"]) == [-1.7, 22.0, 62.0]
    assert bh["source_id"].iloc[1] == "sae-e;sae-c"


def test_benefit_harm_bad_input_is_explained():
    with pytest.raises(ValueError, match="No two-arm median PFS for 'S'"):
        benefit_harm.measures(_results(), _other(), "S")
    other = _other().assign(arm=["drug + H", "something else"])
    with pytest.raises(ValueError, match="do not name both arms"):
        benefit_harm.measures(_results(), other, "T")
    with pytest.raises(ValueError, match="No 'grade 3-4 adverse events' rows"):
        benefit_harm.measures(_results(), _other(), "T", harm_endpoint="grade 3-4 adverse events")


# ---- checks on the real data --------------------------------------------------------------------------------------

def test_real_kate2_hr_positive_subgroup_favours_control(tables):
    g = gains.median_gains(tables["trial_results"], trials=["KATE2"], printed_in="Table")
    hrpos = g[g["cohort"] == "HR+/HER2+"].iloc[0]
    assert hrpos["verdict"] == "longer with the control arm" and math.isclose(hrpos["gain_months"], -1.7)


def test_real_patricia_text_swaps_luminal_a_and_b(tables):
    sw = disagreements.label_swaps(tables["trial_results"], "PATRICIA")
    assert len(sw) == 1
    assert {sw["cohort_a"].iloc[0], sw["cohort_b"].iloc[0]} == {"HR+/HER2+ PAM50 luminal A",
                                                                 "HR+/HER2+ PAM50 luminal B"}


def test_real_destiny_breast01_comparators_are_other_trials_with_errata(tables):
    c = comparators.cross_trial_comparators(tables["trial_results"], "DESTINY-Breast01", tables["errata"])
    quoted = c[c["role"] == "quoted from another trial"]
    assert list(quoted["months"]) == [8.8, 9.6]
    assert all(quoted["errata"] != "")


def test_real_bolero3_benefit_and_harm(tables):
    bh = benefit_harm.measures(tables["trial_results"], tables["other_outcomes"], "BOLERO-3")
    assert math.isclose(bh["difference"].iloc[0], 1.22) and bh["difference"].iloc[1] == 22.0


def test_trust_checklist_counts_open_questions():
    ck = gains.trust_checklist(gains.median_gains(_results(), printed_in="Table"))
    by_id = ck.set_index("result_id")
    assert by_id.loc["t-all", "questions_open"] == 0 and by_id.loc["t-all", "passes_0_05"] == "no"
    assert by_id.loc["t-pos", "questions_open"] == 2  # no size, no p
    assert by_id.loc["s-a", "questions_open"] == 3 and not by_id.loc["s-a", "randomised"]
    assert by_id.loc["t-pos", "passes_0_05"] == "no p"


def test_trust_checklist_rejects_other_frames():
    with pytest.raises(ValueError, match="median gains table has no column"):
        gains.trust_checklist(pd.DataFrame({"trial": ["T"]}))
