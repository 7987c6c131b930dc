"""Every public view and live chart, driven with arbitrary values and types (Hypothesis): each call gives a figure
or one sentence in words, never an exception. The tables passed in are sometimes the real ones, sometimes empty,
missing a column, or not tables at all. Derandomised, so a run is the same every time; a failure prints the call.
"""
from __future__ import annotations

import inspect
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrher2 import data, live, widgets
from hrher2.inputs import UNEXPECTED

TABLE_OF = {"results": "trial_results", "outcomes": "other_outcomes", "drugs": "drugs", "errata": "errata",
            "references": "references", "nodes": "pathway_nodes", "edges": "pathway_edges",
            "drug_targets": "drug_targets", "ongoing": "ongoing_trials"}
VIEWS = sorted(n for n in dir(widgets) if n.endswith("_view"))
CHARTS = sorted(n for n in dir(live) if n.endswith("_chart") and n != "message_chart")
ANY = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                st.text(max_size=12), st.lists(st.text(max_size=8), max_size=3), st.just(object()),
                st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))
# what a reader must never see in a message: a traceback's vocabulary or a garbled value
JARGON = re.compile(r"Traceback|Error\b|Exception|<object object|\bNone repeats|dtype|NaN|nan\b|\bself\b")

TABLES = data.load_all()


def _table(name: str):
    real = TABLES[name]
    return st.one_of(
        st.just(real),
        st.just(real.iloc[0:0]),
        st.sampled_from(list(real.columns)).map(lambda c: real.drop(columns=[c])),
        ANY)


def _tables():
    return st.one_of(
        st.just(TABLES),
        st.sampled_from(sorted(TABLES)).map(lambda n: {k: v for k, v in TABLES.items() if k != n}),
        st.tuples(st.sampled_from(sorted(TABLES)), st.integers(0, 50)).map(
            lambda p: {**TABLES, p[0]: TABLES[p[0]].drop(columns=[TABLES[p[0]].columns[p[1] % len(TABLES[p[0]].columns)]])}),
        ANY)


def _arguments(fn):
    """A strategy for fn's keyword arguments: tables where it takes tables, anything (or its default) elsewhere."""
    parts = {}
    for name, p in inspect.signature(fn).parameters.items():
        if name == "tables":
            parts[name] = _tables()
        elif name in TABLE_OF:
            parts[name] = _table(TABLE_OF[name])
        elif p.default is not inspect.Parameter.empty:
            parts[name] = st.one_of(st.just(p.default), ANY)
        else:
            parts[name] = ANY
    return st.fixed_dictionaries(parts)


def _text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _check_view_output(name, kwargs, out):
    parts = out if isinstance(out, tuple) else (out,)
    assert all(isinstance(p, str) for p in parts), f"{name}({kwargs!r}) returned {type(out)}"
    first = parts[0]
    if 'role="alert"' in first:
        said = _text_of(first)
        assert UNEXPECTED not in said, f"{name}({kwargs!r}) hit a fault in the course code"
        assert not JARGON.search(said), f"{name}({kwargs!r}) answered in jargon: {said}"
        assert len(said) < 400, f"{name}({kwargs!r}) answered at length: {said}"
    else:
        assert re.search(r"<svg|<img|<table|<figure|<div", first), f"{name}({kwargs!r}) gave neither figure nor message"


def _check_chart_output(name, kwargs, chart):
    spec = chart.to_dict()
    json.dumps(spec)
    said = live.plain_title(spec)
    if said.startswith("Cannot show this"):
        assert UNEXPECTED not in said, f"{name}({kwargs!r}) hit a fault in the course code"
        assert not JARGON.search(said), f"{name}({kwargs!r}) answered in jargon: {said}"


SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


CASES = [(widgets, n, _check_view_output) for n in VIEWS] + [(live, n, _check_chart_output) for n in CHARTS]


@pytest.mark.parametrize("module, name, check", CASES, ids=[n for _, n, _ in CASES])
def test_every_view_and_live_chart_answers_any_input_with_a_figure_or_a_sentence(module, name, check):
    fn = getattr(module, name)

    @SETTINGS
    @given(_arguments(fn))
    def run(kwargs):
        check(name, kwargs, fn(**kwargs))

    run()


@pytest.mark.parametrize("call, expected", [
    (lambda: widgets.survival_view(endpoint=None), "endpoint"),
    (lambda: live.plain_title(live.forest_chart(
        {**TABLES, "trial_results": TABLES["trial_results"].drop(columns=["pfs_hr"])}).to_dict()), "pfs_hr"),
    (lambda: live.plain_title(live.expected_curves_chart(-5, 0).to_dict()), "control_median"),
])
def test_the_bad_inputs_found_by_hand_are_answered_in_words(call, expected):
    """The cases a new user tried (issue 15): each answer names what is wrong and where. (Their fourth, a trial name
    passed where the forest explorer wanted a list, went with that widget: the forest plot is a live chart now, whose
    trial menu takes one name.)"""
    out = call()
    said = _text_of(out[0] if isinstance(out, tuple) else out)
    assert expected in said, said
    assert not JARGON.search(said), said
    assert "C, L, E, O" not in said
