"""Compute: the signalling graph of lessons 02–03 and what each drug class leaves open.

The graph is a teaching simplification of the review's Figure 1, built from ``pathway_nodes``, ``pathway_edges`` and
``drug_targets``. Rules of the model:

- **Sources** are the nodes with no incoming link (HER2 gene amplification, EGF-family ligands, androgens, PD-L1);
  they are always "on". **Outcomes** are the nodes whose ``pathway`` is ``'outcome'``.
- A signal travels along positive links only. Links whose ``relation`` is ``'downregulates'`` or ``'inhibits'`` are
  negative (a brake, not a route) and are never followed.
- The menopause switch decides which estrogen source works: a link whose ``context`` names the *other* menopausal
  status does not operate. Other contexts (e.g. 'low estrogen') describe when the review says a link matters; the
  model keeps those links on.
- A drug class blocks the nodes it targets in ``drug_targets``. A node is **blocked** if a chosen class targets it,
  **active** if a signal from some source reaches it without passing through a blocked node, and **cut off**
  otherwise. ``'kills cell'`` targets (chemotherapy, the ADC payload) block the outcome node itself: signals may still
  reach it, but dividing cells are killed.
- Open routes are summarised, not counted: a simple path is kept only if no other open path uses a strict subset of
  its nodes (a longer path with a shortcut adds no new escape), and the kept paths are grouped into *route families*
  by where they start, which crosstalk they use and where they enter the outcome's machinery (cyclin D1 or MYC for
  proliferation). Each family is shown by its shortest open path with the data's own explanation of every step.

Everything is pure: tables in, tidy frames or plain values out. The graph and its path list are cached per table
content, so a call costs well under 5 ms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # networkx takes ~0.2 s to import: loaded on first use, so importing the package stays fast
    import networkx as nx


def _nx():
    import networkx

    return networkx

__all__ = ["MENOPAUSE", "NEGATIVE_RELATIONS", "CROSSTALK", "short_label", "drug_classes", "build_graph",
           "blocked_nodes", "reachability", "open_routes", "route_steps", "explain", "scenario_label",
           "route_counts", "crosstalk_loops", "route_edges", "scenario", "every_scenario"]

#: The two settings of the menopause switch.
MENOPAUSE = ("postmenopausal", "premenopausal")
#: Relations that are brakes, not routes.
NEGATIVE_RELATIONS = frozenset({"downregulates", "inhibits"})
#: Crosstalk directions named in ``pathway_edges.crosstalk``.
CROSSTALK = ("HER2 to ER", "ER to HER2")

_OTHER = {"postmenopausal": "premenopausal", "premenopausal": "postmenopausal"}
_ER_MODULES = frozenset({"ER genomic", "ER non-genomic"})
_HER_MODULES = frozenset({"HER family"})
_CASCADE_KINDS = frozenset({"kinase", "enzyme"})
_CASCADES = ("MAPK", "PI3K-AKT-mTOR")


def _s(value) -> str:
    """A cell as a plain string ('' for missing)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def short_label(label: str) -> str:
    """A node label without its parenthetical notes: 'ERK (MAPK)' -> 'ERK'."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip() or label


def _check_menopause(menopause: str) -> str:
    if menopause not in MENOPAUSE:
        raise ValueError(f"Unknown menopausal status {menopause!r}: choose 'postmenopausal' or 'premenopausal'.")
    return menopause


def _operates(context: str, menopause: str | None) -> bool:
    return menopause is None or _OTHER[menopause] not in context.lower()


# ----------------------------------------------------------------------------------------------- the cached model
@dataclass
class _Model:
    graph: nx.DiGraph                     # every link, with attributes
    labels: dict
    short: dict
    module: dict
    kind: dict
    sources: list
    outcomes: list
    targets: dict                         # drug class -> tuple of (node_id, effect)
    classes: list                         # drug classes in table order
    paths: dict = field(default_factory=dict)  # menopause -> list of _Path


@dataclass(frozen=True)
class _Path:
    nodes: tuple
    edges: tuple
    inner: frozenset                      # nodes except the outcome
    nodeset: frozenset
    supersets_of: tuple                   # indices of paths whose nodes are a strict subset of this one's (same ends)


_CACHE: dict = {}
_COLUMNS = {"pathway_nodes": ("node_id", "label", "pathway", "kind"),
            "pathway_edges": ("edge_id", "source", "target", "relation", "crosstalk", "context"),
            "drug_targets": ("drug_class", "node_id", "effect")}


def _fingerprint(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame) -> tuple:
    """A key from the content of the columns the model reads (never from the frames' identity: a caller may edit
    a frame in place, and the same object must then give a new model)."""
    key = []
    for (name, cols), frame in zip(_COLUMNS.items(), (nodes, edges, drug_targets)):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} lacks column(s) {', '.join(missing)}.")
        key.append(tuple(tuple(frame[c].tolist()) for c in cols))  # the values themselves: ~0.1 ms for the tables
    return tuple(key)


def _model(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame) -> _Model:
    key = _fingerprint(nodes, edges, drug_targets)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    graph = build_graph(nodes, edges)
    ids = [_s(x) for x in nodes["node_id"]]
    labels = dict(zip(ids, map(_s, nodes["label"])))
    targets: dict = {}
    for cls, node, effect in zip(map(_s, drug_targets["drug_class"]), map(_s, drug_targets["node_id"]),
                                 map(_s, drug_targets["effect"])):
        if node not in labels:
            raise ValueError(f"drug_targets: class {cls!r} targets {node!r}, which is not a node of pathway_nodes.")
        targets.setdefault(cls, []).append((node, effect))
    model = _Model(
        graph=graph, labels=labels, short={k: short_label(v) for k, v in labels.items()},
        module=dict(zip(ids, map(_s, nodes["pathway"]))), kind=dict(zip(ids, map(_s, nodes["kind"]))),
        sources=[n for n in ids if graph.in_degree(n) == 0],
        outcomes=[n for n, m in zip(ids, map(_s, nodes["pathway"])) if m == "outcome"],
        targets={k: tuple(v) for k, v in targets.items()}, classes=list(targets))
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[key] = model
    return model


def _operating(model: _Model, menopause: str) -> nx.DiGraph:
    keep = [(u, v) for u, v, d in model.graph.edges(data=True)
            if not d["negative"] and _operates(d["context"], menopause)]
    return model.graph.edge_subgraph(keep)


def _paths(model: _Model, menopause: str) -> list:
    if menopause in model.paths:
        return model.paths[menopause]
    g = _operating(model, menopause)
    raw = []
    for s in model.sources:
        for o in model.outcomes:
            if s in g and o in g:
                raw.extend((s, o, tuple(p)) for p in _nx().all_simple_paths(g, s, o))
    sets = [frozenset(p) for _, _, p in raw]
    out = []
    for i, (s, o, p) in enumerate(raw):
        subs = tuple(j for j, (s2, o2, _) in enumerate(raw)
                     if j != i and s2 == s and o2 == o and sets[j] < sets[i])
        out.append(_Path(nodes=p, edges=tuple(g.edges[u, v]["edge_id"] for u, v in zip(p, p[1:])),
                         inner=frozenset(p[:-1]), nodeset=sets[i], supersets_of=subs))
    model.paths[menopause] = out
    return out


# ------------------------------------------------------------------------------------------------- public API
def build_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.DiGraph:
    """Every node and link as a directed graph. Link attributes: edge_id, relation, crosstalk, context, explanation,
    refs and ``negative`` (True for 'downregulates'/'inhibits'). Raises ValueError naming a link to an unknown node."""
    g = _nx().DiGraph()
    for r in nodes.itertuples(index=False):
        g.add_node(_s(r.node_id), label=_s(r.label), pathway=_s(r.pathway))
    for i, r in enumerate(edges.itertuples(index=False), start=2):
        for end in (r.source, r.target):
            if _s(end) not in g:
                raise ValueError(f"pathway_edges.csv row {i} ({_s(r.edge_id)}): {_s(end)!r} is not a node_id "
                                 "of pathway_nodes.")
        g.add_edge(_s(r.source), _s(r.target), edge_id=_s(r.edge_id), relation=_s(r.relation),
                   crosstalk=_s(r.crosstalk) or "none", context=_s(r.context),
                   explanation=_s(getattr(r, "explanation", "")), refs=_s(getattr(r, "refs", "")),
                   negative=_s(r.relation) in NEGATIVE_RELATIONS)
    return g


def drug_classes(drug_targets: pd.DataFrame) -> list[str]:
    """The drug classes of ``drug_targets``, in table order."""
    return list(dict.fromkeys(map(_s, drug_targets["drug_class"])))


def _check_classes(known: list, classes) -> tuple:
    if isinstance(classes, str):
        classes = [classes]
    classes = tuple(dict.fromkeys(_s(c) for c in (classes or ())))
    unknown = [c for c in classes if c not in known]
    if unknown:
        raise ValueError(f"Unknown drug class {', '.join(map(repr, unknown))}: choose from {', '.join(known)}.")
    return classes


def blocked_nodes(drug_targets: pd.DataFrame, classes) -> dict[str, list[str]]:
    """Node id -> the chosen drug classes that act on it (block, remove, degrade or kill). Unknown class: ValueError."""
    classes = _check_classes(drug_classes(drug_targets), classes)
    out: dict = {}
    for cls, node in zip(map(_s, drug_targets["drug_class"]), map(_s, drug_targets["node_id"])):
        if cls in classes:
            out.setdefault(node, [])
            if cls not in out[node]:
                out[node].append(cls)
    return out


def _reach(model: _Model, blocked: set, menopause: str) -> set:
    g = _operating(model, menopause)
    seen = set()
    stack = [s for s in model.sources if s not in blocked]
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        if n in g:
            stack.extend(v for v in g.successors(n) if v not in blocked and v not in seen)
    return seen


def reachability(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame, classes=(),
                 menopause: str = "postmenopausal") -> pd.DataFrame:
    """One row per node: node_id, label, pathway, status ('blocked', 'active' or 'cut off') and blocked_by (the chosen
    classes acting on it, '; '-separated). Loops are fine; negative links are never followed."""
    menopause = _check_menopause(menopause)
    model = _model(nodes, edges, drug_targets)
    by = blocked_nodes(drug_targets, classes)
    reached = _reach(model, set(by), menopause)
    rows = [(n, model.labels[n], model.module[n],
             "blocked" if n in by else ("active" if n in reached else "cut off"), "; ".join(by.get(n, ())))
            for n in model.labels]
    out = pd.DataFrame(rows, columns=["node_id", "label", "pathway", "status", "blocked_by"])
    out.attrs.update(classes=_check_classes(model.classes, classes), menopause=menopause)
    return out


def _runs(model: _Model, path: tuple) -> list:
    runs: list = []
    for n in path:
        if runs and model.module[runs[-1][-1]] == model.module[n]:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _route_name(model: _Model, path: tuple) -> str:
    """'HER2 gene amplification → HER2 → RAS–RAF–MEK–ERK → Cyclin D1 → Cell proliferation': the path cut into runs of
    one module; kinase cascades joined by '–', the first run spelled out, the cell-cycle engine named by its entry
    node, other runs by their last node; ⇒ marks a crosstalk step."""
    parts = []
    runs = _runs(model, path)
    for k, run in enumerate(runs):
        if len(run) > 1 and all(model.kind[n] in _CASCADE_KINDS for n in run):
            name = "–".join(model.short[n] for n in run)
        elif model.module[run[0]] == "cell cycle":
            name = model.short[run[0]]
        elif k == 0:  # where the route starts: every step, so the source (and e.g. which aromatase) stays visible
            name = " → ".join(model.short[n] for n in run)
        else:
            name = model.short[run[-1]]
        if k:
            prev = runs[k - 1][-1]
            arrow = " ⇒ " if model.graph.edges[prev, run[0]]["crosstalk"] != "none" else " → "
            parts.append(arrow)
        parts.append(name)
    return "".join(parts)


def _exit(model: _Model, path: tuple) -> str:
    for n in path:
        if model.module[n] == "cell cycle":
            return n
    return path[-2] if len(path) > 1 else path[0]


def _crosstalk(model: _Model, path: tuple) -> tuple:
    seen = []
    for u, v in zip(path, path[1:]):
        x = model.graph.edges[u, v]["crosstalk"]
        if x != "none" and x not in seen:
            seen.append(x)
    return tuple(seen)


def _key_edge(model: _Model, path: tuple, blocked: set) -> tuple:
    """The step that best says why the route is open: where it turns away from a blocked node (any link, any
    menopause), else its first crosstalk step, else where it joins the outcome's machinery."""
    g = model.graph
    pairs = list(zip(path, path[1:]))
    if blocked:
        for u, v in pairs:
            if any(w != v and w in blocked and not g.edges[u, w]["negative"] for w in g.successors(u)):
                return u, v
    for u, v in pairs:
        if g.edges[u, v]["crosstalk"] != "none":
            return u, v
    ex = _exit(model, path)
    i = path.index(ex)
    if i + 2 == len(path):  # the entry node feeds the outcome directly (e.g. MYC): its own step says why
        return path[i], path[i + 1]
    return path[i - 1], path[i]


