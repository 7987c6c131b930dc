"""Draw survival figures (lesson 07): KMunicate-style Kaplan–Meier plots of simulated trials, expected curves,
repeated trials, and printed hazard ratios read against 1 and a non-inferiority margin.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state).
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from .. import survival as S
from ..palette import ARM, OKABE_ITO

__all__ = ["km_ticks", "km_title", "km_figure", "km_alt", "expected_curves_title", "expected_curves_figure",
           "expected_curves_alt", "replicates_title", "replicates_figure", "replicates_alt", "hr_interval_figure",
           "hr_interval_alt"]

#: Line styles repeat the arm colours for readers who cannot rely on colour (like the hatches of bar charts).
_ARM_LINE = {"experimental": "-", "control": "--"}
#: Neutral grey for reference lines (no effect, 50%); not a palette meaning.
_GREY = "#7F7F7F"
#: The non-inferiority margin line: Okabe–Ito vermillion, dashed (as in the forest plots of lesson 09).
_NI_COLOUR = OKABE_ITO["vermillion"]


def _fmt(x: float, digits: int = 1) -> str:
    return "not reached" if x is None or not math.isfinite(x) else f"{x:.{digits}f}"


def _median_words(row) -> str:
    if not math.isfinite(row["median"]):
        return "not reached"
    ci = ""
    if math.isfinite(row["median_low"]):
        ci = f" ({row['median_low']:.1f}–{_fmt(row['median_high'])})"
    return f"{row['median']:.1f}{ci}"


def km_ticks(analysis_time: float) -> np.ndarray:
    """Tick months for a follow-up of ``analysis_time`` months: every 3, 6, 12 or 24 months, from 0."""
    for step in (3, 6, 12, 24, 48):
        if analysis_time / step <= 8:
            break
    return np.arange(0, analysis_time + 1e-9, step, dtype=float)


def km_title(result: S.TrialAnalysis, endpoint: str = "PFS") -> str:
    """A title that states the finding: the estimated median gain, the log-rank p and the trial size."""
    n = result.n_per_arm
    p_words = S.format_p(result.p)
    sig = result.p < 0.05
    gain = result.median_gain
    if not math.isfinite(gain):
        missing = [a for a in S.ARMS if not math.isfinite(result.median(a))]
        return (f"Median {endpoint} not reached in the {' and '.join(missing)} arm{'s' if len(missing) > 1 else ''}: "
                f"HR {result.hr:.2f}, {p_words} with {n} patients per arm")
    tail = "" if sig else ", not statistically significant"
    if gain >= 0:
        return f"A {gain:.1f}-month gain in median {endpoint}: {p_words} with {n} patients per arm{tail}"
    return (f"Median {endpoint} {abs(gain):.1f} months shorter with the experimental arm: {p_words} with "
            f"{n} patients per arm{tail}")


def _two_lines(text: str, width: int = 72) -> str:
    """Break a long title after its colon when both halves fit, else wrap it at ``width`` characters."""
    if len(text) <= width:
        return text
    if ": " in text:
        head, rest = text.split(": ", 1)
        if len(head) < width and len(rest) <= width:
            return f"{head}:\n{rest}"
    return textwrap.fill(text, width)


def km_alt(sim: pd.DataFrame, result: S.TrialAnalysis, table: pd.DataFrame, endpoint: str = "PFS") -> str:
    """Alt text generated from the simulated trial: design, estimates, and the numbers at risk at each tick."""
    a = sim.attrs
    arms = result.arms.set_index("arm")
    parts = [f"Kaplan–Meier plot of a simulated trial. {km_title(result, endpoint)}."]
    if a:
        parts.append(f"Design: {a['n_per_arm']} patients per arm entering over {a['accrual_months']:g} months, "
                     f"followed for {a['follow_up_months']:g} more months; true control median "
                     f"{a['control_median']:g} months, true hazard ratio {a['hazard_ratio']:g} (seed {a['seed']}).")
    for arm in S.ARMS:
        parts.append(f"{arm.capitalize()} arm: estimated median {endpoint} {_median_words(arms.loc[arm])} months, "
                     f"{arms.loc[arm, 'events']} events among {arms.loc[arm, 'n']} patients.")
    parts.append(f"Hazard ratio {result.hr:.2f} (95% CI {result.hr_low:.2f}–{result.hr_high:.2f}); "
                 f"log-rank {S.format_p(result.p)}.")
    times = ", ".join(f"{t:g}" for t in table["time"].drop_duplicates())
    for arm in S.ARMS:
        sub = table[table["arm"] == arm]
        parts.append(f"Numbers at risk ({arm}) at {times} months: {', '.join(str(x) for x in sub['at_risk'])}.")
    return " ".join(parts)


def km_figure(sim: pd.DataFrame, result: S.TrialAnalysis | None = None, endpoint: str = "PFS",
              width: float = 7.6, height: float = 5.6, curves: pd.DataFrame | None = None,
              table: pd.DataFrame | None = None) -> Figure:
    """KMunicate-style Kaplan–Meier figure of a two-arm trial.

    Step curves with translucent 95% bands (experimental solid, control dashed), dotted median lines, a box with
    the estimated medians, HR (95% CI) and log-rank p, and under the time axis a table of numbers at risk,
    censored and events per arm, aligned to the ticks.
    """
    result = S.analyse(sim) if result is None else result
    if curves is None:
        curves = result.curves if result.curves is not None else S.km_curves(sim)
    horizon = float(sim.attrs.get("analysis_time", sim["time"].max()))
    ticks = km_ticks(horizon)
    table = S.km_table(sim, ticks, curves=curves) if table is None else table

    # Fixed axes positions (no constrained layout): the widget redraws this figure often and the layout engine
    # would measure every number of the table on each redraw.
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_axes((0.16, 0.40, 0.81, 0.47))
    tab = fig.add_axes((0.16, 0.015, 0.81, 0.27), sharex=ax)
    arms = result.arms.set_index("arm")
    for arm in S.ARMS:
        c = curves[curves["arm"] == arm]
        t = np.append(c["time"].to_numpy(), horizon)
        s = np.append(c["survival"].to_numpy(), c["survival"].iloc[-1])
        lo = np.append(c["ci_low"].to_numpy(), c["ci_low"].iloc[-1])
        hi = np.append(c["ci_high"].to_numpy(), c["ci_high"].iloc[-1])
        ax.fill_between(t, lo, hi, step="post", color=ARM[arm], alpha=0.18, linewidth=0)
        ax.step(t, s, where="post", color=ARM[arm], linestyle=_ARM_LINE[arm], linewidth=2,
                label=f"{arm} arm (n = {arms.loc[arm, 'n']})")
        m = arms.loc[arm, "median"]
        if math.isfinite(m):
            ax.plot([0, m], [0.5, 0.5], color=_GREY, linestyle=":", linewidth=1)
            ax.plot([m, m], [0, 0.5], color=ARM[arm], linestyle=":", linewidth=1.5)
    box = (f"Median {endpoint}, months (95% CI)\n"
           f"  experimental: {_median_words(arms.loc['experimental'])}\n"
           f"  control: {_median_words(arms.loc['control'])}\n"
           f"HR {result.hr:.2f} (95% CI {result.hr_low:.2f}–{result.hr_high:.2f})\n"
           f"log-rank {S.format_p(result.p)}")
    ax.text(0.99, 0.97, box, transform=ax.transAxes, ha="right", va="top", fontsize=8.5, multialignment="left",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": _GREY, "alpha": 0.9})
    ax.set_title(_two_lines(km_title(result, endpoint)), fontsize=11, loc="left")
    ax.set_ylabel(f"{endpoint}: proportion event-free")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, horizon)
    ax.set_xticks(ticks)
    ax.tick_params(labelbottom=True)
    ax.set_xlabel("Months since randomisation")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower left", fontsize=8, frameon=False)

    # The KMunicate table: per arm a coloured heading, then 'At risk', 'Censored', 'Events' under the ticks.
    # One multi-line text per arm and tick (same font and line spacing as the labels, so the rows line up).
    tab.set_ylim(0, 1)
    tab.set_axis_off()
    keys = ("at_risk", "censored", "events")
    label_x = tab.get_yaxis_transform()
    heading_x = blended_transform_factory(fig.transFigure, tab.transAxes)
    for block, arm in enumerate(S.ARMS):
        top = 1.0 - block * 0.5
        tab.text(0.015, top, f"{arm.capitalize()} arm", transform=heading_x, ha="left", va="top", fontsize=8.5,
                 color=ARM[arm], fontweight="bold")
        tab.text(-0.045, top - 0.11, "At risk\nCensored\nEvents", transform=label_x, ha="right", va="top",
                 fontsize=8, linespacing=1.35)
        sub = table[table["arm"] == arm]
        for _, r in sub.iterrows():
            tab.text(r["time"], top - 0.11, "\n".join(str(int(r[k])) for k in keys), ha="center", va="top",
                     fontsize=8, linespacing=1.35, multialignment="center")
    return fig


def expected_curves_title(curves: pd.DataFrame, endpoint: str = "PFS") -> str:
    """Title stating the finding: how far the hazard ratio moves the median."""
    med = curves.groupby("arm")["median"].first()
    hr = curves.attrs.get("hazard_ratio", med["control"] / med["experimental"])
    gain = med["experimental"] - med["control"]
    verb = "gains" if gain >= 0 else "loses"
    return (f"A hazard ratio of {hr:g} {verb} {abs(gain):.1f} months of median {endpoint}: "
            f"{med['control']:g} → {med['experimental']:.1f} months")


def expected_curves_alt(curves: pd.DataFrame, endpoint: str = "PFS") -> str:
    med = curves.groupby("arm")["median"].first()
    last = curves["month"].max()
    end = curves[curves["month"] == last].set_index("arm")["survival"]
    return (f"Line chart of two exponential survival curves. {expected_curves_title(curves, endpoint)}. "
            f"The experimental curve (median {med['experimental']:.1f} months) lies above the control curve "
            f"(median {med['control']:g} months) at every time; at {last:g} months "
            f"{end['experimental']:.0%} of experimental and {end['control']:.0%} of control patients are event-free.")


def expected_curves_figure(curves: pd.DataFrame, endpoint: str = "PFS", width: float = 7.0,
                           height: float = 3.8) -> Figure:
    """The two true survival curves of a design, with their medians marked."""
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    for arm in S.ARMS:
        c = curves[curves["arm"] == arm]
        m = float(c["median"].iloc[0])
        ax.plot(c["month"], c["survival"], color=ARM[arm], linestyle=_ARM_LINE[arm], linewidth=2,
                label=f"{arm} arm: median {m:.1f} months")
        if m <= c["month"].max():
            ax.plot([m, m], [0, 0.5], color=ARM[arm], linestyle=":", linewidth=1.5)
    ax.axhline(0.5, color=_GREY, linestyle=":", linewidth=1)
    ax.set_xticks(km_ticks(float(curves["month"].max())))
    ax.set_title(_two_lines(expected_curves_title(curves, endpoint)), fontsize=11, loc="left")
    ax.set_xlabel("Months since randomisation")
    ax.set_ylabel(f"{endpoint}: proportion event-free")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, curves["month"].max())
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper right")
    return fig


def replicates_title(frames: list[pd.DataFrame]) -> str:
    """Title stating how many of each set of repeated trials reached p < 0.05."""
    hr = frames[0].attrs.get("hazard_ratio", "")
    parts = [f"{int((f['p'] < 0.05).sum())} of {len(f)} trials with {f['n_per_arm'].iloc[0]} per arm"
             for f in frames]
    return f"Same true HR {hr:g}: " + " vs ".join(parts) + " reach p < 0.05"


def replicates_alt(frames: list[pd.DataFrame]) -> str:
    parts = [f"Dot-and-whisker chart of repeated simulated trials. {replicates_title(frames)}."]
    for f in frames:
        parts.append(f"With {f['n_per_arm'].iloc[0]} patients per arm the estimated hazard ratios range from "
                     f"{f['hr'].min():.2f} to {f['hr'].max():.2f} and the 95% intervals are about "
                     f"{(f['hr_high'] / f['hr_low']).median():.1f}-fold wide; "
                     f"{int((f['hr_high'] < 1).sum())} of {len(f)} intervals lie wholly below 1.")
    return " ".join(parts)


def replicates_figure(frames: list[pd.DataFrame], width: float = 8.0, height: float = 4.6) -> Figure:
    """Side-by-side panels, one per trial size: each repeated trial's HR with its 95% CI (log scale).

    Filled dots: log-rank p < 0.05; open dots: not. A solid line marks no effect (1), a dashed one the true HR.
    """
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    axes = fig.subplots(1, len(frames), sharex=True, squeeze=False)[0]
    lo = min(f["hr_low"].min() for f in frames)
    hi = max(f["hr_high"].max() for f in frames)
    for ax, f in zip(axes, frames):
        true_hr = f.attrs.get("hazard_ratio")
        ys = np.arange(len(f))[::-1]
        sig = f["p"].to_numpy() < 0.05
        ax.hlines(ys, f["hr_low"], f["hr_high"], color=OKABE_ITO["black"], linewidth=1)
        ax.scatter(f["hr"][sig], ys[sig], color=OKABE_ITO["black"], s=22, zorder=3, label="p < 0.05")
        ax.scatter(f["hr"][~sig], ys[~sig], facecolor="white", edgecolor=OKABE_ITO["black"], s=22, zorder=3,
                   label="p ≥ 0.05")
        ax.axvline(1, color=_GREY, linewidth=1.2)
        if true_hr is not None:
            ax.axvline(true_hr, color=ARM["experimental"], linestyle="--", linewidth=1.2, label=f"true HR {true_hr:g}")
        ax.set_xscale("log")
        ax.set_xlim(lo * 0.9, hi * 1.1)
        ticks = [t for t in (0.25, 0.33, 0.5, 0.75, 1, 1.5, 2, 3) if lo * 0.9 <= t <= hi * 1.1]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.minorticks_off()
        ax.set_yticks([])
        ax.set_xlabel("Estimated hazard ratio (log scale)")
        n_sig = int(sig.sum())
        ax.set_title(f"{f['n_per_arm'].iloc[0]} patients per arm: {n_sig} of {len(f)} significant", fontsize=9.5)
        ax.spines[["top", "right", "left"]].set_visible(False)
    axes[0].set_ylabel("One repeated trial per row (seed)")
    axes[-1].legend(fontsize=8, frameon=False, loc="lower right")
    fig.suptitle(replicates_title(frames), fontsize=11, x=0.01, ha="left")
    return fig


def _row_label(r) -> str:
    n = f", n = {r['n']}" if "n" in r and pd.notna(r["n"]) else ""
    return f"{r['trial']}, {r['cohort']}\n[{r['printed_in']}{n}]"


def hr_interval_alt(rows: pd.DataFrame, title: str) -> str:
    parts = [f"Hazard ratio chart on a log scale. {title}."]
    for _, r in rows.iterrows():
        verdict = S.interval_verdict(r["hr"], r["hr_low"], r["hr_high"],
                                     r["ni_margin"] if pd.notna(r["ni_margin"]) else None)
        ni = f"; non-inferiority {verdict['non_inferiority']}" if verdict["non_inferiority"] else ""
        p = f", printed p {r['p']}" if r["p"] else ""
        parts.append(f"{r['trial']} ({r['cohort']}, {r['printed_in']}): {rows.attrs.get('endpoint', '')} HR "
                     f"{r['hr']:g} (95% CI {r['hr_low']:g}–{r['hr_high']:g}){p}; superiority "
                     f"{verdict['superiority']}{ni}.")
    return " ".join(parts)


def hr_interval_figure(rows: pd.DataFrame, title: str, width: float = 7.4, height: float | None = None) -> Figure:
    """Printed hazard ratios with their 95% CIs on a log scale, the line of no effect at 1 and, where a row has a
    non-inferiority margin, that margin as a dashed line. ``rows`` comes from :func:`hrher2.survival.hr_rows`."""
    height = height or 1.9 + 0.75 * len(rows)
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ys = np.arange(len(rows))[::-1]
    lo = min(rows["hr_low"].min(), 0.5)
    hi = max(rows["hr_high"].max(), rows["ni_margin"].max() if rows["ni_margin"].notna().any() else 1.0, 1.5)
    for y, (_, r) in zip(ys, rows.iterrows()):
        ax.hlines(y, r["hr_low"], r["hr_high"], color=OKABE_ITO["black"], linewidth=1.6)
        ax.plot(r["hr"], y, "s", color=OKABE_ITO["black"], markersize=7)
        label = f"{r['hr']:g} ({r['hr_low']:g}–{r['hr_high']:g})" + (f", p {r['p']}" if r["p"] else "")
        ax.annotate(label, (r["hr"], y), xytext=(0, 7), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8.5)
        if pd.notna(r["ni_margin"]):
            ax.plot([r["ni_margin"]] * 2, [y - 0.4, y + 0.4], color=_NI_COLOUR, linestyle="--", linewidth=1.8,
                    label=f"non-inferiority margin {r['ni_margin']:g}\n(not printed in the review: errata E19)")
    ax.axvline(1, color=_GREY, linewidth=1.2)
    ax.text(1, -0.62, "no difference", ha="center", va="bottom", fontsize=8, color=_GREY)
    ax.set_xscale("log")
    ax.set_xlim(lo * 0.85, hi * 1.45)
    ticks = [t for t in (0.25, 0.5, 0.75, 1, 1.25, 1.5, 2) if lo * 0.85 <= t <= hi * 1.45]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_yticks(ys, [_row_label(r) for _, r in rows.iterrows()], fontsize=8.5)
    ax.set_ylim(-0.7, len(rows) - 0.1)
    ax.set_xlabel(f"{rows.attrs.get('endpoint', '')} hazard ratio, experimental vs control (log scale)\n"
                  "left of 1 favours the experimental arm")
    ax.set_title(textwrap.fill(title, 62), fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    if rows["ni_margin"].notna().any():
        handles, labels = ax.get_legend_handles_labels()
        keep = dict(zip(labels, handles))
        ax.legend(keep.values(), keep.keys(), fontsize=8, frameon=False, loc="upper right")
    return fig
