"""Tests of Table 3's ongoing trials (hrher2.ongoing_trials), the evidence map (hrher2.evidence_map) and the
capstone's appraisal exercise (hrher2.disagreements), with their figures and widgets."""
from __future__ import annotations

import pandas as pd
import pytest

from hrher2 import disagreements, evidence_map, ongoing_trials, plots, widgets


# ------------------------------------------------------------------ small frames made here
def _ongoing() -> pd.DataFrame:
    rows = [
        dict(nct_id="NCT00000001", title="A", acronym=None, phase="II", status="Recruiting", intervention="x + y",
             strategy="ET + anti-HER2 therapy", drugs="trastuzumab;letrozole", drug_classes="anti-HER2 antibody;ET"),
        dict(nct_id="NCT00000002", title="B", acronym="BEE", phase="III", status="Not yet recruiting",
             intervention="z", strategy="CDK4/6 + ET + anti-HER2", drugs="a;b;c",
             drug_classes="anti-HER2 antibody;CDK4/6 inhibitor;ET"),
        dict(nct_id="NCT00000003", title="C", acronym=None, phase="III", status="Recruiting", intervention="w",
             strategy="ADC", drugs="t-dxd;taxane", drug_classes="anti-HER2 ADC;chemotherapy"),
    ]
    return pd.DataFrame(rows)


def _results() -> pd.DataFrame:
    base = dict(phase="III", design="randomized", table_group="G1", mpfs_exp=None, mpfs_ctrl=None, pfs_p=None,
                mos_exp=None, mos_ctrl=None, os_p=None, n=None)
    rows = [
        dict(base, result_id="tab1-x", trial="X", cohort="HR+/HER2+", printed_in="Table 1", mpfs_exp=4.8,
             mpfs_ctrl=2.4, pfs_p="0.0016", mos_exp=28.5, mos_ctrl=23.9, n=207),
        dict(base, result_id="txt-x", trial="X", cohort="HR+/HER2+", printed_in="Text", phase="not stated",
             mpfs_exp=4.8, mpfs_ctrl=2.4, pfs_p="0.0016", mos_exp=23.9, mos_ctrl=18.5),
        dict(base, result_id="tab1-y", trial="Y", cohort="HER2+", printed_in="Table 1", mpfs_exp=18.9, pfs_p="0.007"),
        dict(base, result_id="txt-y", trial="Y", cohort="HER2+", printed_in="Text", mpfs_exp=18.89, pfs_p="0.0070"),
        dict(base, result_id="tab2-z", trial="Z", cohort="HER2+", printed_in="Table 2", table_group="G2", phase="II",
             design="single-arm", mpfs_exp=10.4),
        dict(base, result_id="txt-z", trial="Z", cohort="HER2+", printed_in="Text", table_group="G2", phase="Ib",
             design="single-arm", mpfs_exp=10.8, pfs_p="0.01"),
        dict(base, result_id="txt-w", trial="W", cohort="HR+/HER2+", printed_in="Text", table_group="text only",
             phase="real-world", design="real-world", mos_ctrl=36.7),
    ]
    return pd.DataFrame(rows)


def _errata() -> pd.DataFrame:
    return pd.DataFrame([
        dict(erratum_id="E01", trial_or_topic="X", field="mOS", result_ids="tab1-x;txt-x"),
        dict(erratum_id="E02", trial_or_topic="X", field="control arm", result_ids="tab1-x;txt-x"),
        dict(erratum_id="E03", trial_or_topic="Z", field="arm label", result_ids="tab2-z"),
        dict(erratum_id="E04", trial_or_topic="Q", field="mPFS", result_ids="tab2-z"),
    ])


# ------------------------------------------------------------------ filter_trials / class_matrix
def test_filter_none_keeps_everything_in_order():
    assert list(ongoing_trials.filter_trials(_ongoing())["nct_id"]) == ["NCT00000001", "NCT00000002", "NCT00000003"]


def test_filter_by_class_any_and_all():
    any_ = ongoing_trials.filter_trials(_ongoing(), classes=["CDK4/6 inhibitor", "chemotherapy"])
    assert list(any_["nct_id"]) == ["NCT00000002", "NCT00000003"]
    all_ = ongoing_trials.filter_trials(_ongoing(), classes=["ET", "anti-HER2 antibody"], match="all")
    assert list(all_["nct_id"]) == ["NCT00000001", "NCT00000002"]
    assert ongoing_trials.filter_trials(_ongoing(), classes=["ET", "chemotherapy"], match="all").empty


def test_filter_by_phase_and_status_combine():
    out = ongoing_trials.filter_trials(_ongoing(), phases=["III"], statuses=["Recruiting"])
    assert list(out["nct_id"]) == ["NCT00000003"]
    assert ongoing_trials.filter_trials(_ongoing(), classes="ET").shape[0] == 2  # a single string works too


def test_empty_selection_selects_nothing():
    assert ongoing_trials.filter_trials(_ongoing(), classes=[]).empty
    assert ongoing_trials.filter_trials(_ongoing(), statuses=[]).empty


