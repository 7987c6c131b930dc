"""Unit tests of the survival simulation (lesson 07): compute, draw and the simulator's pure view."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hrher2 import palette, plots, survival as S, widgets


# ---------------------------------------------------------------- simulation and validation

def test_same_seed_gives_the_same_trial_and_another_seed_does_not():
    a = S.simulate_trial(12, 0.7, 50, 24, 12, seed=3)
    b = S.simulate_trial(12, 0.7, 50, 24, 12, seed=3)
    c = S.simulate_trial(12, 0.7, 50, 24, 12, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["time"], c["time"])


def test_frame_is_tidy_and_censoring_is_administrative():
    sim = S.simulate_trial(12, 0.7, 60, accrual_months=24, follow_up_months=6, seed=2)
    assert list(sim.columns) == ["patient", "arm", "entry", "time", "event"]
    assert sim.groupby("arm").size().to_dict() == {"control": 60, "experimental": 60}
    assert set(sim["event"]) <= {0, 1}
    assert sim["entry"].between(0, 24).all()
    censored = sim[sim["event"] == 0]
    # censored exactly at the analysis time (30 months after opening), to the day
    assert np.allclose(censored["entry"] + censored["time"], 30, atol=1.01 / S.DAYS_PER_MONTH)
    assert (sim["entry"] + sim["time"] <= 30 + 1.01 / S.DAYS_PER_MONTH).all()
    assert sim.attrs["true_median_experimental"] == pytest.approx(12 / 0.7)


def test_no_accrual_and_long_follow_up_leave_almost_no_one_censored():
    sim = S.simulate_trial(2, 1.0, 100, accrual_months=0, follow_up_months=60, seed=5)
    assert (sim["entry"] == 0).all()
    assert sim["event"].mean() > 0.99  # exp(-ln2 * 30) is ~1e-9


@pytest.mark.parametrize("kwargs, words", [
    (dict(control_median=0), "control_median must be more than 0"),
    (dict(control_median=-3), "control_median must be more than 0"),
    (dict(hazard_ratio=0), "hazard_ratio must be more than 0 and at most 5"),
    (dict(hazard_ratio=5.5), "hazard_ratio must be more than 0 and at most 5"),
    (dict(n_per_arm=5), "n_per_arm must be between 10 and 2000"),
    (dict(n_per_arm=2001), "n_per_arm must be between 10 and 2000"),
    (dict(n_per_arm=50.5), "whole number of patients"),
    (dict(accrual_months=-1), "accrual_months must be between 0"),
    (dict(follow_up_months=0), "needs some follow-up"),
    (dict(control_median="twelve"), "control_median must be a number"),
    (dict(hazard_ratio=float("nan")), "hazard_ratio must be a finite number"),
    (dict(seed=-1), "seed must be a whole number"),
    (dict(seed=1.5), "seed must be a whole number"),
])
def test_bad_inputs_are_explained(kwargs, words):
    args = dict(control_median=12, hazard_ratio=0.7, n_per_arm=50, accrual_months=24, follow_up_months=12, seed=1)
    args.update(kwargs)
    with pytest.raises(ValueError, match=words):
        S.simulate_trial(**args)


# ---------------------------------------------------------------- estimation (lifelines)

def test_equal_arms_give_hr_near_one_and_roughly_uniform_p_values():
    reps = S.repeat_trials(12, 1.0, 80, seeds=range(40))
    log_hr = np.log(reps["hr"])
    assert abs(log_hr.mean()) < 0.1             # SE of one log HR ~ 0.2, of the mean of 40 ~ 0.03
    below = (reps["p"] < 0.05).sum()
    assert below <= 6                           # ~2 expected by chance among 40
    assert 0.3 <= (reps["p"] < 0.5).mean() <= 0.7
    assert 0.35 <= reps["p"].mean() <= 0.65


def test_a_set_hazard_ratio_is_recovered_within_its_ci_for_most_seeds():
    reps = S.repeat_trials(12, 0.6, 300, seeds=range(12))
    covered = ((reps["hr_low"] <= 0.6) & (0.6 <= reps["hr_high"])).sum()
    assert covered >= 10
    assert np.exp(np.log(reps["hr"]).mean()) == pytest.approx(0.6, abs=0.08)  # these 12 seeds give 0.54
    assert (reps["p"] < 0.05).all()  # HR 0.6 with ~420 events per trial is found every time


def test_analyse_reports_medians_events_and_direction():
    sim = S.simulate_trial(10, 0.5, 300, 12, 36, seed=7)
    res = S.analyse(sim)
    arms = res.arms.set_index("arm")
    assert list(res.arms["arm"]) == ["experimental", "control"]
    assert arms.loc["control", "median"] == pytest.approx(10, rel=0.2)
    assert arms.loc["experimental", "median"] == pytest.approx(20, rel=0.2)
    assert arms.loc["control", "median_low"] < arms.loc["control", "median"] < arms.loc["control", "median_high"]
    assert arms["events"].sum() == sim["event"].sum()
    assert (arms["events"] + arms["censored"] == arms["n"]).all()
    assert res.hr_low < res.hr < res.hr_high < 1 and res.p < 0.001
    assert res.median_gain == pytest.approx(arms.loc["experimental", "median"] - arms.loc["control", "median"])


def test_median_not_reached_is_nan_not_a_crash():
    sim = S.simulate_trial(60, 0.5, 50, 6, 6, seed=1)  # 12 months of a 120-month median: curves stay high
    res = S.analyse(sim)
    assert math.isnan(res.median("experimental"))
    assert "not reached" in plots.km_title(res)


def test_no_events_in_an_arm_is_explained():
    sim = S.simulate_trial(12, 1.0, 20, 0, 1, seed=1)
    sim.loc[sim["arm"] == "experimental", "event"] = 0
    with pytest.raises(ValueError, match="No events happened in the experimental arm"):
        S.analyse(sim)


def test_malformed_trial_frames_are_explained():
    with pytest.raises(ValueError, match="no column"):
        S.analyse(pd.DataFrame({"arm": ["control"], "time": [1.0]}))
    with pytest.raises(ValueError, match="no patients in the experimental arm"):
        S.analyse(pd.DataFrame({"arm": ["control"] * 3, "time": [1.0, 2, 3], "event": [1, 0, 1]}))


def test_km_table_counts_on_a_hand_made_trial():
    sim = pd.DataFrame({"arm": ["experimental"] * 4 + ["control"] * 4,
                        "time": [2.0, 4.0, 6.0, 8.0, 1.0, 3.0, 5.0, 7.0],
                        "event": [1, 0, 1, 0, 1, 1, 1, 0]})
    table = S.km_table(sim, [0, 3, 6]).set_index(["arm", "time"])
    assert table.loc[("experimental", 0), "at_risk"] == 4
    assert table.loc[("experimental", 3), ["at_risk", "events", "censored"]].tolist() == [3, 1, 0]
    assert table.loc[("experimental", 6), ["at_risk", "events", "censored"]].tolist() == [2, 2, 1]
    # at risk just before 3 months: the patients with times 3, 5 and 7 (the one with an event at 3 included)
    assert table.loc[("control", 3), ["at_risk", "events", "censored"]].tolist() == [3, 2, 0]
    # KM at 6 months, experimental: (1 - 1/4) * (1 - 1/2) = 0.375 (the censoring at 4 shrinks the risk set)
    assert table.loc[("experimental", 6), "survival"] == pytest.approx(0.375)
    assert table.loc[("control", 3), "survival"] == pytest.approx(0.75 * (2 / 3))
    with pytest.raises(ValueError, match="times must be"):
        S.km_table(sim, [-1])


def test_expected_curves_medians_are_exact_and_curves_cross_half_there():
    cur = S.expected_curves(12, 0.75, 36)
    med = cur.groupby("arm")["median"].first()
    assert med["control"] == 12 and med["experimental"] == 12 / 0.75
    exact = S.expected_curves(12, 0.75, [0, 12, 16])
    at = exact.set_index(["arm", "month"])["survival"]
    assert at[("control", 12.0)] == pytest.approx(0.5) and at[("experimental", 16.0)] == pytest.approx(0.5)
    assert at[("control", 0.0)] == 1.0
    with pytest.raises(ValueError, match="months must be more than 0"):
        S.expected_curves(12, 0.75, 0)


def test_interval_verdicts_read_superiority_and_non_inferiority():
    v = S.interval_verdict(0.88, 0.71, 1.09, margin=1.35)
    assert v["superiority"].startswith("not shown") and v["non_inferiority"].startswith("shown")
    assert S.interval_verdict(0.6, 0.5, 0.8)["superiority"].startswith("better")
    assert S.interval_verdict(1.2, 1.05, 1.4, 1.3)["non_inferiority"].startswith("not shown")
    with pytest.raises(ValueError, match="does not contain"):
        S.interval_verdict(0.5, 0.6, 0.9)
    with pytest.raises(ValueError, match="margin .* must be above 1"):
        S.interval_verdict(0.9, 0.7, 1.1, margin=0.9)


def test_format_p():
    assert S.format_p(0.0001) == "p < 0.001"
    assert S.format_p(0.0493) == "p = 0.049"
    assert S.format_p(0.33) == "p = 0.33"


# ---------------------------------------------------------------- the real data

def test_hr_rows_of_sysucc_002_keep_the_margin_and_the_printed_p(tables):
    rows = S.hr_rows(tables["trial_results"], ["txt-sysucc-002-hrpos"])
    r = rows.iloc[0]
    assert (r["hr"], r["hr_low"], r["hr_high"], r["ni_margin"], r["p"]) == (0.88, 0.71, 1.09, 1.35, "<0.0001")
    v = S.interval_verdict(r["hr"], r["hr_low"], r["hr_high"], r["ni_margin"])
    assert v["superiority"].startswith("not shown") and v["non_inferiority"].startswith("shown")
    with pytest.raises(ValueError, match="No row with result_id nope"):
        S.hr_rows(tables["trial_results"], ["nope"])
    with pytest.raises(ValueError, match="prints no PFS hazard ratio"):
        S.hr_rows(tables["trial_results"], ["tab1-tandem-hrpos"])


# ---------------------------------------------------------------- drawing

def test_km_figure_title_table_and_alt_text():
    sim = S.simulate_trial(12, 0.7, 100, 24, 12, seed=1)
    res = S.analyse(sim)
    fig = plots.km_figure(sim, res)
    ax, tab = fig.axes
    assert list(ax.get_xticks()) == [0, 6, 12, 18, 24, 30, 36]
    colours = {line.get_color() for line in ax.get_lines()}
    assert {palette.ARM["experimental"], palette.ARM["control"]} <= colours
    texts = [t.get_text() for t in tab.texts]
    assert "Experimental arm" in texts and "Control arm" in texts
    table = S.km_table(sim, [0, 6, 12, 18, 24, 30, 36])
    first = table[(table["arm"] == "experimental") & (table["time"] == 0)].iloc[0]
    assert f"{first['at_risk']}\n{first['censored']}\n{first['events']}" in texts
    assert "100 patients per arm" in ax.get_title(loc="left")
    alt = plots.km_alt(sim, res, table)
    assert "true hazard ratio 0.7" in alt and f"{res.hr:.2f}" in alt and "Numbers at risk (control)" in alt


def test_km_title_states_the_finding():
    arms = pd.DataFrame({"arm": ["experimental", "control"], "n": [200, 200], "events": [100, 120],
                         "censored": [100, 80], "median": [16.0, 12.0], "median_low": [14.0, 10.0],
                         "median_high": [18.0, 13.5]})
    sig = S.TrialAnalysis(arms=arms, hr=0.75, hr_low=0.58, hr_high=0.97, p=0.03)
    assert plots.km_title(sig) == "A 4.0-month gain in median PFS: p = 0.030 with 200 patients per arm"
    ns = S.TrialAnalysis(arms=arms, hr=0.8, hr_low=0.6, hr_high=1.1, p=0.21)
    assert plots.km_title(ns, "OS").endswith("p = 0.21 with 200 patients per arm, not statistically significant")


def test_other_figures_have_findings_in_titles_and_alt_text(tables):
    cur = S.expected_curves(12, 0.75, 36)
    assert "4.0 months" in plots.expected_curves_title(cur)
    assert "16.0" in plots.expected_curves_alt(cur)
    plots.expected_curves_figure(cur)
    small = S.repeat_trials(12, 0.75, 30, seeds=range(3))
    big = S.repeat_trials(12, 0.75, 60, seeds=range(3))
    title = plots.replicates_title([small, big])
    assert title.startswith("Same true HR 0.75") and "with 30 per arm" in title and "with 60 per arm" in title
    fig = plots.replicates_figure([small, big])
    assert len(fig.axes) == 2
    rows = S.hr_rows(tables["trial_results"], ["txt-sysucc-002-hrpos"])
    alt = plots.hr_interval_alt(rows, "t")
    assert "non-inferiority shown" in alt and "superiority not shown" in alt
    plots.hr_interval_figure(rows, "t")


# ---------------------------------------------------------------- the simulator

def test_survival_view_default_and_bad_input():
    fig_html, summary = widgets.survival_view()
    assert fig_html.startswith("<figure") and 'alt="Kaplan–Meier plot of a simulated trial' in fig_html
    assert "True (you set)" in summary and "0.70" in summary and "Change the seed" in summary
    msg, empty = widgets.survival_view(hazard_ratio=0)
    assert 'role="alert"' in msg and "hazard_ratio must be more than 0" in msg and empty == ""


def test_survival_view_is_deterministic():
    assert widgets.survival_view(seed=3, n_per_arm=40) == widgets.survival_view(seed=3, n_per_arm=40)


def test_simulator_builds_a_default_view_and_presets_change_only_the_size():
    w = widgets.survival_simulator()
    preset, cm, hr, n = w.children[:4]
    figure_out = w.children[-2]
    first = figure_out.value
    assert first.startswith("<figure")
    preset.value = "small"
    assert (cm.value, hr.value, n.value) == (12.0, 0.75, 50)
    small = figure_out.value
    preset.value = "large"
    assert (cm.value, hr.value, n.value) == (12.0, 0.75, 300) and figure_out.value != small
    n.value = 120
    assert preset.value == "custom"


def test_simulator_explains_out_of_range_start_values():
    w = widgets.survival_simulator(n_per_arm=5000)
    note = w.children[-3].value
    assert "Patients per arm = 5000 is outside" in note
    assert w.children[3].value == 100
