"""The pathway model (lessons 02–03): reachability, blocking, negative links, loops, the menopause switch and route
summaries on small graphs made here; then the review's teaching points on the real tables; then draw and interact."""
from __future__ import annotations

import itertools
import time

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from hrher2 import palette, pathway, plots, widgets


# ------------------------------------------------------------------------------------------- small hand-made graphs
def _frames(node_specs, edge_specs, target_specs=()):
    """node_specs: (id, pathway); edge_specs: (source, target[, relation[, crosstalk[, context]]]);
    target_specs: (class, node[, effect])."""
    nodes = pd.DataFrame([{"node_id": n, "label": f"{n} (note)", "pathway": p, "kind": "kinase", "layer": i,
                           "row": 0} for i, (n, p) in enumerate(node_specs)])
    rows = []
    for spec in edge_specs:
        s, t, rel, xt, ctx = tuple(spec) + ("activates", "none", "")[len(spec) - 2:]
        rows.append({"edge_id": f"{s}_to_{t}", "source": s, "target": t, "relation": rel, "crosstalk": xt,
                     "context": ctx or None, "explanation": f"{s} acts on {t}.", "refs": "1"})
    edges = pd.DataFrame(rows)
    targets = pd.DataFrame([{"drug_class": c, "node_id": n, "effect": (e[0] if e else "blocks")}
                            for c, n, *e in target_specs], columns=["drug_class", "node_id", "effect"])
    return nodes, edges, targets


def _status(nodes, edges, targets, classes=(), menopause="postmenopausal"):
    st = pathway.reachability(nodes, edges, targets, classes, menopause)
    return dict(zip(st["node_id"], st["status"]))


LINE = _frames([("S", "HER family"), ("A", "MAPK"), ("B", "MAPK"), ("OUT", "outcome")],
               [("S", "A"), ("A", "B"), ("B", "OUT")], [("drugA", "A"), ("drugB", "B")])


def test_linear_chain_is_active_without_drugs_and_cut_off_below_a_block():
    assert set(_status(*LINE).values()) == {"active"}
    st = _status(*LINE, classes=["drugA"])
    assert st == {"S": "active", "A": "blocked", "B": "cut off", "OUT": "cut off"}
    frame = pathway.reachability(*LINE, ["drugA"])
    assert list(frame.columns) == ["node_id", "label", "pathway", "status", "blocked_by"]
    assert frame.set_index("node_id").loc["A", "blocked_by"] == "drugA"


def test_blocked_nodes_maps_each_node_to_the_classes_acting_on_it():
    nodes, edges, targets = LINE
    targets = pd.concat([targets, pd.DataFrame([{"drug_class": "drugB", "node_id": "A", "effect": "blocks"}])])
    assert pathway.blocked_nodes(targets, ["drugA", "drugB"]) == {"A": ["drugA", "drugB"], "B": ["drugB"]}
    assert pathway.blocked_nodes(targets, []) == {}


def test_negative_links_are_brakes_not_routes():
    for relation in ("downregulates", "inhibits"):
        g = _frames([("S", "HER family"), ("X", "ER genomic"), ("OUT", "outcome")],
                    [("S", "X", relation), ("X", "OUT")])
        st = _status(*g)
        assert st["X"] == "cut off" and st["OUT"] == "cut off"
        assert pathway.open_routes(*g).empty


def test_loops_do_not_trap_the_search_and_routes_are_simple_paths():
    g = _frames([("S", "HER family"), ("A", "MAPK"), ("B", "ER genomic"), ("OUT", "outcome")],
                [("S", "A"), ("A", "B", "phosphorylates", "HER2 to ER"), ("B", "A", "activates", "ER to HER2"),
                 ("B", "OUT")], [("drugB", "B")])
    assert set(_status(*g).values()) == {"active"}
    routes = pathway.open_routes(*g)
    assert len(routes) == 1 and routes["nodes"].iloc[0] == ("S", "A", "B", "OUT")
    assert routes["crosstalk"].iloc[0] == "HER2 to ER" and bool(routes["through_er"].iloc[0])
    assert _status(*g, classes=["drugB"])["OUT"] == "cut off"