_ROUTE_COLUMNS = ["outcome", "outcome_label", "route", "source", "source_label", "exit", "exit_label", "crosstalk",
                  "through_er", "through_her", "via", "nodes", "edges", "explanations", "key_edge", "key_explanation",
                  "variants", "closable_by", "killed_by"]


def _route_rows(nodes, edges, drug_targets, classes, menopause, outcome) -> tuple:
    menopause = _check_menopause(menopause)
    model = _model(nodes, edges, drug_targets)
    classes = _check_classes(model.classes, classes)
    if outcome is not None and outcome not in model.outcomes:
        raise ValueError(f"{outcome!r} is not an outcome node: choose from {', '.join(model.outcomes)}.")
    by = blocked_nodes(drug_targets, classes)
    blocked = set(by)
    paths = _paths(model, menopause)
    is_open = [not (p.inner & blocked) for p in paths]
    families: dict = {}
    for i, p in enumerate(paths):
        if not is_open[i] or (outcome is not None and p.nodes[-1] != outcome):
            continue
        if any(is_open[j] for j in p.supersets_of):
            continue  # a shorter open path uses a subset of these nodes: no new escape
        key = (p.nodes[-1], p.nodes[0], _crosstalk(model, p.nodes), _exit(model, p.nodes))
        families.setdefault(key, []).append(p)
    others = [c for c in model.classes if c not in classes]
    rows = []
    for (out, src, xt, ex), members in families.items():
        best = min(members, key=lambda p: (len(p.nodes), p.edges))
        nodes_ = best.nodes
        g = model.graph
        pairs = list(zip(nodes_, nodes_[1:]))
        ke = _key_edge(model, nodes_, blocked)
        closable = [c for c in others
                    if all(any(n in m.inner for n, eff in model.targets[c] if eff != "kills cell") for m in members)]
        rows.append({
            "outcome": out, "outcome_label": model.labels[out], "route": _route_name(model, nodes_),
            "source": src, "source_label": model.labels[src], "exit": ex, "exit_label": model.labels[ex],
            "crosstalk": "; ".join(xt) or "none",
            "through_er": any(model.module[n] in _ER_MODULES for n in nodes_),
            "through_her": any(model.module[n] in _HER_MODULES for n in nodes_),
            "via": "; ".join(dict.fromkeys(model.module[n] for m in members for n in m.nodes
                                           if model.module[n] in _CASCADES)),
            "nodes": nodes_, "edges": best.edges,
            "explanations": tuple(g.edges[u, v]["explanation"] for u, v in pairs),
            "key_edge": g.edges[ke]["edge_id"], "key_explanation": g.edges[ke]["explanation"],
            "variants": len(members), "closable_by": "; ".join(closable), "killed_by": "; ".join(by.get(out, ())),
        })
    order = {o: i for i, o in enumerate(model.outcomes)}
    src_order = {s: i for i, s in enumerate(model.sources)}
    rows.sort(key=lambda r: (order[r["outcome"]], src_order[r["source"]], r["crosstalk"] != "none",
                             len(r["nodes"]), r["edges"]))
    return rows, classes, menopause


