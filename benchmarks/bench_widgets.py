"""The widget registry for `make bench`: how to build each widget with its default view, and the bare plotting
call for the same figure (so the widget's overhead shows as a ratio)."""
from __future__ import annotations

from hrher2 import plots, trials, widgets

WIDGETS = {
    "provenance explorer": {
        "lesson": "00",
        "build": lambda t: widgets.provenance_explorer(t["trial_results"], trial="TAnDEM", endpoint="mos"),
        "bare": lambda t: plots.figure_to_png(plots.printed_medians_figure(
            trials.printed_medians(t["trial_results"], "TAnDEM", "mos"))),
    },
}
