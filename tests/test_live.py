"""Unit tests of the live (kernel-free) charts: hrher2.live and the book extension book/_ext/live_charts.py.

The charts' embedded data must be the compute functions' output: the precomputed crosstalk table is checked against the
kernel widget's pure functions for every combination of drug classes and menopause; the forest, comparator and
ongoing-trials data against forest.forest_data / comparators.comparator_data and ongoing_trials.filter_trials. Every spec validates
against the Vega-Lite schema (Altair's to_dict validates) and stays small.
"""
from __future__ import annotations

import importlib.util
import html
import json
import math
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from hrher2 import benefit_harm, comparators, eligibility, forest, live, ongoing_trials, pathway, plots, survival, trials

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def specs(tables):
    return {name: build(tables).to_dict() for name, build in CHARTS.items()}


CHARTS = {
    "provenance": live.provenance_chart,
    "crosstalk": live.crosstalk_chart,
    "forest": live.forest_chart,
    "comparator": live.comparator_chart,
    "benefit_harm": live.benefit_harm_chart,
    "expected_curves": lambda tables: live.expected_curves_chart(),
    "ongoing": live.ongoing_chart,
    "case": live.case_chart,
}


def _param(spec, name):
    return next(p for p in spec["params"] if p["name"] == name)


# ----------------------------------------------------------------------------------------------- provenance
def test_provenance_chart_shows_printed_medians_for_every_trial_and_endpoint(tables, specs):
    """For every trial in the menu and both endpoints, the rows the page keeps (its own filter, run in Node) are
    trials.printed_medians' rows, value for value and source for source; the headline starts with the static figure's
    title; the lines under the bars name every location and reference; one bar per arm and row of bars."""
    spec = specs["provenance"]
    results = tables["trial_results"]
    params = {p["name"]: p for p in spec["params"]}
    names = params["pv_trial"]["bind"]["options"]
    assert names == trials.trial_names(results) and params["pv_endpoint"]["bind"]["options"] == list(trials.ENDPOINTS)
    bars = spec["vconcat"][0]["layer"][0]
    filt = next(t["filter"] for t in bars["transform"] if "filter" in t)
    where = spec["vconcat"][1]
    assert next(t["filter"] for t in where["transform"] if "filter" in t) == filt
    keys = [[n, ep] for n in names for ep in trials.ENDPOINTS]
    program = f"""
const rows = {json.dumps(spec["datasets"]["pv_rows"])}, lines = {json.dumps(spec["datasets"]["pv_lines"])};
const keep = new Function('pv_trial', 'pv_endpoint', 'datum', 'return (' + {json.dumps(filt)} + ');');
console.log(JSON.stringify({json.dumps(keys)}.map(([t, e]) => [rows.filter(d => keep(t, e, d)),
                                                           lines.filter(d => keep(t, e, d)).map(d => d.text)])));
"""
    from hrher2.plots import printed_medians_title

    heads = params["pv_headlines"]["value"]
    for (name, ep), (got, text) in zip(keys, _run_vega_expressions(program)):
        want = trials.printed_medians(results, name, ep)
        cols = ["cohort", "printed_in", "location", "arm", "arm_label", "months", "p", "refs"]
        assert [[r[c] for c in cols] for r in got] == want[cols].values.tolist(), (name, ep)
        assert " ".join(heads[f"{name}|{ep}"]).startswith(printed_medians_title(want)), (name, ep)
        said = " ".join(text)
        for r in want.itertuples():
            assert r.location in said and f"Review ref. {r.refs}." in said, (name, ep, r.location)
        assert len({(r["group"], r["arm"]) for r in got}) == len(got), f"{name} {ep}: two bars in one place"
    assert live.plain_title(spec).startswith("TAnDEM: text and table print different median overall survival values")
    assert "No trial called 'Nope'" in _says(live.provenance_chart(tables, trial="Nope"))


