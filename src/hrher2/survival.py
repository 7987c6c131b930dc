"""Compute: seeded two-arm survival trials and the curves they are drawn from (lesson 07).

A simulated trial follows the simplest textbook model:

- each arm's event times are exponential (a constant hazard), so the control median fixes the control hazard and
  the hazard ratio fixes the experimental one (experimental median = control median / hazard ratio);
- patients enter uniformly over the accrual period and everyone still event-free at the analysis time
  (end of accrual + follow-up) is censored there ("administrative censoring");
- times are recorded to the day, as in a real trial database, and expressed in months.

The estimation is done by ``lifelines`` (Kaplan–Meier, Cox proportional hazards, log-rank test), never by hand.
Everything is pure: plain values and DataFrames in, DataFrames (or a small frozen result) out, no drawing, no files.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
import pandas as pd

__all__ = ["ARMS", "DAYS_PER_MONTH", "LIMITS", "TrialAnalysis", "check_inputs", "simulate_trial", "analyse",
           "km_curves", "km_table", "expected_curves", "repeat_trials", "interval_verdict", "format_p", "hr_rows"]

#: Arm names in drawing order (also the keys of :data:`hrher2.palette.ARM`).
ARMS = ("experimental", "control")
#: Months are converted to days with the mean Gregorian month.
DAYS_PER_MONTH = 30.4375
#: Allowed ranges of the inputs (inclusive), used by :func:`check_inputs` and by the widget's sliders.
LIMITS = {
    "control_median": (0.0, 240.0),      # must be > 0
    "hazard_ratio": (0.0, 5.0),          # 0 < HR <= 5
    "n_per_arm": (10, 2000),
    "accrual_months": (0.0, 240.0),
    "follow_up_months": (0.0, 240.0),    # must be > 0
}


def _number(name: str, value, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, not {value!r}.")
    if integer and not (isinstance(value, (Integral, np.integer)) or float(value).is_integer()):
        raise ValueError(f"{name} must be a whole number of patients, not {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}.")
    return value


def check_inputs(control_median, hazard_ratio, n_per_arm=100, accrual_months=24, follow_up_months=12,
                 seed=1) -> dict:
    """Validate the design of a simulated trial; return the values as clean Python numbers.

    Raises ValueError naming the input, its value and the allowed range.
    """
    cm = _number("control_median", control_median)
    if not 0 < cm <= LIMITS["control_median"][1]:
        raise ValueError(f"control_median must be more than 0 and at most {LIMITS['control_median'][1]:g} months; "
                         f"got {cm:g}.")
    hr = _number("hazard_ratio", hazard_ratio)
    if not 0 < hr <= LIMITS["hazard_ratio"][1]:
        raise ValueError(f"hazard_ratio must be more than 0 and at most {LIMITS['hazard_ratio'][1]:g}; got {hr:g}. "
                         "(1 means no difference; below 1 favours the experimental arm.)")
    n = _number("n_per_arm", n_per_arm, integer=True)
    lo, hi = LIMITS["n_per_arm"]
    if not lo <= n <= hi:
        raise ValueError(f"n_per_arm must be between {lo} and {hi} patients per arm; got {n:g}.")
    acc = _number("accrual_months", accrual_months)
    if not 0 <= acc <= LIMITS["accrual_months"][1]:
        raise ValueError(f"accrual_months must be between 0 and {LIMITS['accrual_months'][1]:g} months; got {acc:g}.")
    fu = _number("follow_up_months", follow_up_months)
    if not 0 < fu <= LIMITS["follow_up_months"][1]:
        raise ValueError(f"follow_up_months must be more than 0 (the trial needs some follow-up after the last "
                         f"patient enters) and at most {LIMITS['follow_up_months'][1]:g} months; got {fu:g}.")
    if isinstance(seed, bool) or not isinstance(seed, (Integral, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of 0 or more, not {seed!r}.")
    return {"control_median": cm, "hazard_ratio": hr, "n_per_arm": int(n), "accrual_months": acc,
            "follow_up_months": fu, "seed": int(seed)}


def simulate_trial(control_median: float = 12, hazard_ratio: float = 0.7, n_per_arm: int = 100,
                   accrual_months: float = 24, follow_up_months: float = 12, seed: int = 1) -> pd.DataFrame:
    """One seeded randomised trial, one row per patient.

    Columns: ``patient`` (1..2n), ``arm`` ('experimental'/'control'), ``entry`` (months after the trial opened),
    ``time`` (months from entry to event or censoring, recorded to the day) and ``event`` (1 = event seen,
    0 = censored at the analysis). ``attrs`` holds the design (inputs, the true medians and the analysis time).
    The same inputs always give the same frame.
    """
    p = check_inputs(control_median, hazard_ratio, n_per_arm, accrual_months, follow_up_months, seed)
    rng = np.random.default_rng(p["seed"])
    n = p["n_per_arm"]
    analysis_time = p["accrual_months"] + p["follow_up_months"]
    medians = {"control": p["control_median"], "experimental": p["control_median"] / p["hazard_ratio"]}
    frames = []
    for arm in ("control", "experimental"):  # fixed draw order: the seed gives the same trial every time
        entry = rng.uniform(0.0, p["accrual_months"], n)
        true_time = rng.exponential(medians[arm] / math.log(2), n)
        available = analysis_time - entry
        event = true_time <= available
        observed = np.where(event, true_time, available)
        days = np.maximum(np.ceil(observed * DAYS_PER_MONTH), 1.0)  # recorded to the day, at least day 1
        frames.append(pd.DataFrame({"arm": arm, "entry": entry, "time": days / DAYS_PER_MONTH,
                                    "event": event.astype(int)}))
    sim = pd.concat(frames, ignore_index=True)
    sim.insert(0, "patient", np.arange(1, len(sim) + 1))
    sim.attrs.update(p, analysis_time=analysis_time, true_median_control=medians["control"],
                     true_median_experimental=medians["experimental"])
    return sim


def _check_sim(sim: pd.DataFrame) -> None:
    missing = [c for c in ("arm", "time", "event") if c not in sim.columns]
    if missing:
        raise ValueError(f"The trial frame has no column(s) {', '.join(missing)}; "
                         "expected one row per patient with arm, time and event (see simulate_trial).")
    arms = set(sim["arm"])
    if not set(ARMS) <= arms:
        absent = ", ".join(a for a in ARMS if a not in arms)
        raise ValueError(f"The trial frame has no patients in the {absent} arm; both arms are needed.")
    if (sim["time"] <= 0).any() or sim["time"].isna().any():
        raise ValueError("Every time in the trial frame must be a positive number of months.")
    if not sim["event"].isin([0, 1]).all():
        raise ValueError("The event column must hold 1 (event seen) or 0 (censored) only.")


@dataclass(frozen=True)
class TrialAnalysis:
    """What a trial report prints: per-arm medians and events, the hazard ratio with its 95% CI, the log-rank p.

    ``arms`` has one row per arm: arm, n, events, censored, median, median_low, median_high (months; NaN when the
    curve, or its confidence band, never drops to 50%). ``curves`` holds the Kaplan–Meier step functions behind
    the medians, as :func:`km_curves` returns them (kept so that drawing does not refit them).
    """
    arms: pd.DataFrame
    hr: float
    hr_low: float
    hr_high: float
    p: float
    curves: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    def median(self, arm: str) -> float:
        return float(self.arms.set_index("arm").loc[arm, "median"])

    @property
    def median_gain(self) -> float:
        """Estimated experimental minus control median (NaN if either median is not reached)."""
        return self.median("experimental") - self.median("control")

    @property
    def n_per_arm(self) -> int:
        return int(self.arms["n"].max())


def _km(sim: pd.DataFrame, arm: str):
    from lifelines import KaplanMeierFitter

    sub = sim[sim["arm"] == arm]
    return KaplanMeierFitter(label=arm).fit(sub["time"], sub["event"])


def analyse(sim: pd.DataFrame) -> TrialAnalysis:
    """Estimate what a trial report would print, with lifelines: KM medians (95% CI), Cox HR (95% CI), log-rank p.

    The HR compares experimental with control (below 1 favours the experimental arm).
    """
    from lifelines.utils import median_survival_times

    _check_sim(sim)
    rows, curves = [], []
    for arm in ARMS:
        sub = sim[sim["arm"] == arm]
        kmf = _km(sim, arm)
        ci = median_survival_times(kmf.confidence_interval_survival_function_)
        rows.append({"arm": arm, "n": len(sub), "events": int(sub["event"].sum()),
                     "censored": int(len(sub) - sub["event"].sum()),
                     "median": float(kmf.median_survival_time_),
                     "median_low": float(ci.iloc[0, 0]), "median_high": float(ci.iloc[0, 1])})
        curves.append(_curve_frame(kmf, arm))
    arms = pd.DataFrame(rows).replace([np.inf, -np.inf], np.nan)
    hr, hr_low, hr_high, p = _hr_and_p(sim)
    return TrialAnalysis(arms=arms, hr=hr, hr_low=hr_low, hr_high=hr_high, p=p,
                         curves=pd.concat(curves, ignore_index=True))


def _hr_and_p(sim: pd.DataFrame) -> tuple[float, float, float, float]:
    """Cox HR (experimental vs control) with its 95% CI, and the log-rank p, both from lifelines."""
    from lifelines import CoxPHFitter
    from lifelines.statistics import logrank_test

    if sim["event"].sum() == 0:
        raise ValueError("No events happened in either arm, so no hazard ratio can be estimated; "
                         "allow more follow-up or more patients.")
    for arm in ARMS:
        if sim.loc[sim["arm"] == arm, "event"].sum() == 0:
            raise ValueError(f"No events happened in the {arm} arm, so the hazard ratio cannot be estimated; "
                             "allow more follow-up, more patients or a shorter median.")
    exp, ctrl = sim[sim["arm"] == "experimental"], sim[sim["arm"] == "control"]
    cox_frame = pd.DataFrame({"time": sim["time"].to_numpy(), "event": sim["event"].to_numpy(),
                              "experimental": (sim["arm"] == "experimental").astype(float).to_numpy()})
    cph = CoxPHFitter().fit(cox_frame, duration_col="time", event_col="event")
    coef = float(cph.params_["experimental"])
    se = float(cph.standard_errors_["experimental"])
    p = float(logrank_test(exp["time"], ctrl["time"], exp["event"], ctrl["event"]).p_value)
    z = 1.959963984540054
    return math.exp(coef), math.exp(coef - z * se), math.exp(coef + z * se), p


def km_curves(sim: pd.DataFrame) -> pd.DataFrame:
    """The Kaplan–Meier step functions with 95% confidence bands, tidy: arm, time, survival, ci_low, ci_high.

    Each arm starts at time 0 with survival 1; a step is listed at every distinct time in that arm.
    """
    _check_sim(sim)
    return pd.concat([_curve_frame(_km(sim, arm), arm) for arm in ARMS], ignore_index=True)


def _curve_frame(kmf, arm: str) -> pd.DataFrame:
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_survival_function_
    return pd.DataFrame({"arm": arm, "time": sf.index.to_numpy(dtype=float), "survival": sf.to_numpy(),
                         "ci_low": ci.iloc[:, 0].to_numpy(), "ci_high": ci.iloc[:, 1].to_numpy()})


def km_table(sim: pd.DataFrame, times, curves: pd.DataFrame | None = None) -> pd.DataFrame:
    """KM estimates and the KMunicate counts at the given times (months), tidy: one row per arm x time.

    Columns: arm, time, survival, ci_low, ci_high (lifelines' KM estimate and 95% band at that time),
    at_risk (patients still followed and event-free just before the time), events and censored (cumulative
    counts up to and including the time). ``curves`` (from :func:`km_curves` of the same trial) saves refitting.
    """
    _check_sim(sim)
    times = np.atleast_1d(np.asarray(times, dtype=float))
    if times.size == 0 or np.isnan(times).any() or (times < 0).any():
        raise ValueError("times must be one or more months of 0 or more.")
    curves = km_curves(sim) if curves is None else curves
    rows = []
    for arm in ARMS:
        sub = sim[sim["arm"] == arm]
        t, e = sub["time"].to_numpy(), sub["event"].to_numpy().astype(bool)
        cur = curves[curves["arm"] == arm]
        idx = np.searchsorted(cur["time"].to_numpy(), times, side="right") - 1
        for time, i in zip(times, idx):
            step = cur.iloc[max(i, 0)]
            rows.append({"arm": arm, "time": float(time), "survival": float(step["survival"]),
                         "ci_low": float(step["ci_low"]), "ci_high": float(step["ci_high"]),
                         "at_risk": int((t >= time).sum()), "events": int((e & (t <= time)).sum()),
                         "censored": int((~e & (t <= time)).sum())})
    return pd.DataFrame(rows)


def expected_curves(control_median: float, hazard_ratio: float, months=36, points: int = 145) -> pd.DataFrame:
    """The two true (exponential) survival curves of a design, and the medians they imply. No randomness.

    ``months`` is either the last month to show (then ``points`` evenly spaced months from 0) or the months
    themselves. Tidy: arm, month, survival, median (the arm's true median, the same on every row of that arm:
    control_median for control and control_median / hazard_ratio for experimental).
    """
    p = check_inputs(control_median, hazard_ratio)
    grid = np.asarray(months, dtype=float)
    if grid.ndim == 0:
        if not grid > 0 or not math.isfinite(grid):
            raise ValueError(f"months must be more than 0; got {months!r}.")
        grid = np.linspace(0.0, float(grid), int(points))
    if grid.size == 0 or np.isnan(grid).any() or (grid < 0).any():
        raise ValueError("months must be one or more months of 0 or more.")
    medians = {"experimental": p["control_median"] / p["hazard_ratio"], "control": p["control_median"]}
    frames = [pd.DataFrame({"arm": arm, "month": grid, "survival": np.exp(-math.log(2) * grid / medians[arm]),
                            "median": medians[arm]}) for arm in ARMS]
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update(control_median=p["control_median"], hazard_ratio=p["hazard_ratio"])
    return out


def repeat_trials(control_median: float, hazard_ratio: float, n_per_arm: int, accrual_months: float = 24,
                  follow_up_months: float = 12, seeds=range(20)) -> pd.DataFrame:
    """The same design run once per seed: what a trial *could* have reported. Tidy, one row per seed.

    Columns: seed, n_per_arm, hr, hr_low, hr_high (Cox, 95% CI), p (log-rank), events (both arms).
    (Medians are left out to keep many repetitions fast; :func:`analyse` one trial for them.)
    """
    rows = []
    for seed in seeds:
        sim = simulate_trial(control_median, hazard_ratio, n_per_arm, accrual_months, follow_up_months, seed)
        hr, lo, hi, p = _hr_and_p(sim)
        rows.append({"seed": int(seed), "n_per_arm": int(n_per_arm), "hr": hr, "hr_low": lo, "hr_high": hi,
                     "p": p, "events": int(sim["event"].sum())})
    out = pd.DataFrame(rows, columns=["seed", "n_per_arm", "hr", "hr_low", "hr_high", "p", "events"])
    out.attrs.update(control_median=control_median, hazard_ratio=hazard_ratio, n_per_arm=n_per_arm)
    return out


def interval_verdict(hr: float, hr_low: float, hr_high: float, margin: float | None = None) -> dict:
    """What a hazard ratio's 95% CI shows, read two ways.

    Superiority: the CI lies wholly below 1 (better), wholly above 1 (worse) or includes 1 (not shown).
    Non-inferiority (when a ``margin`` > 1 is given): shown when the upper limit is below the margin.
    Returns a dict with 'superiority' and 'non_inferiority' (None without a margin) in words.
    """
    for name, v in (("hr", hr), ("hr_low", hr_low), ("hr_high", hr_high)):
        _number(name, v)
        if v <= 0:
            raise ValueError(f"{name} must be more than 0; got {v!r}.")
    if not hr_low <= hr <= hr_high:
        raise ValueError(f"The interval {hr_low:g}–{hr_high:g} does not contain the hazard ratio {hr:g}.")
    if hr_high < 1:
        sup = "better: the whole interval is below 1"
    elif hr_low > 1:
        sup = "worse: the whole interval is above 1"
    else:
        sup = "not shown: the interval includes 1"
    ni = None
    if margin is not None:
        _number("margin", margin)
        if margin <= 1:
            raise ValueError(f"A non-inferiority margin for a hazard ratio must be above 1; got {margin!r}.")
        ni = (f"shown: the upper limit {hr_high:g} is below the margin {margin:g}" if hr_high < margin
              else f"not shown: the upper limit {hr_high:g} reaches the margin {margin:g}")
    return {"superiority": sup, "non_inferiority": ni}


def format_p(p: float) -> str:
    """A p-value as a report would print it: 'p < 0.001' for tiny values, 3 decimals below 0.1, else 2."""
    if p is None or not math.isfinite(p):
        return "p not available"
    if p < 0.001:
        return "p < 0.001"
    if p < 0.1:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


def hr_rows(results: pd.DataFrame, result_ids: list[str], endpoint: str = "pfs") -> pd.DataFrame:
    """Printed hazard ratios of some ``trial_results`` rows, tidy, in the order asked for.

    Columns: result_id, trial, cohort, printed_in, n (as printed, may be missing), hr, hr_low, hr_high,
    p (as printed), ni_margin.
    Raises ValueError for an unknown result_id, an unknown endpoint ('pfs' or 'os'), or a row without an HR.
    """
    if endpoint not in ("pfs", "os"):
        raise ValueError(f"Unknown endpoint {endpoint!r}: choose 'pfs' or 'os'.")
    indexed = results.set_index("result_id")
    unknown = [r for r in result_ids if r not in indexed.index]
    if unknown:
        raise ValueError(f"No row with result_id {', '.join(unknown)} in the trial results.")
    rows = []
    for rid in result_ids:
        r = indexed.loc[rid]
        hr, lo, hi = (r[f"{endpoint}_hr"], r[f"{endpoint}_hr_low"], r[f"{endpoint}_hr_high"])
        if pd.isna(hr):
            raise ValueError(f"Row {rid} prints no {endpoint.upper()} hazard ratio.")
        p_val = r[f"{endpoint}_p"]
        rows.append({"result_id": rid, "trial": r["trial"], "cohort": r["cohort"], "printed_in": r["printed_in"],
                     "n": int(r["n"]) if pd.notna(r["n"]) else pd.NA, "hr": float(hr), "hr_low": float(lo) if pd.notna(lo) else np.nan,
                     "hr_high": float(hi) if pd.notna(hi) else np.nan,
                     "p": "" if pd.isna(p_val) else str(p_val),
                     "ni_margin": float(r["ni_margin"]) if pd.notna(r["ni_margin"]) else np.nan})
    out = pd.DataFrame(rows)
    out.attrs["endpoint"] = endpoint.upper()
    return out
