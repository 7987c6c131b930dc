"""hrher2: the logic behind the course *HR+/HER2+ advanced breast cancer: biology, drugs and trials*.

One module per concern (see the house style). Compute modules (pure functions, DataFrames in and out):

- :mod:`hrher2.data`          load the course tables from ``data/`` and validate them against ``data/datapackage.json``;
- :mod:`hrher2.trials`        the medians the review prints for one trial, in every place (the median endpoints);
- :mod:`hrher2.disagreements` where two printings of one value disagree, by one rule; the capstone's answer;
- :mod:`hrher2.forest`        hazard ratios, one row per printed result (forest plots);
- :mod:`hrher2.comparators`   medians side by side for a Table 1/2 group, and numbers quoted from other trials;
- :mod:`hrher2.gains`         how much longer the median was, HR+ against HR- subgroups, the trust checklist;
- :mod:`hrher2.pvalues`       printed p-values and what they say against a threshold;
- :mod:`hrher2.benefit_harm`  a median-PFS gain beside the adverse events it cost;
- :mod:`hrher2.eligibility`   which studies enrolled patients like a described case;
- :mod:`hrher2.evidence_map`  what kinds of published studies the review reads, and which cohorts they report;
- :mod:`hrher2.ongoing_trials` the ongoing trials of Table 3 and the drug classes they combine;
- :mod:`hrher2.later_evidence` results published after the review;
- :mod:`hrher2.pathway`       the signaling graph and what each drug class leaves open;
- :mod:`hrher2.drugs`         drug facts, the HER2 receptor map, ADC anatomy, estrogen sources;
- :mod:`hrher2.survival`      seeded survival simulation and expected curves;
- :mod:`hrher2.errata`        the errata a lesson teaches, and which errata name a data row;
- :mod:`hrher2.docs`          pages generated from the data.

Then :mod:`hrher2.palette` (the one colour-blind-safe palette), :mod:`hrher2.plots` (draw),
:mod:`hrher2.widgets` (interact) and :mod:`hrher2.quiz` (self-check questions).

Submodules are imported lazily, so ``import hrher2`` stays fast.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"


def __getattr__(name: str):
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            raise AttributeError(f"module 'hrher2' has no attribute {name!r}") from None
        raise