def test_unknown_filter_values_are_explained():
    with pytest.raises(ValueError, match=r"Unknown drug class 'SERD': choose from anti-HER2 antibody"):
        ongoing_trials.filter_trials(_ongoing(), classes=["SERD"])
    with pytest.raises(ValueError, match=r"Unknown phase 'IV'"):
        ongoing_trials.filter_trials(_ongoing(), phases=["IV"])
    with pytest.raises(ValueError, match=r"Unknown status 'Completed'"):
        ongoing_trials.filter_trials(_ongoing(), statuses=["Completed"])
    with pytest.raises(ValueError, match=r"Unknown match 'some'"):
        ongoing_trials.filter_trials(_ongoing(), match="some")
    with pytest.raises(ValueError, match=r"no column 'drug_classes'"):
        ongoing_trials.filter_trials(_ongoing().drop(columns="drug_classes"))


def test_class_matrix_is_zero_one_in_fixed_order():
    m = ongoing_trials.class_matrix(_ongoing())
    assert list(m.columns) == ongoing_trials.CLASSES and list(m.index) == ["NCT00000001", "NCT00000002", "NCT00000003"]
    assert m.loc["NCT00000002"].to_dict() == {c: int(c in ("anti-HER2 antibody", "CDK4/6 inhibitor", "ET"))
                                             for c in ongoing_trials.CLASSES}
    assert set(m.values.ravel()) <= {0, 1}


def test_class_matrix_rejects_unknown_class():
    bad = _ongoing().assign(drug_classes=["ET;antivirals", "ET", "ET"])
    with pytest.raises(ValueError, match=r"NCT00000001: drug class 'antivirals'"):
        ongoing_trials.class_matrix(bad)


def test_map_summary_counts():
    assert ongoing_trials.map_summary(_ongoing()) == {"n": 3, "et_her2": 2, "cdk46": 1, "chemo_free": 2, "with_chemo": 1}


# ------------------------------------------------------------------ evidence map / coverage
def test_evidence_map_groups_by_table_group_and_design_phase():
    em = evidence_map.evidence_map(_results())
    assert list(em["table_group"]) == ["G1", "G2", "text only"]
    assert list(em["design_phase"]) == ["randomized · III", "single-arm · II", "real-world"]
    # Z: the table's phase (II) wins over the text's (Ib)
    g1 = em.iloc[0]
    assert (g1["n_trials"], g1["trials"], g1["n_cohorts"], g1["n_os_median"], g1["trials_os_median"]) == \
        (2, "X;Y", 2, 1, "X")
    assert em.iloc[2]["source"] == "Text only" and em.iloc[2]["n_os_median"] == 1
    assert int(em["n_rows"].sum()) == len(_results())


def test_cohort_coverage_counts_trials_not_rows():
    cov = evidence_map.cohort_coverage(_results()).set_index("population")
    assert cov.loc["HR+/HER2+ (the subtype itself)", "n_trials"] == 2  # X (two rows) and W
    assert cov.loc["HER2+, HR status not separated", "n_trials"] == 2
    assert cov.attrs["n_trials"] == 4


# ------------------------------------------------------------------ capstone
def test_disagreements_find_values_that_differ_only_where_both_print():
    d = disagreements.text_table_disagreements(_results())
    got = set(zip(d["trial"], d["column"]))
    # X: OS medians differ; Y: 18.89 vs 18.9 (rounding), p '0.0070' == '0.007'; Z: phase Ib vs II and 10.8 vs 10.4;
    # Z's text-only p-value and the text's 'not stated' phase are not disagreements
    assert got == {("X", "mos_exp"), ("X", "mos_ctrl"), ("Y", "mpfs_exp"), ("Z", "phase"), ("Z", "mpfs_exp")}
    rounding = d.set_index(["trial", "column"])["rounding_only"]
    assert rounding[("Y", "mpfs_exp")] and not rounding[("X", "mos_exp")]
    row = d[(d["trial"] == "X") & (d["column"] == "mos_exp")].iloc[0]
    assert (row["text_value"], row["table_value"], row["table"]) == ("23.9", "28.5", "Table 1")


def test_compare_with_errata_matches_on_trial_result_ids_and_field():
    c = disagreements.compare_with_errata(disagreements.text_table_disagreements(_results()), _errata()).set_index(["trial", "column"])
    assert c.loc[("X", "mos_exp"), "status"] == "recorded" and c.loc[("X", "mos_exp"), "errata_ids"] == "E01"
    assert c.loc[("X", "mos_exp"), "related_ids"] == "E02"
    assert c.loc[("Z", "mpfs_exp"), "status"] == "related entry only"  # E04 names another trial
    assert c.loc[("Y", "mpfs_exp"), "status"] == "not recorded"


def test_checker_accepts_the_reference_and_explains_gaps():
    res = _results()
    ok, text = disagreements.check_disagreements(disagreements.text_table_disagreements(res), res)
    assert ok and text.startswith("Correct")
    ok, text = disagreements.check_disagreements(pd.DataFrame({"trial": ["X"], "cohort": ["HR+/HER2+"], "column": ["mos_exp"]}),
                                      res)
    assert not ok and "found 1 of the 4" in text and "Still missing 3" in text