def test_menopause_switch_decides_which_estrogen_source_works():
    g = _frames([("andro", "estrogen supply"), ("ovary", "estrogen supply"), ("fat", "estrogen supply"),
                 ("E", "estrogen supply"), ("ER", "ER genomic"), ("OUT", "outcome")],
                [("andro", "ovary", "binds", "none", "premenopausal"), ("andro", "fat", "binds", "none", "postmenopausal"),
                 ("ovary", "E", "converts to", "none", "premenopausal"),
                 ("fat", "E", "converts to", "none", "postmenopausal"), ("E", "ER"), ("ER", "OUT")],
                [("AI", "fat"), ("OFS", "ovary", "removes")])
    post, pre = _status(*g), _status(*g, menopause="premenopausal")
    assert post["fat"] == "active" and post["ovary"] == "cut off"
    assert pre["ovary"] == "active" and pre["fat"] == "cut off"
    assert _status(*g, classes=["AI"])["OUT"] == "cut off"                      # AI works after menopause
    assert _status(*g, classes=["AI"], menopause="premenopausal")["OUT"] == "active"   # not alone before it
    assert _status(*g, classes=["AI", "OFS"], menopause="premenopausal")["OUT"] == "cut off"
    text = " ".join(pathway.explain(*g, ["AI"], "premenopausal", outcome="OUT"))
    assert "does not work in the premenopausal setting" in text


def test_parallel_routes_one_block_leaves_the_other_and_names_what_would_close_it():
    g = _frames([("S", "HER family"), ("A", "MAPK"), ("B", "PI3K-AKT-mTOR"), ("C", "cell cycle"), ("OUT", "outcome")],
                [("S", "A"), ("S", "B"), ("A", "C"), ("B", "C"), ("C", "OUT")],
                [("drugA", "A"), ("drugB", "B"), ("drugC", "C")])
    routes = pathway.open_routes(*g, ["drugA"])
    assert len(routes) == 1 and "B" in routes["nodes"].iloc[0] and "A" not in routes["nodes"].iloc[0]
    assert routes["closable_by"].iloc[0] == "drugB; drugC"
    assert pathway.open_routes(*g, ["drugC"]).empty
    both = pathway.open_routes(*g)
    assert len(both) == 1 and both["variants"].iloc[0] == 2 and both["via"].iloc[0] == "MAPK; PI3K-AKT-mTOR"
    assert both["closable_by"].iloc[0] == "drugC"   # only the shared node closes every variant


def test_a_longer_path_with_a_shortcut_is_not_a_separate_route():
    g = _frames([("S", "HER family"), ("A", "MAPK"), ("X", "ER genomic"), ("OUT", "outcome")],
                [("S", "A"), ("A", "OUT"), ("A", "X", "phosphorylates", "HER2 to ER"), ("X", "OUT")],
                [("drugA", "A"), ("drugX", "X")])
    routes = pathway.open_routes(*g)
    assert len(routes) == 1 and routes["nodes"].iloc[0] == ("S", "A", "OUT")


def test_cell_killing_drugs_leave_the_signal_but_kill_at_the_outcome():
    g = _frames([("S", "HER family"), ("A", "MAPK"), ("proliferation", "outcome")],
                [("S", "A"), ("A", "proliferation")], [("chemo", "proliferation", "kills cell")])
    routes = pathway.open_routes(*g, ["chemo"])
    assert len(routes) == 1 and routes["killed_by"].iloc[0] == "chemo"
    assert _status(*g, classes=["chemo"])["proliferation"] == "blocked"
    assert "kills dividing cells" in plots.pathway_title(routes, ["chemo"])
    assert pathway.route_counts(routes)["open"] == 0


def test_route_names_and_explanations_come_from_the_data():
    routes = pathway.open_routes(*LINE)
    r = routes.iloc[0]
    assert r["route"] == "S → A–B → OUT"            # labels without their notes; the kinase cascade joined by '–'
    assert r["explanations"] == ("S acts on A.", "A acts on B.", "B acts on OUT.")
    steps = pathway.route_steps(routes, LINE[0], LINE[1])
    assert list(steps["step"]) == [1, 2, 3] and steps["explanation"].iloc[1] == "A acts on B."


def test_bad_input_is_explained_in_words():
    with pytest.raises(ValueError, match=r"Unknown drug class 'drugZ': choose from drugA, drugB"):
        pathway.reachability(*LINE, ["drugZ"])
    with pytest.raises(ValueError, match=r"Unknown menopausal status 'peri'"):
        pathway.open_routes(*LINE, [], "peri")
    nodes, edges, targets = LINE
    broken = pd.concat([edges, pd.DataFrame([{"edge_id": "S_to_Q", "source": "S", "target": "Q",
                                              "relation": "activates", "crosstalk": "none"}])])
    with pytest.raises(ValueError, match=r"row 5 \(S_to_Q\): 'Q' is not a node_id"):
        pathway.reachability(nodes, broken, targets)