# ------------------------------------------------------------------------------------------------ crosstalk
def _decode(spec: dict, key: int) -> dict:
    """What the page shows for a combination key, read from the embedded spec exactly as the page looks it up."""
    d = spec["datasets"]
    view = d["xt_views"][_param(spec, "xt_lut")["value"][key]]
    assert view["v"] == _param(spec, "xt_lut")["value"][key]
    edges = next(h["edges"] for h in d["xt_highlights"] if h["highlight"] == view["h"])
    title = next(t["text"] for t in d["xt_titles"] if t["title"] == view["t"])
    routes = {r["route_id"]: r["lines"] for r in d["xt_routes"]}
    ids = [int(x) for x in view["r"].split(";")] if view["r"] else []
    return {"status": view["s"], "edges": edges, "title": title, "killed": bool(view["k"]),
            "routes": [routes[i][0] for i in ids], "lines": [routes[i] for i in ids]}


def _key(classes_all, chosen, menopause):
    return sum(2 ** i for i, c in enumerate(classes_all) if c in chosen) + (
        2 ** len(classes_all) if menopause == "premenopausal" else 0)


def _check_combination(spec, nodes, edges, targets, classes_all, chosen, menopause):
    got = _decode(spec, _key(classes_all, chosen, menopause))
    status = pathway.reachability(nodes, edges, targets, chosen, menopause)
    assert got["status"] == "".join(live._STATUS_CODE[s] for s in status["status"]), (chosen, menopause)
    on = pathway.route_edges(nodes, edges, targets, chosen, menopause)
    assert {e for e, bit in zip(edges["edge_id"], got["edges"]) if bit == "1"} == set(on), (chosen, menopause)
    routes = pathway.open_routes(nodes, edges, targets, chosen, menopause)
    pro = routes[routes["outcome"] == "proliferation"]
    alive = pro[pro["killed_by"] == ""]
    assert got["killed"] == (len(alive) < len(pro)), (chosen, menopause)
    assert got["routes"] == ([] if got["killed"] else list(alive["route"])), (chosen, menopause)
    if not got["killed"]:
        for lines, r in zip(got["lines"], alive.itertuples()):
            text = " ".join(lines[1:])
            assert r.key_explanation.split()[0] in text and (r.closable_by or "") in text
    title = plots.pathway_title(routes, chosen, menopause)
    prefix = pathway.scenario_label(chosen) + (" (premenopausal)" if menopause == "premenopausal" else "")
    assert title == f"{prefix}: {got['title']}", (chosen, menopause)


def test_crosstalk_precomputed_table_matches_the_widget_functions_for_every_combination(tables, specs):
    nodes, edges, targets = tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"]
    classes_all = pathway.drug_classes(targets)
    spec = specs["crosstalk"]
    assert len(_param(spec, "xt_lut")["value"]) == 2 ** len(classes_all) * 2
    checked = 0
    for menopause in pathway.MENOPAUSE:
        for mask in range(2 ** len(classes_all)):
            chosen = [c for i, c in enumerate(classes_all) if mask >> i & 1]
            _check_combination(spec, nodes, edges, targets, classes_all, chosen, menopause)
            checked += 1
    assert checked == 4096


def test_crosstalk_default_matches_the_kernel_widget_view(tables, specs):
    """The kernel widget's default (antibody only, postmenopausal) and the live chart's default agree."""
    from hrher2.widgets.pathway import DEFAULT_CLASSES

    spec = specs["crosstalk"]
    classes_all = pathway.drug_classes(tables["drug_targets"])
    for i, c in enumerate(classes_all):
        assert _param(spec, f"xt_c{i}")["value"] == (c in DEFAULT_CLASSES)
        assert _param(spec, f"xt_c{i}")["bind"] == {"input": "checkbox", "name": c}
    assert _param(spec, "xt_meno")["value"] == "postmenopausal"
    got = _decode(spec, _key(classes_all, DEFAULT_CLASSES, "postmenopausal"))
    state = pathway.scenario(tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"],
                             DEFAULT_CLASSES)
    assert got["routes"] == list(state["routes"].query("outcome == 'proliferation'")["route"])


def _tiny():
    nodes = pd.DataFrame({"node_id": ["src", "A", "B", "proliferation"], "label": ["Source", "A (a)", "B", "Growth"],
                          "pathway": ["ligand", "MAPK", "ER genomic", "outcome"], "kind": ["gene product", "kinase",
                                                                                             "receptor", "process"],
                          "layer": [0, 1, 1, 2], "row": [0, 0, 1, 0]})
    edges = pd.DataFrame({"edge_id": ["sA", "sB", "Ap", "Bp"], "source": ["src", "src", "A", "B"],
                          "target": ["A", "B", "proliferation", "proliferation"],
                          "relation": ["activates"] * 4, "crosstalk": ["none"] * 4,
                          "context": [pd.NA, "premenopausal", pd.NA, pd.NA], "explanation": ["via A", "via B", "A on",
                                                                                             "B on"],
                          "refs": [""] * 4})
    targets = pd.DataFrame({"drug_class": ["X", "Y", "K"], "node_id": ["A", "B", "proliferation"],
                            "effect": ["blocks", "blocks", "kills cell"]})
    return {"pathway_nodes": nodes, "pathway_edges": edges, "drug_targets": targets}


