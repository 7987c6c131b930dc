"""hrher2: the logic behind the course *HR+/HER2+ advanced breast cancer: biology, drugs and trials*.

One module per concern (see the house style):

- :mod:`hrher2.data`     load the course tables from ``data/`` and validate them against ``data/datapackage.json``;
- :mod:`hrher2.palette`  the one colour-blind-safe palette with fixed meanings;
- :mod:`hrher2.trials`   pure functions that turn trial tables into tidy frames (compute);
- :mod:`hrher2.plots`    figures drawn from those tidy frames (draw);
- :mod:`hrher2.widgets`  thin ipywidgets wrappers (interact).

Heavy modules are imported lazily so that ``import hrher2`` stays fast.
"""
from __future__ import annotations

import importlib

__all__ = ["data", "palette", "trials", "plots", "widgets", "quiz"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'hrher2' has no attribute {name!r}")