# ----------------------------------------------------------------------------------------- the real data: teaching
def _t(tables):
    return tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"]


def _prolif(tables, classes, menopause="postmenopausal"):
    r = pathway.open_routes(*_t(tables), classes, menopause, outcome="proliferation")
    return r[r["killed_by"] == ""]


def test_sources_and_outcomes_are_those_the_data_author_names(tables):
    model = pathway._model(*_t(tables))
    assert set(model.sources) == {"HER2_amp", "EGF_ligands", "androgens", "PD_L1"}
    assert set(model.outcomes) == {"proliferation", "survival", "migration"}
    loops = pathway.crosstalk_loops(*_t(tables))
    assert len(loops) == 2   # ER -> growth factors -> HER1 ... -> ER, and ER -> growth factors -> PI3K -> AKT -> ER


def test_anti_her2_antibody_alone_leaves_an_er_route_to_proliferation(tables):
    r = _prolif(tables, ["anti-HER2 antibody"])
    estrogen = r[r["source"] == "androgens"]
    assert not estrogen.empty and estrogen["through_er"].all()
    assert any("ER_nuclear" in n for n in estrogen["nodes"])
    assert not (r["source"] == "HER2_amp").any()   # the amplified receptor itself is shut


def test_serd_or_postmenopausal_ai_alone_leaves_the_her2_route(tables):
    for classes in (["SERD"], ["aromatase inhibitor"]):
        r = _prolif(tables, classes)
        assert (r["source"] == "HER2_amp").any(), classes
        assert not (r["source"] == "androgens").any(), classes   # the estrogen-driven routes are shut
    assert not _prolif(tables, ["SERD"])["through_er"].any()


def test_dual_blockade_closes_most_and_a_cdk46_inhibitor_closes_the_convergence(tables):
    single = min(len(_prolif(tables, ["anti-HER2 antibody"])), len(_prolif(tables, ["SERD"])))
    dual = _prolif(tables, ["anti-HER2 antibody", "SERD"])
    assert len(dual) < single and not dual["through_er"].any()
    assert (dual["exit"] == "cyclinD1").all()                  # what is left runs through cyclin D-CDK4/6
    triple = _prolif(tables, ["anti-HER2 antibody", "SERD", "CDK4/6 inhibitor"])
    assert triple.empty
    st = pathway.reachability(*_t(tables), ["anti-HER2 antibody", "SERD", "CDK4/6 inhibitor"]).set_index("node_id")
    assert st.loc["CDK46", "status"] == "blocked" and st.loc["proliferation", "status"] == "cut off"


def test_ai_alone_before_menopause_leaves_ovarian_estrogen_unless_ofs(tables):
    r = _prolif(tables, ["aromatase inhibitor"], "premenopausal")
    ovarian = r[r["nodes"].apply(lambda n: "ovarian_aromatase" in n)]
    assert not ovarian.empty
    assert "ovaries" in ovarian["key_explanation"].iloc[0]    # the data's own sentence says why
    both = _prolif(tables, ["aromatase inhibitor", "ovarian function suppression"], "premenopausal")
    assert not (both["source"] == "androgens").any()
    text = " ".join(pathway.explain(*_t(tables), ["aromatase inhibitor"], "premenopausal"))
    assert "Peripheral aromatase" in text and "closes nothing" in text


def test_cdk46_inhibitor_alone_leaves_the_myc_bypass(tables):
    r = _prolif(tables, ["CDK4/6 inhibitor"])
    assert not r.empty and (r["exit"] == "MYC").all()


def test_calls_are_fast_enough_to_precompute_every_combination(tables):
    t = _t(tables)
    classes = pathway.drug_classes(t[2])
    combos = [c for k in (0, 1, 2, 3) for c in itertools.combinations(classes, k)]
    pathway.open_routes(*t, [])
    start = time.perf_counter()
    for c in combos:
        pathway.open_routes(*t, c)
    per_call = (time.perf_counter() - start) / len(combos)
    assert per_call < 0.02   # about 1 ms on the course machine; generous bound for slow CI