def test_crosstalk_data_on_a_tiny_graph():
    t = _tiny()
    d = live.crosstalk_data(t)
    assert d["classes"] == ["X", "Y", "K"]
    assert len(d["combos"]) == 16
    combos = d["combos"].merge(d["views"], on="view").set_index("key")
    # postmenopausal: the B link only works before menopause, so X alone closes every route
    assert combos.loc[0b001, "status"] == "abcc" and combos.loc[0b001, "routes"] == ""
    assert combos.loc[0b000, "status"] == "aaca"
    # premenopausal: X leaves the route through B open; X + Y closes it; K kills whatever arrives
    pre = 2 ** 3
    assert combos.loc[pre + 0b001, "status"] == "abaa" and combos.loc[pre + 0b001, "routes"] != ""
    assert combos.loc[pre + 0b011, "status"] == "abbc" and combos.loc[pre + 0b011, "routes"] == ""
    assert bool(combos.loc[pre + 0b100, "killed"])
    spec = live.crosstalk_chart(t, classes=[]).to_dict()
    for menopause in pathway.MENOPAUSE:
        for mask in range(8):
            chosen = [c for i, c in enumerate(d["classes"]) if mask >> i & 1]
            _check_combination(spec, t["pathway_nodes"], t["pathway_edges"], t["drug_targets"], d["classes"],
                               chosen, menopause)


def _says(chart) -> str:
    """What a chart that cannot be drawn says instead (its headline), checked to be that kind of chart."""
    said = live.plain_title(chart.to_dict())
    assert said.startswith("Cannot show this: "), said
    return said


def test_crosstalk_bad_input_is_explained(tables):
    assert "Unknown drug class 'aspirin'" in _says(live.crosstalk_chart(tables, ["aspirin"]))
    assert "menopausal status" in _says(live.crosstalk_chart(tables, menopause="peri"))
    with pytest.raises(ValueError, match="no pathway_edges table"):
        live.crosstalk_data({"pathway_nodes": tables["pathway_nodes"], "drug_targets": tables["drug_targets"]})


def test_crosstalk_page_prefix_mirrors_scenario_label():
    """The page builds the title's drug-choice prefix itself: check the expression's three cases in Python."""
    expr = live._xt_prefix_expr(["a b", "c"])
    assert "'No drug'" in expr and "' alone'" in expr and "' (premenopausal)'" in expr
    assert pathway.scenario_label(["a b"]) == "A b alone"


# --------------------------------------------------------------------------------------------------- forest
def test_forest_chart_data_equal_forest_data(tables, specs):
    rows = pd.DataFrame(specs["forest"]["datasets"]["fp_rows"])
    for ep in forest.HR_ENDPOINTS:
        want = forest.forest_data(tables["trial_results"], endpoint=ep, errata=tables["errata"])
        got = rows[rows["endpoint"] == ep].reset_index(drop=True)
        assert list(got["row"]) == list(range(len(want)))
        for col in ("label", "trial", "cohort", "printed_in", "hr", "low", "high", "crosses_one", "refs", "errata"):
            assert list(got[col]) == list(want[col]), col
        assert [None if pd.isna(x) else x for x in want["n"]] == [None if pd.isna(x) else x for x in got["n"]]
        assert [None if pd.isna(x) else x for x in want["ni_margin"]] == [
            None if pd.isna(x) else x for x in got["ni_margin"]]