def test_checker_flags_extras_in_words():
    res = _results()
    ans = pd.concat([disagreements.text_table_disagreements(res)[["trial", "cohort", "column"]],
                     pd.DataFrame({"trial": ["Y"], "cohort": ["HER2+"], "column": ["pfs_p"]})])
    ok, text = disagreements.check_disagreements(ans, res)
    assert not ok and "Y pfs_p: compare p-values as numbers; a trailing zero" in text
    ans = pd.DataFrame({"trial": ["X", "Y"], "cohort": ["HR+/HER2+", "HER2+"], "column": ["phase", "n"]})
    ok, text = disagreements.check_disagreements(ans, res)
    assert not ok and "1 in column phase, where the text prints 'not stated'" in text
    assert "Y / HER2+ / n: are both values really printed" in text


def test_checker_never_raises_on_a_malformed_answer():
    ok, text = disagreements.check_disagreements([1, 2], _results())
    assert not ok and "DataFrame" in text
    ok, text = disagreements.check_disagreements(pd.DataFrame({"trial": ["X"]}), _results())
    assert not ok and "'cohort'" in text and "'column'" in text


# ------------------------------------------------------------------ draw / interact
def test_titles_and_alt_text_state_the_finding():
    assert ongoing_trials.map_summary(_ongoing())["et_her2"] == 2
    assert plots.ongoing_map_title(_ongoing()) == \
        "2 of 3 ongoing trials shown pair anti-HER2 therapy with ET; 2 include no chemotherapy"
    alt = plots.ongoing_map_alt(_ongoing())
    assert "NCT00000002 (BEE), phase III, Not yet recruiting: anti-HER2 antibody, ET, CDK4/6 inhibitor." in alt
    em = evidence_map.evidence_map(_results())
    assert plots.evidence_map_title(em).startswith("2 of the 4 published studies are randomized phase III")
    assert "G2 (Table 2), single-arm · II: Z." in plots.evidence_map_alt(em)


def test_figures_draw_including_empty_selections():
    for fig in (plots.ongoing_map_figure(_ongoing()), plots.ongoing_map_figure(_ongoing().iloc[:0]),
                plots.evidence_map_figure(evidence_map.evidence_map(_results())),
                plots.cohort_coverage_figure(evidence_map.cohort_coverage(_results()))):
        assert plots.figure_to_png(fig).startswith(b"\x89PNG")


def test_feedback_html_colours_the_verdict():
    res = _results()
    assert "#006400" in widgets.feedback_html(disagreements.text_table_disagreements(res), res)
    assert "#8B0000" in widgets.feedback_html("not a frame", res)


# ------------------------------------------------------------------ real data
def test_real_table3_vocabulary_and_default_view(tables):
    ongoing = tables["ongoing_trials"]
    m = ongoing_trials.class_matrix(ongoing)
    assert m.shape == (13, len(ongoing_trials.CLASSES))
    assert set(ongoing["phase"]) <= set(ongoing_trials.PHASES) and set(ongoing["status"]) <= set(ongoing_trials.STATUSES)
    assert m.loc["NCT04784715", "anti-HER2 ADC"] == 1  # DESTINY-Breast09
    cdk_et_her2 = ongoing_trials.filter_trials(ongoing, classes=["CDK4/6 inhibitor", "ET"], match="all")
    assert "NCT02675231" in set(cdk_et_her2["nct_id"])  # monarcHER's registry number, listed as ongoing


def test_real_disagreements_include_known_ones_and_match_errata(tables):
    d = disagreements.text_table_disagreements(tables["trial_results"])
    keys = set(zip(d["trial"], d["column"]))
    assert {("TAnDEM", "mos_exp"), ("EGF30008", "pfs_p"), ("NCIC CTG MA.31", "pfs_p"),
            ("PATRICIA", "mpfs_exp")} <= keys
    assert ("PERTAIN", "pfs_p") not in keys  # '0.007' vs '0.0070'
    c = disagreements.compare_with_errata(d, tables["errata"])

    def ids(trial, column):
        hit = c[(c["trial"] == trial) & (c["column"] == column)]
        assert len(hit) == 1
        return hit["errata_ids"].iloc[0].split(";")

    assert "E11" in ids("TAnDEM", "mos_exp")
    assert "E13" in ids("EGF30008", "pfs_p")
    assert set(c["status"]) == {"recorded"}  # the errata audit compared every text/table pair
    ok, _ = disagreements.check_disagreements(d, tables["trial_results"])
    assert ok


def test_real_evidence_map_covers_every_trial(tables):
    res = tables["trial_results"]
    em = evidence_map.evidence_map(res)
    assert em["n_trials"].sum() == res["trial"].nunique()
    assert em.iloc[-1]["table_group"] == "text only"
    assert "TAnDEM" in em.loc[em["table_group"] == "ET ± single anti-HER2 therapy", "trials_os_median"].iloc[0]