def test_a_frame_edited_in_place_gives_the_same_answer_as_an_edited_copy(tables):
    """The model is cached on the tables' content, not on the frame objects: data.load promises callers may modify
    what it returns, so an edit in place must count. Removing the links out of peripheral aromatase (estrogen's source after menopause) cuts nodes off."""
    nodes, edges, targets = (t.copy() for t in _t(tables))
    active = lambda e: int((pathway.reachability(nodes, e, targets)["status"] == "active").sum())  # noqa: E731
    before = active(edges)
    cut = edges["source"].eq("peripheral_aromatase")  # after menopause, the estrogen supply
    edited_copy = edges.loc[~cut].reset_index(drop=True)
    expected = active(edited_copy)
    assert expected < before, "the edit should cut some nodes off (else the test proves nothing)"
    # the same object as before, edited in place: rows removed, then one target renamed
    edges.drop(index=edges.index[cut], inplace=True)
    edges.reset_index(drop=True, inplace=True)
    assert active(edges) == expected
    renamed = edges.copy()
    edges.loc[0, "target"] = edges.loc[1, "target"]
    renamed.loc[0, "target"] = renamed.loc[1, "target"]
    assert active(edges) == active(renamed)


# ----------------------------------------------------------------------------------------------- draw and interact
def test_title_states_the_finding(tables):
    t = _t(tables)
    r = pathway.open_routes(*t, ["anti-HER2 antibody"])
    title = plots.pathway_title(r, ["anti-HER2 antibody"])
    n = pathway.route_counts(r)
    assert title.startswith("Anti-HER2 antibody alone: ") and f"{n['open']} routes to proliferation stay open" in title
    assert "through ER" in title
    assert plots.pathway_title(pathway.open_routes(*t, ["SERD"]), ["SERD"]).endswith("all through HER receptors")
    closed = ["anti-HER2 antibody", "SERD", "CDK4/6 inhibitor"]
    assert plots.pathway_title(pathway.open_routes(*t, closed), closed).endswith("every route to proliferation is closed")


def _colour(c):
    return mcolors.to_hex(c, keep_alpha=False).lower()


def test_figure_draws_every_node_greys_blocked_ones_and_dashes_crosstalk(tables):
    t = _t(tables)
    s = pathway.scenario(*t, ["SERD"])
    fig = plots.pathway_figure(t[0], t[1], s["status"], s["highlight"], title="x")
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
    arrows = [p for p in ax.patches if type(p).__name__ == "FancyArrowPatch"]
    assert len(boxes) == len(t[0]) and len(arrows) == len(t[1])
    hatched = [b for b in boxes if b.get_hatch()]
    assert len(hatched) == (s["status"]["status"] == "blocked").sum() == 2     # nuclear and membrane ER
    purple = [a for a in arrows if _colour(a.get_edgecolor()) == palette.PATHWAY["crosstalk"].lower()]
    assert purple and all(a.get_linestyle() != "-" for a in purple)
    thick = [a for a in arrows if a.get_linewidth() > 2]
    assert len(thick) == len(s["highlight"]) > 0
    sub = plots.pathway_figure(t[0], t[1], subset=["HER2", "HER3", "HER_dimer"])
    assert len([p for p in sub.axes[0].patches if type(p).__name__ == "FancyBboxPatch"]) == 3


def test_alt_text_is_generated_from_the_data(tables):
    t = _t(tables)
    s = pathway.scenario(*t, ["anti-HER2 antibody"])
    alt = plots.pathway_alt(t[0], t[1], s["status"], s["routes"])
    assert f"{len(t[0])} nodes and {len(t[1])} links" in alt
    assert "HER2 (by anti-HER2 antibody)" in alt and "Setting: postmenopausal" in alt
    for route in s["routes"].query("outcome == 'proliferation'")["route"]:
        assert route in alt


def test_crosstalk_view_default_and_bad_input(tables):
    fig_html, text_html = widgets.crosstalk_view(tables)
    assert fig_html.startswith("<figure") and "Anti-HER2 antibody alone" in fig_html
    assert "<ol>" in text_html and "Estrogen" in text_html
    bad, empty = widgets.crosstalk_view(tables, ["not a drug"])
    assert 'role="alert"' in bad and "Unknown drug class 'not a drug'" in bad.replace("&#x27;", "'") and empty == ""
    bad, _ = widgets.crosstalk_view({}, [])
    assert 'role="alert"' in bad
