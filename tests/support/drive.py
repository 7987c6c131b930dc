"""Drive a widget's controls programmatically: find every control in a widget tree and give each a sequence of
realistic new values. Used by the benchmarks (response time per change) and by tests that prove every control of
every widget redraws its output without an error.
"""
from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import ipywidgets as W

__all__ = ["controls", "outputs", "snapshot", "new_values", "exercise"]

_VALUE_CONTROLS = (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.Select, W.SelectMultiple, W.Checkbox, W.ToggleButton,
                   W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.IntText, W.BoundedIntText, W.FloatText,
                   W.BoundedFloatText, W.Text, W.SelectionSlider)


def _walk(widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


def controls(widget) -> list[W.Widget]:
    """Every control (value widget or button) in a widget tree, in display order."""
    return [w for w in _walk(widget) if isinstance(w, _VALUE_CONTROLS + (W.Button,))]


def outputs(widget) -> list[W.Widget]:
    """Every output-like widget (HTML, Output) in a tree: what a control change should redraw."""
    return [w for w in _walk(widget) if isinstance(w, (W.HTML, W.HTMLMath, W.Output, W.Image))]


def snapshot(widget) -> tuple:
    """The current content of every output widget, to tell whether a change redrew anything."""
    return tuple(getattr(w, "value", None) if not isinstance(w, W.Output) else repr(w.outputs) for w in outputs(widget))


def new_values(control, count: int = 3) -> list:
    """Up to ``count`` values different from the current one that a learner could choose."""
    v = control.value if hasattr(control, "value") else None
    if isinstance(control, W.SelectMultiple):
        opts = [o[1] if isinstance(o, tuple) else o for o in control.options]
        choices = [tuple(opts[: i + 1]) for i in range(len(opts))] + [tuple(opts[i:i + 1]) for i in range(len(opts))]
    elif isinstance(control, (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.Select, W.SelectionSlider)):
        choices = [o[1] if isinstance(o, tuple) else o for o in control.options]
    elif isinstance(control, (W.Checkbox, W.ToggleButton)):
        choices = [not v, v]
    elif isinstance(control, (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.BoundedIntText, W.BoundedFloatText)):
        lo, hi = control.min, control.max
        if isinstance(control, W.FloatLogSlider):
            lo, hi = control.base ** control.min, control.base ** control.max
        steps = [lo + (hi - lo) * f for f in (0.25, 0.75, 0.5, 0.1, 0.9)]
        choices = [int(round(s)) if isinstance(control, (W.IntSlider, W.BoundedIntText)) else round(s, 3) for s in steps]
    elif isinstance(control, (W.IntText, W.FloatText)):
        choices = [v + 1, v + 2, v]
    else:
        return []
    return [c for c in choices if c != v and c is not None][:count]


def exercise(widget, changes: int = 30) -> list[dict]:
    """Change controls round-robin ``changes`` times; return one record per change: control, value, seconds,
    whether the outputs changed, and any error message shown (a role="alert" paragraph)."""
    ctrls = [c for c in controls(widget) if isinstance(c, W.Button) or new_values(c)]
    if not ctrls:
        return []
    records = []
    for i, control in zip(range(changes), itertools.cycle(ctrls)):
        before = snapshot(widget)
        start = time.perf_counter()
        if isinstance(control, W.Button):
            control.click()
            value = "click"
        else:
            options = new_values(control, count=5)
            value = options[i // len(ctrls) % len(options)]
            control.value = value
        seconds = time.perf_counter() - start
        after = snapshot(widget)
        alert = next((s for s in after if isinstance(s, str) and 'role="alert"' in s), "")
        records.append({"control": type(control).__name__ + (f" {control.description!r}" if getattr(control, "description", "") else ""),
                        "value": repr(value)[:60], "seconds": seconds, "changed": after != before, "alert": alert[:200]})
    return records