def open_routes(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame, classes=(),
                menopause: str = "postmenopausal", outcome: str | None = None) -> pd.DataFrame:
    """The route families that stay open from the sources to each outcome (or to ``outcome`` only), one row each.

    Columns: outcome, outcome_label; route (a readable name built from the shortest open path); source,
    source_label; exit, exit_label (where the route enters the outcome's machinery: cyclin D1 or MYC for
    proliferation); crosstalk ('none' or the directions used); through_er / through_her (whether the path passes an
    ER node / a HER receptor node); via (the kinase cascades its variants use: 'MAPK', 'PI3K-AKT-mTOR');
    nodes, edges, explanations (the shortest open path, its link ids and the data's explanation of each link, as
    tuples); key_edge, key_explanation (the step that says why the route is open);
    variants (how many non-redundant open paths the family holds); closable_by (drug classes not chosen that would,
    alone, close every variant; cell-killing classes left out); killed_by (chosen classes that kill the cell at the
    outcome: the signal still arrives but dividing cells die).
    """
    rows, classes, menopause = _route_rows(nodes, edges, drug_targets, classes, menopause, outcome)
    out = pd.DataFrame(rows, columns=_ROUTE_COLUMNS)
    out.attrs.update(classes=classes, menopause=menopause)
    return out