def test_forest_marks_sysucc_margin_as_from_errata_e19(tables, specs):
    rows = pd.DataFrame(specs["forest"]["datasets"]["fp_rows"])
    margin = rows[rows["ni_margin"].notna()]
    assert list(margin["trial"]) == ["SYSUCC-002"] and margin["ni_margin"].iloc[0] == 1.35
    assert bool(margin["crosses_one"].iloc[0])
    text = json.dumps(specs["forest"])
    assert "errata E19" in text and "not printed in the review" in text
    controls = {b["name"] for b in specs["forest"]["params"] if "bind" in b}  # the rest: its headlines, looked up
    assert controls == {"fp_endpoint", "fp_trial", "fp_cohort", "fp_where"}
    assert "Unknown endpoint" in _says(live.forest_chart(tables, endpoint="dfs"))
    assert "No hazard ratio" in _says(live.forest_chart(tables, trial="TAnDEM"))


# ------------------------------------------------------------------------------------------------ comparator
def test_comparator_chart_data_equal_comparator_data(tables, specs):
    rows = pd.DataFrame(specs["comparator"]["datasets"]["cp_rows"])
    results = tables["trial_results"]
    seen = 0
    for group in comparators.table_groups(results):
        for ep in comparators.MEDIAN_ENDPOINTS:
            for src in comparators.SOURCES:
                got = rows[(rows["table_group"] == group) & (rows["endpoint"] == ep) & (rows["source"] == src)]
                try:
                    want = comparators.comparator_data(results, group, ep, src)
                except ValueError:
                    assert got.empty
                    continue
                assert len(got) == len(want), (group, ep, src)
                for col in ("trial", "cohort", "arm", "arm_label", "value_from", "differs", "location", "refs"):
                    assert list(got[col]) == list(want[col]), (group, ep, src, col)
                assert [None if pd.isna(x) else x for x in want["months"]] == [
                    None if pd.isna(x) else x for x in got["months"]]
                seen += len(got)
    assert seen == len(rows) and rows["differs"].any()
    assert {p["name"] for p in specs["comparator"]["params"] if "bind" in p} == {"cp_group", "cp_endpoint", "cp_source"}



def test_comparator_chart_marks_a_disagreement_and_answers_an_unknown_group(tables, specs):
    """What the kernel comparator did before it gave way to this chart: TAnDEM's median OS, which Table 1 and the text
    print differently, is starred with both values; the lessons' groups (Tables 1 and 2) are all on its menu; an
    unknown group is answered in words, naming the known ones."""
    rows = pd.DataFrame(specs["comparator"]["datasets"]["cp_rows"])
    tandem = rows[(rows["trial"] == "TAnDEM") & (rows["endpoint"] == "mos") & (rows["source"] == "text")
                  & (rows["table_group"] == "ET ± single anti-HER2 therapy") & (rows["arm"] == "experimental")]
    assert len(tandem) == 1 and bool(tandem["differs"].iloc[0])
    assert (tandem["table_months"].iloc[0], tandem["text_months"].iloc[0]) == (28.5, 23.9)
    menu = next(p for p in specs["comparator"]["params"] if p["name"] == "cp_group")["bind"]["options"]
    assert {"CT ± single anti-HER2 therapy", "ET ± single anti-HER2 therapy", "DS8201", "CDK4/6 inhibitors"} <= set(menu)
    said = _says(live.comparator_chart(tables, table_group="Nope"))
    assert "Nope" in said and "Known groups" in said and "DS8201" in said


