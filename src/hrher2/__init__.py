"""hrher2: the logic behind the course *HR+/HER2+ advanced breast cancer: biology, drugs and trials*.

One module per concern (see the house style). Compute modules (pure functions, DataFrames in and out):

- :mod:`hrher2.data`      load the course tables from ``data/`` and validate them against ``data/datapackage.json``;
- :mod:`hrher2.trials`    where the review prints a trial's medians (lesson 00);
- :mod:`hrher2.pathway`   the signaling graph and what each drug class leaves open;
- :mod:`hrher2.drugs`     drug facts, the HER2 receptor map, ADC anatomy, estrogen sources;
- :mod:`hrher2.survival`  seeded survival simulation and expected curves;
- :mod:`hrher2.evidence`  forest plots, trial comparisons, benefit against harm, cases;
- :mod:`hrher2.ongoing`   the ongoing trials of Table 3;
- :mod:`hrher2.docs`      pages generated from the data.

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
