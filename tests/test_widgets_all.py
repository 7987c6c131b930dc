"""Every widget of every lesson, in the kernel: built with its lesson's default view, it shows a figure or table; then
every control is changed (round-robin, several times) and each change redraws the output with no error and no alert.
The registry is the benchmarks' (tests/support/widget_registry.py), so the benchmark and this test cover the same widgets."""
from __future__ import annotations

import re

import drive  # tests/support (pytest's pythonpath), as the registry
import pytest
from widget_registry import WIDGETS


@pytest.mark.parametrize("name", list(WIDGETS))
def test_widget_default_view_and_every_control(tables, name):
    spec = WIDGETS[name]
    widget = spec["build"](tables)
    shown = " ".join(v for v in drive.snapshot(widget) if isinstance(v, str))
    assert "<img" in shown or "<table" in shown, f"{name}: the default view shows no figure or table"
    assert 'role="alert"' not in shown, f"{name}: the default view shows an alert"
    # every header cell is named, so a screen reader never announces a blank column (axe: empty-table-header)
    assert not re.search(r"<th[^>]*>\s*</th>", shown), f"{name}: a table header cell is empty"
    assert all(alt.strip() for alt in re.findall(r'<img[^>]*\salt="([^"]*)"', shown)), f"{name}: an image has no alt"
    ctrls = drive.controls(widget)
    assert ctrls, f"{name}: no controls"
    records = drive.exercise(widget, changes=max(12, 2 * len(ctrls)))
    touched = {r["control"] for r in records}
    assert len(touched) >= min(len(ctrls), 2)
    unchanged = [r for r in records if not r["changed"]]
    assert not unchanged, f"{name}: these changes did not redraw anything: {unchanged[:3]}"