def route_steps(routes: pd.DataFrame, nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Long format of :func:`open_routes`: one row per route x step (route, step, from, to, relation, crosstalk,
    explanation, refs), with labels and text taken from the tables."""
    lab = dict(zip(map(_s, nodes["node_id"]), map(_s, nodes["label"])))
    by_id = {_s(r.edge_id): r for r in edges.itertuples(index=False)}
    rows = []
    for r in routes.itertuples(index=False):
        for k, eid in enumerate(r.edges, start=1):
            e = by_id[eid]
            rows.append({"route": r.route, "step": k, "from": lab[_s(e.source)], "to": lab[_s(e.target)],
                         "relation": _s(e.relation), "crosstalk": _s(e.crosstalk), "explanation": _s(e.explanation),
                         "refs": _s(e.refs)})
    return pd.DataFrame(rows, columns=["route", "step", "from", "to", "relation", "crosstalk", "explanation", "refs"])


def scenario_label(classes, menopause: str | None = None) -> str:
    """'No drug', 'Anti-HER2 antibody alone', 'Anti-HER2 antibody + SERD' (+ ', premenopausal' when asked)."""
    classes = [c for c in (classes or ())]
    if not classes:
        text = "No drug"
    elif len(classes) == 1:
        text = f"{classes[0][:1].upper()}{classes[0][1:]} alone"
    else:
        text = " + ".join(classes)
        text = text[:1].upper() + text[1:]
    return f"{text}, {menopause}" if menopause else text


def route_counts(routes: pd.DataFrame, outcome: str = "proliferation") -> dict:
    """Counts for a title: open (not killed) families to ``outcome``, how many pass ER / HER receptors, how many are
    killed at the outcome, and by what."""
    sub = routes[routes["outcome"] == outcome]
    alive = sub[sub["killed_by"] == ""]
    return {"open": len(alive), "through_er": int(alive["through_er"].sum()),
            "her_only": int((alive["through_her"] & ~alive["through_er"]).sum()),
            "er_only": int((alive["through_er"] & ~alive["through_her"]).sum()),
            "killed": len(sub) - len(alive), "killed_by": "; ".join(dict.fromkeys(sub["killed_by"][sub["killed_by"] != ""]))}


def _join(words: list, conj: str = "or") -> str:
    words = [w.replace("-", "–") if w in _CASCADES else w for w in words]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conj} " + words[-1]


def explain(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame, classes=(),
            menopause: str = "postmenopausal", outcome: str = "proliferation") -> list[str]:
    """Short sentences, from the data, naming which routes to ``outcome`` stay open and why."""
    menopause = _check_menopause(menopause)
    model = _model(nodes, edges, drug_targets)
    classes = _check_classes(model.classes, classes)
    rows, _, _ = _route_rows(nodes, edges, drug_targets, classes, menopause, outcome)
    out_label = model.labels[outcome].lower()
    lines = []
    # drugs that have nothing to act on in this setting
    g = _operating(model, menopause)
    for c in classes:
        idle = [n for n, eff in model.targets[c] if eff != "kills cell"
                and not (g.has_node(n) and (g.in_degree(n) or n in model.sources))]
        if idle and len(idle) == len(model.targets[c]):
            lines.append(f"{c[:1].upper()}{c[1:]} acts on {_join([model.short[n] for n in idle])}, which does not "
                         f"work in the {menopause} setting of the model, so it closes nothing here.")
    alive = [r for r in rows if not r["killed_by"]]
    killers = "; ".join(dict.fromkeys(r["killed_by"] for r in rows if r["killed_by"]))
    if not rows:
        lines.append(f"No route from any source reaches {out_label}: every one passes a blocked node.")
    elif not alive:
        k = len(rows)
        lines.append(f"{k} route famil{'y' if k == 1 else 'ies'} still signal{'s' if k == 1 else ''} to "
                     f"{out_label}, but {killers} kills dividing cells whichever route is open.")
    else:
        n, n_er = len(alive), sum(r["through_er"] for r in alive)
        lines.append(f"{n} route famil{'y' if n == 1 else 'ies'} to {out_label} stay{'s' if n == 1 else ''} open "
                     f"({n_er} through ER):")
        for r in alive:
            why = f" Why: {r['key_explanation']}" if r["key_explanation"] else ""
            close = f" Would be closed by: {r['closable_by']}." if r["closable_by"] else ""
            also = (f" ({r['variants']} variants, via {_join(r['via'].split('; '), 'and')})"
                    if r["variants"] > 1 and r["via"] else "")
            lines.append(f"{r['route']}{also}.{why}{close}")
    return lines


def crosstalk_loops(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame | None = None,
                    menopause: str = "postmenopausal") -> pd.DataFrame:
    """Feedback loops that cross between the HER and ER sides, grouped by the ER-to-HER2 link that opens them.

    One row per group: entry (edge id), loop (a readable example), cycles (how many node-level cycles share it).
    """
    dt = drug_targets if drug_targets is not None else pd.DataFrame(columns=["drug_class", "node_id", "effect"])
    model = _model(nodes, edges, dt)
    g = _operating(model, _check_menopause(menopause))
    groups: dict = {}
    for cyc in _nx().simple_cycles(g):
        pairs = list(zip(cyc, cyc[1:] + cyc[:1]))
        xts = {g.edges[p]["crosstalk"] for p in pairs}
        if not set(CROSSTALK) <= xts:
            continue
        entry = next(p for p in pairs if g.edges[p]["crosstalk"] == "ER to HER2" and model.module[p[1]] not in _ER_MODULES)
        groups.setdefault(g.edges[entry]["edge_id"], []).append(cyc)
    rows = []
    for eid, cycs in sorted(groups.items()):
        c = min(cycs, key=len)
        start = next((i for i, n in enumerate(c)
                      if model.module[n] in _ER_MODULES and model.module[c[i - 1]] not in _ER_MODULES), 0)
        c = c[start:] + c[:start]
        rows.append({"entry": eid, "loop": _route_name(model, tuple(c) + (c[0],)), "cycles": len(cycs)})
    return pd.DataFrame(rows, columns=["entry", "loop", "cycles"])


def route_edges(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame, classes=(),
                menopause: str = "postmenopausal", outcome: str = "proliferation") -> frozenset:
    """Ids of every link on some open path from a source to ``outcome`` (what a figure highlights)."""
    menopause = _check_menopause(menopause)
    model = _model(nodes, edges, drug_targets)
    blocked = set(blocked_nodes(drug_targets, _check_classes(model.classes, classes)))
    return frozenset(e for p in _paths(model, menopause) if p.nodes[-1] == outcome and not (p.inner & blocked)
                     for e in p.edges)


def scenario(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame, classes=(),
             menopause: str = "postmenopausal") -> dict:
    """Everything a figure and its text need for one choice of drug classes and menopausal status:
    classes, menopause, label, status (:func:`reachability`), routes (:func:`open_routes`), highlight
    (:func:`route_edges` to proliferation) and sentences (:func:`explain`)."""
    status = reachability(nodes, edges, drug_targets, classes, menopause)
    classes = status.attrs["classes"]
    return {"classes": classes, "menopause": menopause, "label": scenario_label(classes),
            "status": status, "routes": open_routes(nodes, edges, drug_targets, classes, menopause),
            "highlight": route_edges(nodes, edges, drug_targets, classes, menopause),
            "sentences": explain(nodes, edges, drug_targets, classes, menopause)}


_SCENARIO_CACHE: dict = {}


def every_scenario(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame) -> pd.DataFrame:
    """Every choice of drug classes in both menopausal settings, one row each: what a page with no kernel looks up.

    Columns: key (bit i set when the i-th class of :func:`drug_classes` is chosen, plus ``2**len(classes)`` when
    premenopausal), menopause, classes (tuple); status (one letter per node in pathway_nodes order: a active,
    b blocked, c cut off; as :func:`reachability`); highlight ('0'/'1' per pathway_edges row: on an open path to
    proliferation; as :func:`route_edges`); families (the open route families to proliferation, as :func:`open_routes`
    gives them: tuples of route, key_explanation, closable_by, through_er, through_her); killed_by (the chosen classes
    that kill dividing cells, '; '-joined). ``attrs``: classes, and killers (the classes that kill cells).
    Status, routes and highlight depend only on the set of blocked nodes, so each distinct set is computed once; the
    whole table is cached on the tables' content.
    """
    key = _fingerprint(nodes, edges, drug_targets)
    if key in _SCENARIO_CACHE:
        return _SCENARIO_CACHE[key].copy()
    model = _model(nodes, edges, drug_targets)
    classes = list(model.classes)
    node_ids = [_s(x) for x in nodes["node_id"]]
    edge_ids = [_s(x) for x in edges["edge_id"]]
    acts = {c: {n for n, _ in model.targets[c]} for c in classes}
    # the classes acting on proliferation, in drug_targets order: the chosen ones among them kill dividing cells
    at_proliferation = list(dict.fromkeys(c for c, n in zip(map(_s, drug_targets["drug_class"]),
                                                            map(_s, drug_targets["node_id"])) if n == "proliferation"))
    per_blocked: dict = {}
    rows = []
    for m_index, meno in enumerate(MENOPAUSE):
        for mask in range(2 ** len(classes)):
            chosen = [c for i, c in enumerate(classes) if mask >> i & 1]
            blocked = frozenset().union(*(acts[c] for c in chosen))
            memo = per_blocked.get((blocked, meno))
            if memo is None:
                reached = _reach(model, set(blocked), meno)
                status = "".join("b" if n in blocked else ("a" if n in reached else "c") for n in node_ids)
                lit = route_edges(nodes, edges, drug_targets, chosen, meno)
                fams, _, _ = _route_rows(nodes, edges, drug_targets, chosen, meno, "proliferation")
                memo = per_blocked[(blocked, meno)] = (
                    status, "".join("1" if e in lit else "0" for e in edge_ids),
                    tuple((r["route"], r["key_explanation"], r["closable_by"], r["through_er"], r["through_her"])
                          for r in fams))
            killed_by = "; ".join(c for c in at_proliferation if c in chosen)
            rows.append({"key": mask + m_index * 2 ** len(classes), "menopause": meno, "classes": tuple(chosen),
                         "status": memo[0], "highlight": memo[1], "families": memo[2], "killed_by": killed_by})
    table = pd.DataFrame(rows, columns=["key", "menopause", "classes", "status", "highlight", "families", "killed_by"])
    table.attrs.update(classes=classes, killers=[c for c in classes
                                                 if any(e == "kills cell" for _, e in model.targets[c])])
    _SCENARIO_CACHE.clear()
    _SCENARIO_CACHE[key] = table
    return table.copy()
