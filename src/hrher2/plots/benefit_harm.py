"""Draw benefit against harm (lessons 09, 11) from :func:`hrher2.benefit_harm.benefit_harm`: median PFS of both
arms beside the severe-AE rate of both arms."""
from __future__ import annotations


import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..palette import ARM, OKABE_ITO
from ._common import alt_text, empty_figure, new_figure, wrap_title
from ._common import wrap as _wrap

__all__ = ["benefit_harm_title", "benefit_harm_figure", "benefit_harm_alt"]

def benefit_harm_title(tidy: pd.DataFrame) -> str:
    """States the finding: in how many trials the arm with the longer median PFS also had more severe AEs."""
    if tidy.empty:
        return "No trial prints both a median PFS gain and severe adverse-event rates for both arms"
    more = tidy[(tidy["mpfs_gain"] > 0) & (tidy["ae_difference"] > 0)]
    fewer = tidy[(tidy["mpfs_gain"] > 0) & (tidy["ae_difference"] < 0)]
    title = f"Longer median PFS came with more severe adverse events in {len(more)} of {len(tidy)} trials"
    if len(fewer):
        title += f";\n{', '.join(fewer['trial'])}: longer median PFS and fewer severe adverse events"
    return title


def benefit_harm_alt(tidy: pd.DataFrame) -> str:
    """Alt text: each trial's medians, gain and severe-AE rates for both arms."""
    if tidy.empty:
        return alt_text("Two-panel dot plot", benefit_harm_title(tidy))
    parts = [f"{r.trial} ({r.arm_exp} versus {r.arm_ctrl}): median PFS {r.mpfs_exp:g} versus {r.mpfs_ctrl:g} "
             f"months (gain {r.mpfs_gain:g}); {r.ae_endpoint} {r.ae_exp:g}% versus {r.ae_ctrl:g}%."
             for r in tidy.itertuples()]
    without = tidy.attrs.get("without_numbers") or []
    if without:
        parts.append(f"Not shown, no numbers for both arms: {', '.join(without)}.")
    return alt_text("Two-panel dot plot", benefit_harm_title(tidy), parts)


def benefit_harm_figure(tidy: pd.DataFrame, width: float = 9.0) -> Figure:
    """Two panels sharing the trials: median PFS of both arms (left) and severe-AE rate of both arms (right)."""
    fig = new_figure(width, 1.9 + 0.75 * max(len(tidy), 1))
    if tidy.empty:
        return empty_figure(fig, benefit_harm_title(tidy))
    left, right = fig.subplots(1, 2, sharey=True)
    ys = list(range(len(tidy), 0, -1))
    for ax, (e_col, c_col, unit, xlabel) in zip(
            (left, right), (("mpfs_exp", "mpfs_ctrl", " mo", "Median PFS (months)"),
                            ("ae_exp", "ae_ctrl", "%", "Severe adverse events (% of patients)"))):
        for y, r in zip(ys, tidy.itertuples()):
            e, c = getattr(r, e_col), getattr(r, c_col)
            ax.plot([c, e], [y, y], color=OKABE_ITO["black"], lw=1, alpha=0.5)
            ax.plot(e, y, "o", ms=9, color=ARM["experimental"])
            ax.plot(c, y, "s", ms=9, color=ARM["control"])
            for v, col, dy, va in ((e, ARM["experimental"], 8, "bottom"), (c, ARM["control"], -8, "top")):
                ax.annotate(f"{v:g}{unit}", (v, y), xytext=(0, dy), textcoords="offset points", ha="center",
                            va=va, fontsize=8, color=col)
        ax.set_xlabel(xlabel, fontsize=9)
        ax.set_xlim(0, max(tidy[e_col].max(), tidy[c_col].max()) * 1.18)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylim(0.4, len(tidy) + 0.6)
    labels = [f"{r.trial}\n{_wrap(r.arm_exp, 30)}\nvs {_wrap(r.arm_ctrl, 28)}\n({r.ae_endpoint.replace('>=', '≥')})"
              for r in tidy.itertuples()]
    left.set_yticks(ys, labels, fontsize=7.5)
    handles = [Line2D([], [], marker="o", color=ARM["experimental"], ls="none", label="experimental arm"),
               Line2D([], [], marker="s", color=ARM["control"], ls="none", label="control arm")]
    right.legend(handles=handles, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(wrap_title(benefit_harm_title(tidy)), fontsize=10.5, x=0.01, ha="left")
    return fig
