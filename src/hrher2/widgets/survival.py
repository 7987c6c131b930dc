"""The survival-trial simulator (lesson 07): set the truth, run a seeded trial, read it like a trial report."""
from __future__ import annotations

import html
import math

import ipywidgets as W

from .. import plots
from .. import survival as S
from ._common import in_words
from ._common import message as _message

__all__ = ["SURVIVAL_PRESETS", "survival_view", "survival_summary_html", "survival_simulator"]

#: Ready-made designs. The two trial sizes share the same truth (control median 12 months, HR 0.75, so an
#: experimental median of 16 months: a 4-month gain) and differ only in the number of patients.
SURVIVAL_PRESETS = {
    "small": {"label": "Small trial: 50 per arm, true medians 12 vs 16 months",
              "control_median": 12.0, "hazard_ratio": 0.75, "n_per_arm": 50, "accrual": 24.0, "follow_up": 12.0},
    "large": {"label": "Large trial: 300 per arm, true medians 12 vs 16 months",
              "control_median": 12.0, "hazard_ratio": 0.75, "n_per_arm": 300, "accrual": 24.0, "follow_up": 12.0},
    "null": {"label": "No true difference: HR 1, 200 per arm",
             "control_median": 12.0, "hazard_ratio": 1.0, "n_per_arm": 200, "accrual": 24.0, "follow_up": 12.0},
    "short": {"label": "Large trial, analysed early: 300 per arm, 3 months of follow-up",
              "control_median": 12.0, "hazard_ratio": 0.75, "n_per_arm": 300, "accrual": 24.0, "follow_up": 3.0},
}

_CAPTION = ("Kaplan–Meier curves of one simulated trial with translucent 95% confidence bands (experimental arm "
            "solid blue, control dashed orange); dotted lines mark the estimated medians. The table under the time "
            "axis counts patients still at risk, censored and with an event at each tick.")


def _cell(x: float, digits: int = 1) -> str:
    return "not reached" if not math.isfinite(x) else f"{x:.{digits}f}"


def survival_summary_html(sim, result: S.TrialAnalysis, endpoint: str = "PFS") -> str:
    """A two-column table, truth (what you set) against estimate (what this one trial reports), and one sentence."""
    a = sim.attrs
    arms = result.arms.set_index("arm")
    true_exp = a["true_median_experimental"]
    covered = result.hr_low <= a["hazard_ratio"] <= result.hr_high
    sig = result.p < 0.05
    rows = [
        ("Median " + endpoint + ", experimental (months)", f"{true_exp:.1f}",
         f"{_cell(arms.loc['experimental', 'median'])} ({_cell(arms.loc['experimental', 'median_low'])}–"
         f"{_cell(arms.loc['experimental', 'median_high'])})"),
        ("Median " + endpoint + ", control (months)", f"{a['control_median']:.1f}",
         f"{_cell(arms.loc['control', 'median'])} ({_cell(arms.loc['control', 'median_low'])}–"
         f"{_cell(arms.loc['control', 'median_high'])})"),
        ("Gain in median (months)", f"{true_exp - a['control_median']:.1f}", _cell(result.median_gain)),
        ("Hazard ratio (95% CI)", f"{a['hazard_ratio']:.2f}",
         f"{result.hr:.2f} ({result.hr_low:.2f}–{result.hr_high:.2f})"),
        ("Log-rank p", "—", S.format_p(result.p).replace("p = ", "").replace("p ", "")),
        ("Events (experimental / control)", "—",
         f"{arms.loc['experimental', 'events']} / {arms.loc['control', 'events']}"),
    ]
    pad = "padding:0.15em 0.9em"
    body = "".join(f"<tr><th scope='row' style='text-align:left;{pad}'>{html.escape(r)}</th>"
                   f"<td style='{pad}'>{html.escape(t)}</td><td style='{pad}'>{html.escape(e)}</td></tr>"
                   for r, t, e in rows)
    verdict = (f"With {a['n_per_arm']} patients per arm and {int(arms['events'].sum())} events, this trial's 95% CI "
               f"for the hazard ratio {'excludes' if result.hr_high < 1 or result.hr_low > 1 else 'includes'} 1 "
               f"({'statistically significant' if sig else 'not statistically significant'} at 0.05), and it "
               f"{'contains' if covered else 'misses'} the true hazard ratio {a['hazard_ratio']:g}. "
               f"Change the seed to run the same trial again with other patients.")
    return ("<table class='survival-summary' style='border-collapse:collapse'><thead><tr><th scope='col'>Quantity</th>"
            "<th scope='col'>True (you set)</th><th scope='col'>This trial estimated</th></tr></thead>"
            f"<tbody>{body}</tbody></table><p>{html.escape(verdict)}</p>")