# -------------------------------------------------------------------------------------------------- ongoing
def _run_vega_expressions(program: str) -> object:
    """Run a small JavaScript program (the chart's own Vega expressions, which are plain JavaScript expressions) in
    Node.js, which `make setup` needs anyway, and return what it prints as JSON."""
    import shutil
    import subprocess

    node = shutil.which("node")
    assert node, "Node.js is needed (make setup uses it for the front-end files)"
    done = subprocess.run([node], input=program, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ongoing_chart_counts_and_filters_every_combination_as_filter_trials_does(tables, specs):
    """The page's own arithmetic, run: for every single class, none, all, the lesson's "Try" trio and twenty other sets of
    ticked classes, each with "any" and "all", every phase and every status, the trials the map keeps and the count in
    its headline are those of ongoing_trials.filter_trials, and the headline says it in words."""
    import random

    table = tables["ongoing_trials"]
    spec = specs["ongoing"]
    params = {p["name"]: p for p in spec["params"]}
    names = [f"og_c{k}" for k in range(len(ongoing_trials.CLASSES))]
    assert [params[n]["bind"]["name"].strip() for n in names] == list(ongoing_trials.CLASSES)
    text = json.dumps(spec)
    (filt,) = {t["filter"] for t in re.findall(r'"filter": ("[^"\\]*(?:\\.[^"\\]*)*")', text)
               for t in [{"filter": json.loads(t)}] if "og_match" in t["filter"]}
    rng = random.Random(16)
    sets = [[c] for c in ongoing_trials.CLASSES] + [[], list(ongoing_trials.CLASSES),
                                                    ["CDK4/6 inhibitor", "ET", "anti-HER2 antibody"]]
    sets += [rng.sample(ongoing_trials.CLASSES, rng.randint(2, 6)) for _ in range(20)]
    combos = [{"ticked": s, "match": m, "phase": ph, "status": st} for s in sets for m in ("any", "all")
              for ph in ["all", *ongoing_trials.PHASES] for st in ["all", *ongoing_trials.STATUSES]]
    trials = spec["datasets"]["og_trials"]
    program = f"""
const names = {json.dumps(names + ["og_match", "og_phase", "og_status"])};
const classes = {json.dumps(list(ongoing_trials.CLASSES))};
const count = new Function(...names, 'return (' + {json.dumps(params["og_n"]["expr"])} + ');');
const head = new Function(...names, 'og_n', 'return (' + {json.dumps(params["og_head"]["expr"])} + ');');
const keep = new Function(...names, 'datum', 'indexof', 'return (' + {json.dumps(filt)} + ');');
const indexof = (a, b) => a.indexOf(b);
const trials = {json.dumps(trials)};
const out = {json.dumps(combos)}.map(c => {{
  const v = [...classes.map(k => c.ticked.includes(k)), c.match, c.phase, c.status];
  const n = count(...v);
  return {{n: n, head: head(...v, n), kept: trials.filter(t => keep(...v, t, indexof)).map(t => t.nct_id)}};
}});
console.log(JSON.stringify(out));
"""
    results = _run_vega_expressions(program)
    finding = live.plain_title(spec)
    for combo, got in zip(combos, results):
        want = ongoing_trials.filter_trials(table, classes=combo["ticked"], match=combo["match"],
                                            phases=None if combo["phase"] == "all" else [combo["phase"]],
                                            statuses=None if combo["status"] == "all" else [combo["status"]])
        assert got["kept"] == list(want["nct_id"]), combo
        assert got["n"] == len(want), combo
        said = " ".join(got["head"])
        if not combo["ticked"]:
            assert said.startswith("No drug class is ticked"), (combo, said)
        elif (len(combo["ticked"]) == len(ongoing_trials.CLASSES) and combo["match"] == "any"
              and combo["phase"] == combo["status"] == "all"):
            assert said == finding, said
        elif want.empty:
            assert said.startswith("No trial matches these choices"), (combo, said)
        else:
            verb = "matches" if len(want) == 1 else "match"
            assert said == f"{len(want)} of {len(table)} ongoing trials {verb} these choices", (combo, said)
    assert any(r["n"] == 0 for r in results) and any(0 < r["n"] < len(table) for r in results)


def test_ongoing_chart_data_equal_class_matrix_and_filters(tables, specs):
    table = tables["ongoing_trials"]
    d = specs["ongoing"]["datasets"]
    matrix = pd.DataFrame(d["og_matrix"]).pivot(index="nct_id", columns="drug_class", values="present")
    want = ongoing_trials.class_matrix(table)
    assert (matrix.loc[want.index, want.columns] == want).all().all()
    trials = pd.DataFrame(d["og_trials"])
    assert list(trials["nct_id"]) == list(table["nct_id"])
    for cls in ongoing_trials.CLASSES:  # the page's filter: the class appears between bars in 'classes'
        page = set(trials.loc[trials["classes"].str.contains(f"|{cls}|", regex=False), "nct_id"])
        assert page == set(ongoing_trials.filter_trials(table, classes=[cls])["nct_id"]), cls
    for ph in ongoing_trials.PHASES:
        assert set(trials.loc[trials["phase"] == ph, "nct_id"]) == set(
            ongoing_trials.filter_trials(table, phases=[ph])["nct_id"])
    for st in ongoing_trials.STATUSES:
        assert set(trials.loc[trials["status"] == st, "nct_id"]) == set(
            ongoing_trials.filter_trials(table, statuses=[st])["nct_id"])


# ------------------------------------------------------------------------------------------ benefit, curves
def test_benefit_harm_tooltips_carry_trial_arms_and_source(tables, specs):
    rows = pd.DataFrame(specs["benefit_harm"]["datasets"]["bh_rows"])
    want = benefit_harm.benefit_harm(tables["trial_results"], tables["other_outcomes"])
    assert list(rows["trial"]) == list(want["trial"]) and list(rows["mpfs_gain"]) == list(want["mpfs_gain"])
    tips = {t["field"] for layer in specs["benefit_harm"]["layer"] for t in layer["encoding"].get("tooltip", [])}
    assert {"trial", "arms", "source"} <= tips
    assert all("Text" in s for s in rows["source"])


def test_expected_curves_page_formula_reproduces_expected_curves(specs):
    spec = specs["expected_curves"]
    grid = pd.DataFrame(spec["datasets"]["ec_grid"])
    want = survival.expected_curves(12, 0.75, months=60, points=121)
    merged = grid.merge(want, on=["arm", "month"])
    assert len(merged) == len(want) == len(grid)
    cm, hr = _param(spec, "ec_control")["value"], _param(spec, "ec_hr")["value"]
    assert (cm, hr) == (12, 0.75)
    for r in merged.itertuples():  # the page's formula, evaluated here at the defaults
        median = cm if r.arm == "control" else cm / hr
        assert math.isclose(math.exp(-math.log(2) * r.month / median), r.survival, rel_tol=1e-12)
        assert math.isclose(r.default_survival, r.survival, abs_tol=1e-5)
    expr = json.dumps(spec)
    assert "exp(-LN2 * datum.month / datum.median)" in expr and "ec_control / ec_hr" in expr
    assert _param(spec, "ec_control")["bind"]["input"] == "range" and _param(spec, "ec_hr")["bind"]["input"] == "range"


# ------------------------------------------------------------------------------------ every chart, the display
def _default_headline(spec, expr: str, controls: dict):
    """The headline the page shows before any control moves. A looked-up headline (``table[a + '|' + b]``): the
    table's entry for the controls' defaults, which must exist. A computed one (the expected-curves formula): it
    must read the controls, and the browser test checks its words."""
    params = {p["name"]: p for p in spec.get("params", [])}
    while expr in params and "expr" in params[expr]:  # a param computed from the controls (its own expression)
        expr = params[expr]["expr"]
    m = re.fullmatch(r"(\w+)\[(.*)\]", expr)
    if not m:
        assert any(name in expr for name in controls), f"the headline does not follow a control: {expr}"
        return spec.get("description", "")
    table = next(p["value"] for p in spec["params"] if p["name"] == m.group(1))
    key = "|".join(str(controls[t]) for t in re.split(r"\s*\+\s*'\|'\s*\+\s*", m.group(2).strip()))
    assert key in table, f"no headline for the default choices {key!r}"
    assert all(isinstance(v, list) and v for v in table.values()), "every headline is a list of lines"
    return " ".join(table[key])


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_spec_validates_is_small_and_accessible(tables, specs, name):
    spec = specs[name]  # to_dict() above validated it against the Vega-Lite schema
    assert spec["$schema"].endswith(f"v{__import__('altair').SCHEMA_VERSION.lstrip('v')}.json")
    assert len(spec["description"]) > 60  # ARIA label of the SVG
    title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
    controls = {p["name"]: p.get("value") for p in spec["params"] if "bind" in p}
    if isinstance(title, dict) and "expr" in title:  # a headline that follows the controls
        title = _default_headline(spec, title["expr"], controls)
    assert any(ch.isdigit() for ch in str(title)), "the title states a finding, with its number"
    binds = [p["bind"] for p in spec["params"] if "bind" in p]
    assert binds and all(b["input"] in ("checkbox", "radio", "select", "range") for b in binds)
    limit = 260_000 if name == "crosstalk" else 120_000
    assert live.spec_size(spec) < limit, live.spec_size(spec)
    assert "http" not in json.dumps(spec).replace(spec["$schema"], ""), "nothing is fetched"


def test_show_emits_the_vegalite_mime_bundle_and_plain_text(tables):
    shown = live.show(live.benefit_harm_chart(tables), lead="Hover a point.")
    bundle, meta = shown._repr_mimebundle_()
    assert set(bundle) == {live.VEGALITE_MIME, "text/plain"}
    assert bundle[live.VEGALITE_MIME]["description"] in bundle["text/plain"]
    assert meta[live.VEGALITE_MIME]["lead"] == "Hover a point."
    assert meta[live.VEGALITE_MIME]["embed_options"] == {"actions": False, "renderer": "svg"}


@pytest.mark.parametrize("name", list(CHARTS))
def test_plain_text_fallback_states_the_starting_headline(tables, specs, name):
    """Where no browser draws the chart (a terminal, nbval, the slide decks) its text names the headline a reader
    sees first, in words, never the Vega expression that makes it follow the controls."""
    text = live.show(CHARTS[name](tables))._repr_mimebundle_()[0]["text/plain"]
    headline = live.plain_title(specs[name])
    assert len(headline) > 20 and "expr" not in headline and "'" + "|" not in headline, headline
    assert text.startswith(headline), text[:200]


# ------------------------------------------------------------------------------------- the book extension
@pytest.fixture(scope="module")
def ext():
    spec = importlib.util.spec_from_file_location("live_charts", ROOT / "book" / "_ext" / "live_charts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_extension_renders_the_spec_offline_and_loads_the_vendored_scripts_when_needed(ext, tables):
    bundle, meta = live.show(live.benefit_harm_chart(tables), lead="A lead line.")._repr_mimebundle_()
    added = {}
    renderer = SimpleNamespace(add_js_file=lambda key, uri, kw: added.__setitem__(key, (uri, kw)))
    data = SimpleNamespace(mime_type=live.VEGALITE_MIME, content=bundle[live.VEGALITE_MIME], output_metadata=meta)
    (node,) = ext.LiveChartMime.handle_mime(renderer, data, False)
    text = node.astext()
    assert 'class="hrher2-live"' in text and "A lead line." in text and "</script></div>" in text
    assert text.count("<script") == 1 and 'type="application/json"' in text
    # until it is drawn, the box says what the chart shows
    assert "Live chart: " in text and html.escape(bundle[live.VEGALITE_MIME]["description"][:40]) in text
    # no Vega script in the page's head: only the small inline loader, which fetches the vendored files (by the
    # page's content root, never from another host) when a chart comes near
    assert [u for u, _ in added.values()] == [None]
    (loader,) = [kw["body"] for _, kw in added.values()]
    assert json.dumps(list(ext.VEGA_JS)) in loader and "IntersectionObserver" in loader and "beforeprint" in loader
    assert all(p.startswith("vendor/vega/") for p in ext.VEGA_JS) and "http" not in loader
    assert ext.LiveChartMime.handle_mime(renderer, SimpleNamespace(mime_type="text/html"), False) is None
    assert (ROOT / "scripts" / "vendor_js.py").read_text().count("vega-embed") >= 1
    assert [m for _, m, _ in ext.LiveChartMime.mime_priority_overrides] == [live.VEGALITE_MIME] * 3


def test_crosstalk_route_list_has_a_slot_for_every_open_route(tables, specs):
    """The page lists the open routes in fixed slots: there must be enough for the busiest combination."""
    views = specs["crosstalk"]["datasets"]["xt_views"]
    busiest = max(len(v["r"].split(";")) for v in views if v["r"])
    text = json.dumps(specs["crosstalk"])
    assert f'"domain": {json.dumps(list(range(busiest)))}' in text.replace('"domain":[', '"domain": [')


# ------------------------------------------------------------------------------------------------------ case
def test_case_chart_shows_case_data_for_every_case_the_menus_allow(tables, specs):
    """The page's own expressions, run in Node for all 81 answers of the four menus: the filter keeps the grid only for
    a case case_data accepts; then every cell's mark is that study's verdict for that feature (the HR+/HER2+ column:
    whether the study shows such a result), every row's words are its overall verdict, the rows are in case_data's
    order, and the headline names the case and case_data's finding; a self-contradictory case keeps nothing and
    its headline says why, in case_data's own words."""
    spec = specs["case"]
    layer = next(l for l in spec["layer"] if l.get("mark", {}).get("type", l.get("mark")) == "point"
                 or (isinstance(l.get("mark"), dict) and l["mark"]["type"] == "point"))
    steps = layer["transform"]
    filt = next(t["filter"] for t in steps if "filter" in t)
    calcs = [(t["as"], t["calculate"]) for t in steps if "calculate" in t]
    params = {p["name"]: p for p in spec["params"]}
    names = [f"ce_{k}" for k in eligibility.CASE_OPTIONS]
    assert [params[n]["bind"]["options"] for n in names] == list(eligibility.CASE_OPTIONS.values())
    cells = spec["datasets"]["ce_cells"]
    every = eligibility.every_case(tables["trial_results"])
    cases = [list(c) for c in every]
    head_key = re.fullmatch(r"ce_headlines\[(.*)\]", spec["title"]["text"]["expr"]).group(1)
    program = f"""
const names = {json.dumps(names)};
const ce_lut = {json.dumps(params["ce_lut"]["value"])};
const ce_headlines = {json.dumps(params["ce_headlines"]["value"])};
const isObject = x => x !== null && typeof x === 'object';
const keep = new Function(...names, 'ce_lut', 'isObject', 'datum', 'return (' + {json.dumps(filt)} + ');');
const calcs = {json.dumps(calcs)}.map(([as, e]) => [as, new Function(...names, 'ce_lut', 'datum', 'return (' + e + ');')]);
const head = new Function(...names, 'ce_headlines', 'return ce_headlines[' + {json.dumps(head_key)} + '];');
const cells = {json.dumps(cells)};
const out = {json.dumps(cases)}.map(c => {{
  const rows = cells.filter(d => keep(...c, ce_lut, isObject, d)).map(d => {{
    const r = Object.assign({{}}, d);
    for (const [as, f] of calcs) r[as] = f(...c, ce_lut, r);
    return r;
  }});
  return {{rows: rows, head: head(...c, ce_headlines)}};
}});
console.log(JSON.stringify(out));
"""
    results = _run_vega_expressions(program)
    columns = {header: col for col, header, _ in live._CE_COLS}
    short = live._CE_OVERALL
    for case, got in zip(every, results):
        tidy = every[case]
        said = " ".join(got["head"])
        assert said.startswith(f"The case: {case[0]}, {case[1]}, prior anti-HER2 therapy: {case[2]}, {case[3]}."), said
        if isinstance(tidy, str):
            assert got["rows"] == [] and said.endswith("Cannot show this case: " + tidy), (case, said)
            continue
        assert said.endswith(eligibility.case_finding(tidy) + "."), (case, said)
        assert len(got["rows"]) == len(tidy) * len(columns)
        want = tidy.set_index("trial")
        for r in got["rows"]:
            value = want.loc[r["trial"], columns[r["column"]]]
            assert r["mark"] == live._ce_mark(columns[r["column"]], value), (case, r["trial"], r["column"])
            assert r["verdict"] == short[want.loc[r["trial"], "overall"]], (case, r["trial"])
            assert r["rank"] == list(tidy["trial"]).index(r["trial"]), (case, r["trial"])
            assert r["enrolled"] == want.loc[r["trial"], "overall"].startswith("enrolled")
    first = eligibility.case_data(tables["trial_results"])
    assert live.plain_title(spec).endswith(eligibility.case_finding(first) + ".")
    assert "not a recommendation" in " ".join(spec["title"]["subtitle"])


def test_case_chart_marks_and_sources(tables, specs):
    """Every mark a cell can show has one entry in the legend's scales (shape, outline and fill); a cell's tooltip
    source is the population's own source for that feature; bad input is answered in words."""
    spec = specs["case"]
    point = next(l for l in spec["layer"] if isinstance(l.get("mark"), dict) and l["mark"]["type"] == "point")
    enc = point["encoding"]
    names = [m[0] for m in live._CE_MARKS]
    for ch in ("shape", "stroke", "fill"):
        assert enc[ch]["scale"]["domain"] == names and len(enc[ch]["scale"]["range"]) == len(names)
    pops = eligibility.populations().set_index("trial")
    sources = {"Line of therapy": "line_source", "Prior anti-HER2": "prior_source",
               "Menopausal status": "menopause_source", "Visceral disease": "visceral_source"}
    for c in spec["datasets"]["ce_cells"]:
        if c["column"] in sources:
            assert c["source"] == pops.loc[c["trial"], sources[c["column"]]], c
    assert "Menopausal status: 'male'" in _says(live.case_chart(tables, menopause="male"))