@in_words("survival simulator")
def survival_view(control_median: float = 12, hazard_ratio: float = 0.7, n_per_arm: int = 100,
                  accrual: float = 24, follow_up: float = 12, seed: int = 1, endpoint: str = "PFS") -> tuple[str, str]:
    """(figure HTML, summary HTML) for one seeded simulated trial. Impossible input gives a message, not an error."""
    sim = S.simulate_trial(control_median, hazard_ratio, n_per_arm, accrual, follow_up, seed)
    result = S.analyse(sim)
    table = S.km_table(sim, plots.km_ticks(sim.attrs["analysis_time"]), curves=result.curves)
    fig = plots.km_figure(sim, result, endpoint, table=table)
    figure = plots.figure_html(fig, plots.km_alt(sim, result, table, endpoint), _CAPTION)
    return figure, survival_summary_html(sim, result, endpoint)


def survival_simulator(control_median: float = 12, hazard_ratio: float = 0.7, n_per_arm: int = 100,
                       accrual: float = 24, follow_up: float = 12, seed: int = 1) -> W.VBox:
    """Sliders for the truth and the design, a seed box and presets; each change reruns and redraws the trial."""
    style = {"description_width": "15rem"}  # room for "Follow-up after accrual (months)" in full
    wide = W.Layout(width="38rem")
    preset = W.Dropdown(options=[("Your settings", "custom")] + [(p["label"], k) for k, p in SURVIVAL_PRESETS.items()],
                        value="custom", description="Preset", style=style, layout=wide)
    cm = W.FloatSlider(value=12, min=3, max=36, step=0.5, description="Control median (months)",
                       continuous_update=False, style=style, layout=wide)
    hr = W.FloatSlider(value=0.7, min=0.3, max=1.5, step=0.05, readout_format=".2f", description="True hazard ratio",
                       continuous_update=False, style=style, layout=wide)
    n = W.IntSlider(value=100, min=10, max=1000, step=10, description="Patients per arm", continuous_update=False,
                    style=style, layout=wide)
    acc = W.FloatSlider(value=24, min=0, max=48, step=1, description="Accrual (months)", continuous_update=False,
                        style=style, layout=wide)
    fu = W.FloatSlider(value=12, min=1, max=60, step=1, description="Follow-up after accrual (months)",
                       continuous_update=False, style=style, layout=wide)
    seed_box = W.BoundedIntText(value=1, min=0, max=99999, description="Seed (which patients)", style=style,
                                layout=W.Layout(width="20rem"))
    again = W.Button(description="Run again (next seed)", tooltip="Same design, new patients: the seed goes up by one",
                     layout=W.Layout(width="auto"))  # its whole label, never "Run again (next s…"
    note, figure_out, summary_out = W.HTML(), W.HTML(), W.HTML()
    sliders = {"control_median": cm, "hazard_ratio": hr, "n_per_arm": n, "accrual": acc, "follow_up": fu}
    state = {"busy": False}

    def redraw(*_):
        figure_out.value, summary_out.value = survival_view(cm.value, hr.value, n.value, acc.value, fu.value,
                                                            seed_box.value)

    def on_control(change):
        if state["busy"]:
            return
        if change["owner"] is not seed_box and preset.value != "custom":
            state["busy"] = True
            preset.value = "custom"
            state["busy"] = False
        redraw()

    def on_preset(change):
        if state["busy"] or change["new"] == "custom":
            return
        state["busy"] = True
        for key, widget in sliders.items():
            widget.value = SURVIVAL_PRESETS[change["new"]][key]
        state["busy"] = False
        redraw()

    def on_again(_):
        seed_box.value = min(seed_box.value + 1, seed_box.max)

    # Start from the caller's values where the sliders can show them, and say so when they cannot.
    requested = {"control_median": control_median, "hazard_ratio": hazard_ratio, "n_per_arm": n_per_arm,
                 "accrual": accrual, "follow_up": follow_up}
    problems = []
    for key, value in requested.items():
        w = sliders[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and w.min <= value <= w.max:
            w.value = value
        else:
            problems.append(f"{w.description} = {value!r} is outside the slider's range {w.min:g}–{w.max:g}")
    if isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed <= seed_box.max:
        seed_box.value = seed
    else:
        problems.append(f"seed = {seed!r} is not a whole number between 0 and {seed_box.max}")
    if problems:
        note.value = _message("; ".join(problems) + ". Showing the default value instead.")
    for w in list(sliders.values()) + [seed_box]:
        w.observe(on_control, names="value")
    preset.observe(on_preset, names="value")
    again.on_click(on_again)
    redraw()
    return W.VBox([preset, cm, hr, n, acc, fu, W.HBox([seed_box, again]), note, figure_out, summary_out])
