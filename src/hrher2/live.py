"""Draw, live: kernel-free interactive versions of the course's key figures (Vega-Lite, built with Altair).

The same pipeline as every other figure — compute (the pure functions of :mod:`hrher2.pathway`,
:mod:`hrher2.forest`, :mod:`hrher2.comparators`, :mod:`hrher2.benefit_harm`, :mod:`hrher2.survival`,
:mod:`hrher2.ongoing_trials`, :mod:`hrher2.eligibility`) → tidy frames → draw; only the drawing differs:
each ``*_chart(tables, ...)`` returns an Altair chart whose data are those tidy frames (values inlined) and whose
controls are Vega-Lite parameters bound to HTML inputs (checkboxes, selects, radios, sliders: keyboard-operable). The
page only *selects* among precomputed rows (filters, look-ups by key); the one exception is the expected-survival chart,
whose two exponential curves are a formula the page evaluates (``S(t) = exp(-ln 2 · t / median)``).

Display with :func:`show`: it emits the spec (Altair 6 writes Vega-Lite 6) under the
``application/vnd.vegalite.v6+json`` MIME type. The course's JupyterLab extension (``lab/extension/src/vegalite6.js``)
and the book's local extension (``book/_ext/live_charts.py``) both render it with the same Vega 6 / Vega-Lite 6 /
vega-embed 7 releases, so a live chart is one implementation, drawn alike in JupyterLab and on the static page — never
Altair's default HTML renderer, which loads from a CDN. (JupyterLab's own renderer takes only the v5 MIME type and draws
with Vega-Lite 5.)
"""
from __future__ import annotations

import json
import math
import re
import textwrap

import altair as alt
import pandas as pd

from . import benefit_harm, comparators, eligibility, forest, later_evidence, ongoing_trials, pathway, survival, trials
from ._cells import check_trials
from .inputs import answers_in_words
from .palette import ARM, DRUG_CLASS, EVIDENCE_SHAPE, EVIDENCE_SOURCE, MODULE_COLOUR, OKABE_ITO, PATHWAY, PRINTED_IN

__all__ = ["VEGALITE_MIME", "LiveChart", "show", "plain_title", "spec_size", "provenance_table", "provenance_chart",
           "crosstalk_data",
           "crosstalk_chart", "forest_table", "forest_chart", "comparator_table", "comparator_chart",
           "benefit_harm_chart", "expected_curves_chart",
           "ongoing_table", "ongoing_chart", "later_forest_table", "later_forest_chart", "case_table", "case_chart",
           "NI_MARGIN_LABEL"]

#: The MIME type :func:`show` emits: Vega-Lite 6, the version Altair 6 writes (the course's JupyterLab extension and the
#: book's both draw it offline).
VEGALITE_MIME = "application/vnd.vegalite.v6+json"
#: How the forest plot labels SYSUCC-002's non-inferiority margin: the review does not print it (errata E19).
NI_MARGIN_LABEL = "NI margin {m:g} (primary source via errata E19; not printed in the review)"

_GREY = PATHWAY["blocked"]
_FONT = "sans-serif"
_EMBED = {"actions": False, "renderer": "svg"}


# ------------------------------------------------------------------------------------------------------ display
class LiveChart:
    """A chart ready to display: the Vega-Lite spec under :data:`VEGALITE_MIME`, plus a plain-text fallback."""

    def __init__(self, chart, lead: str = ""):
        self.chart = chart
        self.spec = chart.to_dict()  # validates against the Vega-Lite schema
        self.lead = lead

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = (f"{plain_title(self.spec)}\n{self.spec.get('description', '')}\n"
                "(A live Vega-Lite chart; it needs a browser to draw.)")
        meta = {VEGALITE_MIME: {"embed_options": dict(_EMBED)}}
        if self.lead:
            meta[VEGALITE_MIME]["lead"] = self.lead
        return {VEGALITE_MIME: self.spec, "text/plain": text}, meta


def plain_title(spec: dict) -> str:
    """A spec's headline as plain text: the one the page shows before any control moves. A headline that follows the
    controls is a Vega expression: a formula, whose starting value the spec carries as ``usermeta.headline``, or a
    lookup ``table[a + '|' + b]``, read here at the controls' defaults (failing both, the first subtitle line)."""
    title = spec.get("title", "")
    subtitle = title.get("subtitle", "") if isinstance(title, dict) else ""
    title = title.get("text", "") if isinstance(title, dict) else title
    if isinstance(title, dict) and (spec.get("usermeta") or {}).get("headline"):  # the formula's value, at start
        title = spec["usermeta"]["headline"]
    elif isinstance(title, dict):
        m = re.fullmatch(r"(\w+)\[(.*)\]", title.get("expr", "").strip())
        params = {p["name"]: p.get("value") for p in spec.get("params", [])}
        table = params.get(m.group(1)) if m else None
        names = re.split(r"\s*\+\s*'\|'\s*\+\s*", m.group(2).strip()) if m else []
        key = "|".join(str(params.get(t)) for t in names)
        title = table.get(key, "") if isinstance(table, dict) else ""
        if not title:
            title = subtitle[0] if isinstance(subtitle, list) and subtitle else subtitle
    return " ".join(map(str, title)) if isinstance(title, list) else str(title or "")


def show(chart, lead: str = "") -> LiveChart:
    """Display ``chart`` live, in JupyterLab and on the static book page (no CDN). ``lead``: one line shown above it
    in the book."""
    return LiveChart(chart, lead)


def spec_size(chart) -> int:
    """Bytes of the chart's JSON spec as the book embeds it (compact separators)."""
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    return len(json.dumps(spec, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def _need(tables, *names):
    if not isinstance(tables, dict):
        raise ValueError("Pass the course tables as a dict (use data.load_all()).")
    missing = [n for n in names if n not in tables]
    if missing:
        raise ValueError(f"The tables passed in have no {', '.join(missing)} table (use data.load_all()).")
    return [tables[n] for n in names]


def _records(frame: pd.DataFrame) -> list[dict]:
    """JSON-safe rows: NaN/NA become null, numpy scalars plain Python."""
    return json.loads(frame.to_json(orient="records", force_ascii=False))


def _wrap_lines(text: str, width: int, hyphens: bool = True) -> list[str]:
    """``text`` in lines of at most ``width`` characters; ``hyphens=False`` keeps hyphenated words ("first-line") whole."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=hyphens) or [""]


def message_chart(sentence: str):
    """In place of a chart that cannot be drawn: the reason, in words, as the chart's title (dark red, wrapped) over
    an empty plot; the plain-text fallback reads the same sentence."""
    said = f"Cannot show this: {sentence}"
    return alt.Chart(alt.Data(values=[])).mark_text().properties(
        width=500, height=10, description=said,
        title=alt.TitleParams(_wrap_lines(said, 70), anchor="start", fontSize=13, color="#8B0000", font=_FONT))


def _in_words(what: str):
    return answers_in_words(what, message_chart)


def _headlines(name: str, lines: dict, key_expr: str):
    """A chart headline that follows its controls: every headline the controls can ask for, computed here from the
    data (``lines``: key -> list of title lines), held by a variable param ``name``; the title looks up the key
    ``key_expr`` (a Vega expression over the controls' params). Returns (param, title text)."""
    return alt.param(name=name, value=lines), alt.ExprRef(f"{name}[{key_expr}]")


# -------------------------------------------------------------------------------------------- 0. provenance
def provenance_table(tables) -> pd.DataFrame:
    """:func:`hrher2.trials.printed_medians` for every trial and median endpoint, stacked, with ``endpoint`` (the key:
    'mpfs' or 'mos'), ``group`` (cohort and place printed: the bars' row, numbered when one place prints two
    comparisons of a cohort) and ``order`` (the rows' order)."""
    (results,) = _need(tables, "trial_results")
    frames = [trials.printed_medians(results, name, ep).assign(endpoint=ep)
              for name in trials.trial_names(results) for ep in trials.ENDPOINTS]
    tidy = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    group = tidy["cohort"] + " [" + tidy["printed_in"] + "]"
    # one place can print two comparisons of one cohort (monarcHER's Table 2 row: group A and group B, each against
    # group C): each gets its own row of bars, numbered
    results_in = tidy.assign(group=group).groupby(["trial", "endpoint", "group"])["result_id"]
    number = results_in.transform(lambda ids: ids.map({r: i + 1 for i, r in enumerate(dict.fromkeys(ids))}))
    several = results_in.transform("nunique") > 1
    group = group.where(~several, group + " #" + number.astype(str))
    return tidy.assign(group=group, order=range(len(tidy)))


def _provenance_lines(tidy: pd.DataFrame) -> pd.DataFrame:
    """The panel under the bars: for each trial x endpoint x row of bars, where exactly the review prints it, the
    regimens as labelled there, the p value and the review's reference numbers, wrapped into short lines (``line``:
    the line's place in the panel; ``indent``: pixels, for a row's second and later lines)."""
    rows = []
    for (trial, ep), g in tidy.groupby(["trial", "endpoint"], sort=False):
        n = 0
        for group, h in g.groupby("group", sort=False):
            regimens = "; ".join(f"{r.arm}: {r.arm_label or 'not named'}" for r in h.itertuples())
            p = h["p"].iloc[0]
            text = (f"{group}: {h['location'].iloc[0]}. {regimens}.{f' p {p}.' if p else ''}"
                    f"{f' Review ref. {h.refs.iloc[0]}.' if h['refs'].iloc[0] else ''}")
            for k, words in enumerate(_wrap_lines(text, 84, hyphens=False)):
                rows.append({"trial": trial, "endpoint": ep, "line": n, "indent": 12 if k else 0, "text": words})
                n += 1
    return pd.DataFrame(rows)


def _provenance_headline(shown: pd.DataFrame, title: str) -> str:
    """The static figure's title (:func:`hrher2.plots.printed_medians_title`) with the numbers behind it: the values
    that differ between places, or else the first row's two medians."""
    from .disagreements import between_places

    if shown.empty:
        return title
    differ = between_places(shown) if shown["printed_in"].nunique() > 1 else shown.iloc[0:0]
    if not differ.empty:
        return title + ": " + "; ".join(f"{r.cohort}, {r.arm} arm {r.values.replace('; ', ' vs ')}"
                                        for r in differ.itertuples())
    first = shown[shown["group"] == shown["group"].iloc[0]].set_index("arm")["months"]
    values = " vs ".join(f"{a} {first[a]:g}" for a in ("experimental", "control") if a in first)
    return f"{title}: {values} months ({shown['group'].iloc[0]})"


@_in_words("provenance explorer")
def provenance_chart(tables, trial: str = "TAnDEM", endpoint: str = "mos"):
    """The provenance explorer, live: a trial (menu) and an endpoint (radio); for every place the review prints that
    trial's medians, both arms side by side (control arms dashed), and under the bars where exactly each is printed,
    with its regimens, p and the review's reference numbers."""
    from .plots.provenance import printed_medians_title

    (results,) = _need(tables, "trial_results")
    names = trials.trial_names(results)
    check_trials(results, trial)
    if endpoint not in trials.ENDPOINTS:
        raise ValueError(f"endpoint must be one of {', '.join(trials.ENDPOINTS)}, not {endpoint!r}.")
    tidy = provenance_table(tables)
    data = tidy[["trial", "endpoint", "group", "order", "cohort", "printed_in", "location", "arm", "arm_label",
                 "months", "p", "refs"]]
    words = {ep: w for ep, (*_, w) in trials.ENDPOINTS.items()}
    lines = {}
    for name in names:
        for ep in trials.ENDPOINTS:
            shown = tidy[(tidy["trial"] == name) & (tidy["endpoint"] == ep)]
            shown.attrs.update(trial=name, endpoint=words[ep])
            lines[f"{name}|{ep}"] = _wrap_lines(_provenance_headline(shown, printed_medians_title(shown)), 84, hyphens=False)
    p_trial = alt.param(name="pv_trial", value=trial, bind=alt.binding_select(options=names, name="Trial "))
    p_ep = alt.param(name="pv_endpoint", value=endpoint, bind=alt.binding_radio(
        options=list(trials.ENDPOINTS), labels=[w.capitalize() for w in words.values()], name="Endpoint "))
    p_head, title_text = _headlines("pv_headlines", lines, "pv_trial + '|' + pv_endpoint")
    shown = "datum.trial == pv_trial && datum.endpoint == pv_endpoint"
    base = alt.Chart(alt.NamedData(name="pv_rows")).transform_filter(shown).transform_calculate(
        words="datum.group + ', ' + datum.arm + ' arm (' + datum.arm_label + '): ' + datum.months + ' months'")
    y = alt.Y("group:N", sort=alt.EncodingSortField("order", op="min"), title=None,
              axis=alt.Axis(labelLimit=240, labelFontSize=11))
    yoff = alt.YOffset("arm:N", sort=["experimental", "control"])
    legend = alt.Legend(title="Arm", orient="top")
    tip = [alt.Tooltip("group:N", title="Cohort [printed in]"), alt.Tooltip("arm_label:N", title="Regimen"),
           alt.Tooltip("months:Q", title="Months"), alt.Tooltip("p:N", title="p"),
           alt.Tooltip("location:N", title="Where exactly"), alt.Tooltip("refs:N", title="Review ref.")]
    bars = base.mark_bar(height=alt.RelativeBandSize(0.9)).encode(
        alt.X("months:Q", title="Median (months), as printed"), y=y, yOffset=yoff,
        color=alt.Color("arm:N", scale=alt.Scale(domain=list(ARM), range=list(ARM.values())), legend=legend),
        strokeDash=alt.StrokeDash("arm:N", scale=alt.Scale(domain=["experimental", "control"],
                                                            range=[[1, 0], [4, 2]]), legend=legend),
        stroke=alt.value(OKABE_ITO["black"]), strokeWidth=alt.value(0.6), tooltip=tip, description="words:N")
    labels = base.mark_text(align="left", dx=4, fontSize=10.5, aria=False).encode(
        alt.X("months:Q"), y=y, yOffset=yoff, text=alt.Text("months:Q", format="~g"), tooltip=tip)
    where = alt.Chart(alt.NamedData(name="pv_lines")).transform_filter(shown).mark_text(
        align="left", fontSize=10.5, limit=0).encode(
        y=alt.Y("line:O", title=None, axis=None), x=alt.X("indent:Q", scale=None, axis=None), text="text:N").properties(
        width=380, height=alt.Step(15), view=alt.ViewBackground(stroke=None),
        title=alt.TitleParams("Where the review prints each row", anchor="start", fontSize=11.5))
    first = lines[f"{trial}|{endpoint}"]
    return alt.vconcat(alt.layer(bars, labels).properties(width=380, height=alt.Step(16)), where,
                       spacing=18).add_params(p_trial, p_ep, p_head).properties(
        datasets={"pv_rows": _records(data), "pv_lines": _records(_provenance_lines(tidy))},
        title=alt.TitleParams(title_text, anchor="start", fontSize=13, subtitle=[
            "Each row of bars is one place where the review prints the medians (a cohort, in a table or the text);",
            "dashed bars are control arms. Values as printed, with where exactly and the review's reference numbers."]),
        description=(f"Grouped bar chart of the medians the review prints for one trial, one row per place printed, "
                     f"with a trial menu and an endpoint switch; below it, where each value is printed. "
                     f"{' '.join(first)}."))


# --------------------------------------------------------------------------------------------- 1. crosstalk
_STATUS_CODE = {"active": "a", "blocked": "b", "cut off": "c"}
_PX_LAYER, _PX_ROW = 66, 38   # pixels per layer (x) and per row (y) of the fixed layout
_BOX_W = 0.86                 # node box width, in layers


def _tint(hex_colour: str, strength: float) -> str:
    h = hex_colour.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - strength * (255 - c)):02x}" for c in rgb)


def crosstalk_data(tables) -> dict:
    """Every combination of drug classes (and both menopausal settings) precomputed, as tidy frames.

    The combination key: bit i set when the i-th class of :func:`hrher2.pathway.drug_classes` is switched on, plus
    ``2**len(classes)`` for premenopausal. Returns a dict of frames:

    - ``combos``: key, menopause, classes (tuple), view (id of the distinct picture it gives);
    - ``views``: view, status (one letter per node, in pathway_nodes order: a active, b blocked, c cut off),
      highlight (id), routes (route ids, ';'-joined, of the open, not killed route families to proliferation),
      title (id), killed (True when a chosen class kills dividing cells);
    - ``highlights``: highlight, edges ('0'/'1' per pathway_edges row: on an open path to proliferation);
    - ``titles``: title, text (the widget's title after its drug-choice prefix);
    - ``routes``: route_id, route, why (the data's explanation of the step that keeps it open), closable_by;
    - ``nodes``/``edges``: the fixed layout the page draws.

    Node status, open routes and highlighted links depend only on the set of blocked nodes, so they are computed once
    per distinct set with the pathway model's own functions; tests check the result against
    :func:`hrher2.pathway.reachability`, :func:`~hrher2.pathway.open_routes` and :func:`~hrher2.pathway.route_edges`
    for every combination.
    """
    nodes, edges, targets = _need(tables, "pathway_nodes", "pathway_edges", "drug_targets")
    from .plots.pathway import pathway_title

    every = pathway.every_scenario(nodes, edges, targets)
    combos, views, view_ids = [], [], {}
    highlights, titles, routes = {}, {}, {}
    title_memo: dict = {}
    for r in every.itertuples(index=False):
        fams = r.families
        tkey = (tuple((f[3], f[4]) for f in fams), r.killed_by)
        text = title_memo.get(tkey)
        if text is None:
            frame = pd.DataFrame({"outcome": "proliferation", "killed_by": r.killed_by,
                                  "through_er": [f[3] for f in fams], "through_her": [f[4] for f in fams]})
            text = title_memo[tkey] = pathway_title(frame, (), "postmenopausal").split(": ", 1)[1]
        h = highlights.setdefault(r.highlight, len(highlights))
        t = titles.setdefault(text, len(titles))
        killed = bool(r.killed_by) and bool(fams)  # signals arrive, but a chosen class kills dividing cells
        rids = [] if killed else [routes.setdefault(f[:3], len(routes)) for f in fams]
        vkey = (r.status, h, tuple(rids), t, killed)
        v = view_ids.get(vkey)
        if v is None:
            v = view_ids[vkey] = len(views)
            views.append({"view": v, "status": r.status, "highlight": h, "routes": ";".join(map(str, rids)),
                          "title": t, "killed": killed})
        combos.append({"key": r.key, "menopause": r.menopause, "classes": r.classes, "view": v})
    return {
        "classes": every.attrs["classes"],
        "killers": every.attrs["killers"],
        "combos": pd.DataFrame(combos),
        "views": pd.DataFrame(views),
        "highlights": pd.DataFrame({"highlight": list(highlights.values()), "edges": list(highlights)}),
        "titles": pd.DataFrame({"title": list(titles.values()), "text": list(titles)}),
        "routes": pd.DataFrame([{"route_id": i, "route": r, "why": w, "closable_by": c}
                                for (r, w, c), i in routes.items()]),
        "nodes": _xt_nodes(nodes),
        "edges": _xt_edges(nodes, edges),
    }


def _xt_nodes(nodes: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i, r in enumerate(nodes.itertuples(index=False)):
        lines = textwrap.wrap(pathway.short_label(str(r.label)), 13, break_long_words=False) or [""]
        colour = MODULE_COLOUR.get(str(r.pathway), "#333333")
        tinted = colour != OKABE_ITO["black"]
        rows.append({"i": i, "node_id": r.node_id, "label": "\n".join(lines), "name": str(r.label),
                     "module": str(r.pathway), "x": float(r.layer), "y": float(r.row),
                     "h": round(0.3 + 0.32 * len(lines), 2), "colour": colour,
                     "tint": _tint(colour, 0.15) if tinted else "#FFFFFF"})
    return pd.DataFrame(rows)


def _box_point(cx, cy, w, h, tx, ty):
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    t = min((w / 2) / abs(dx) if dx else math.inf, (h / 2) / abs(dy) if dy else math.inf)
    return cx + dx * t, cy + dy * t


def _xt_edges(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    geo = _xt_nodes(nodes).set_index("node_id")
    index = {n: i for i, n in enumerate(nodes["node_id"])}
    rows = []
    for j, e in enumerate(edges.itertuples(index=False)):
        s, t = geo.loc[e.source], geo.loc[e.target]
        # box geometry in pixels, so the links leave the boxes at their edges
        sx, sy, tx, ty = s.x * _PX_LAYER, s.y * _PX_ROW, t.x * _PX_LAYER, t.y * _PX_ROW
        ax_, ay_ = _box_point(sx, sy, _BOX_W * _PX_LAYER, s.h * _PX_ROW, tx, ty)
        bx_, by_ = _box_point(tx, ty, _BOX_W * _PX_LAYER, t.h * _PX_ROW, sx, sy)
        context = "" if pd.isna(e.context) else str(e.context).lower()
        crosstalk = str(e.crosstalk) != "none"
        rows.append({"j": j, "edge_id": e.edge_id, "si": index[e.source], "ti": index[e.target],
                     "x": ax_ / _PX_LAYER, "y": ay_ / _PX_ROW, "x2": bx_ / _PX_LAYER, "y2": by_ / _PX_ROW,
                     "angle": round(math.degrees(math.atan2(by_ - ay_, bx_ - ax_)), 1),
                     "crosstalk": crosstalk, "negative": str(e.relation) in pathway.NEGATIVE_RELATIONS,
                     "idle_post": "premenopausal" in context, "idle_pre": "postmenopausal" in context,
                     "on_colour": PATHWAY["crosstalk"] if crosstalk else s.colour,
                     "text": f"{pathway.short_label(s['name'])} {e.relation} {pathway.short_label(t['name'])}"})
    return pd.DataFrame(rows)


def _xt_key_expr(n: int) -> str:
    bits = " + ".join(f"(xt_c{i} ? {2 ** i} : 0)" for i in range(n))
    return f"{bits} + (xt_meno == 'premenopausal' ? {2 ** n} : 0)"


def _xt_prefix_expr(classes: list[str]) -> str:
    """The page's version of :func:`hrher2.pathway.scenario_label` (+ ' (premenopausal)'), from the checkboxes."""
    n = " + ".join(f"(xt_c{i} ? 1 : 0)" for i in range(len(classes)))
    joined = " + ".join(f"(xt_c{i} ? ' + ' + {json.dumps(c)} : '')" for i, c in enumerate(classes))
    return (f"(({n}) == 0 ? 'No drug' : (({n}) == 1 ? upper(substring(substring({joined}, 3), 0, 1)) + "
            f"substring(substring({joined}, 3), 1) + ' alone' : upper(substring(substring({joined}, 3), 0, 1)) + "
            f"substring(substring({joined}, 3), 1))) + (xt_meno == 'premenopausal' ? ' (premenopausal)' : '')")


@_in_words("crosstalk map")
def crosstalk_chart(tables, classes=("anti-HER2 antibody",), menopause: str = "postmenopausal"):
    """The crosstalk explorer, live: a checkbox per drug class and a menopause switch select one precomputed
    combination; the map shows blocked (grey, ×) and cut-off (dashed) nodes and the links on open routes to
    proliferation (thick); the list under it names each open route, why it stays open and what would close it."""
    d = crosstalk_data(tables)
    classes_all = d["classes"]
    unknown = [c for c in ([classes] if isinstance(classes, str) else classes) if c not in classes_all]
    if unknown:
        raise ValueError(f"Unknown drug class {', '.join(map(repr, unknown))}: choose from {', '.join(classes_all)}.")
    if menopause not in pathway.MENOPAUSE:
        raise ValueError(f"Unknown menopausal status {menopause!r}: choose 'postmenopausal' or 'premenopausal'.")
    chosen = set([classes] if isinstance(classes, str) else classes)
    n = len(classes_all)
    # one slot per open route in the list: as many as the busiest combination needs
    max_routes = max([1] + [len(r.split(";")) for r in d["views"]["routes"] if r])
    params = [alt.param(name=f"xt_c{i}", value=c in chosen, bind=alt.binding_checkbox(name=c))
              for i, c in enumerate(classes_all)]
    params.append(alt.param(name="xt_meno", value=menopause,
                            bind=alt.binding_radio(options=list(pathway.MENOPAUSE), name="Setting ")))
    lut = [int(v) for v in d["combos"].sort_values("key")["view"]]
    # short field names in the embedded copy of ``views`` (1,600 rows): v view, s status, h highlight, r routes,
    # t title, k killed
    compact = d["views"].rename(columns={"view": "v", "status": "s", "highlight": "h", "routes": "r", "title": "t",
                                         "killed": "k"}).assign(k=lambda f: f["k"].astype(int))
    datasets = {"xt_views": _records(compact[["v", "s", "h", "r", "t", "k"]]),
                "xt_highlights": _records(d["highlights"]), "xt_titles": _records(d["titles"]),
                "xt_nodes": _records(d["nodes"]), "xt_edges": _records(d["edges"])}
    views, hls, titles = (alt.NamedData(name=k) for k in ("xt_views", "xt_highlights", "xt_titles"))
    key = _xt_key_expr(n)

    def select(chart):
        return (chart.transform_calculate(v=f"xt_lut[{key}]")
                .transform_lookup(lookup="v", from_=alt.LookupData(views, "v", ["s", "h", "r", "t", "k"]),
                                  as_=["status", "highlight", "routes", "title", "killed"])
                .transform_lookup(lookup="highlight", from_=alt.LookupData(hls, "highlight", ["edges"])))

    xs = d["nodes"]["x"]
    ys = d["nodes"]["y"]
    width, height = int((xs.max() + 1) * _PX_LAYER), int((ys.max() + 1.9) * _PX_ROW)
    xscale = alt.Scale(domain=[xs.min() - 0.5, xs.max() + 0.5], nice=False, zero=False)
    yscale = alt.Scale(domain=[ys.min() - 1.3, ys.max() + 0.6], reverse=True, nice=False, zero=False)
    X = alt.X("x:Q", scale=xscale, axis=None)
    Y = alt.Y("y:Q", scale=yscale, axis=None)

    edge_base = select(alt.Chart(alt.NamedData(name="xt_edges"))).transform_calculate(
        on="substring(datum.edges, datum.j, datum.j + 1) == '1'",
        idle="xt_meno == 'premenopausal' ? datum.idle_pre : datum.idle_post",
        carrying="substring(datum.status, datum.si, datum.si + 1) == 'a' && "
                 "substring(datum.status, datum.ti, datum.ti + 1) != 'c'",
    ).transform_calculate(
        stroke=f"datum.negative || datum.idle ? '{_GREY}' : (datum.on ? datum.on_colour : (datum.crosstalk ? "
               f"'{PATHWAY['crosstalk']}' : (datum.carrying ? '#555555' : '{_GREY}')))",
        width_px="datum.on && !datum.negative && !datum.idle ? 3 : 1",
        fade="datum.idle ? 0.35 : (datum.on || datum.carrying || datum.negative ? 1 : 0.55)",
        dash="datum.negative || datum.idle ? [1, 2] : (datum.crosstalk ? [5, 3] : [1, 0])",
    )
    links = edge_base.mark_rule(aria=False).encode(
        X, Y, x2="x2:Q", y2="y2:Q", stroke=alt.Stroke("stroke:N", scale=None),
        strokeWidth=alt.StrokeWidth("width_px:Q", scale=None), opacity=alt.Opacity("fade:Q", scale=None),
        strokeDash=alt.StrokeDash("dash:N", scale=None),
        tooltip=[alt.Tooltip("text:N", title="Link")])
    heads = edge_base.transform_filter("!datum.negative").mark_point(shape="triangle-right", filled=True, size=30,
                                                                     aria=False).encode(
        alt.X("x2:Q", scale=xscale, axis=None), alt.Y("y2:Q", scale=yscale, axis=None),
        angle=alt.Angle("angle:Q", scale=None), fill=alt.Fill("stroke:N", scale=None),
        opacity=alt.Opacity("fade:Q", scale=None))

    node_base = select(alt.Chart(alt.NamedData(name="xt_nodes"))).transform_calculate(
        state="substring(datum.status, datum.i, datum.i + 1)",
    ).transform_calculate(
        state_words="datum.state == 'b' ? 'blocked by a chosen drug' : (datum.state == 'c' ? "
                    "'cut off: no signal reaches it' : 'active: a signal reaches it')",
        fill="datum.state == 'b' ? '#D9D9D9' : (datum.state == 'c' ? '#FFFFFF' : datum.tint)",
        edge=f"datum.state == 'a' ? datum.colour : '{_GREY}'",
        x1=f"datum.x - {_BOX_W / 2}", x2=f"datum.x + {_BOX_W / 2}",
        y1="datum.y - datum.h / 2", y2="datum.y + datum.h / 2",
        xmark=f"datum.x + {_BOX_W / 2 - 0.05}", ymark="datum.y - datum.h / 2 + 0.05",
        blocked="datum.state == 'b' ? '×' : ''",
    ).transform_calculate(node_words="datum.name + ': ' + datum.state_words")
    tip = [alt.Tooltip("name:N", title="Node"), alt.Tooltip("module:N", title="Module"),
           alt.Tooltip("state_words:N", title="Now")]
    boxes = node_base.mark_rect(cornerRadius=4, strokeWidth=1.2).encode(
        alt.X("x1:Q", scale=xscale, axis=None), alt.Y("y1:Q", scale=yscale, axis=None), x2="x2:Q", y2="y2:Q",
        fill=alt.Fill("fill:N", scale=None), stroke=alt.Stroke("edge:N", scale=None),
        description="node_words:N", tooltip=tip)
    dashed = node_base.transform_filter("datum.state == 'c'").mark_rect(
        cornerRadius=4, strokeWidth=1.2, strokeDash=[3, 2], fill="#FFFFFF", stroke=_GREY, aria=False).encode(
        alt.X("x1:Q", scale=xscale, axis=None), alt.Y("y1:Q", scale=yscale, axis=None), x2="x2:Q", y2="y2:Q",
        tooltip=tip)
    labels = node_base.mark_text(fontSize=8.5, lineBreak="\n", lineHeight=10, font=_FONT, aria=False).encode(
        X, Y, text="label:N", color=alt.value("#1A1A1A"), tooltip=tip)
    crosses = node_base.mark_text(fontSize=13, fontWeight="bold", font=_FONT, aria=False).encode(
        alt.X("xmark:Q", scale=xscale, axis=None), alt.Y("ymark:Q", scale=yscale, axis=None), text="blocked:N",
        color=alt.value("#000000"))
    headline = select(alt.Chart(alt.Data(values=[{"x": float(xs.min()) - 0.45, "y": float(ys.min()) - 1.0}])))
    headline = headline.transform_lookup(
        lookup="title", from_=alt.LookupData(titles, "title", ["text"])).transform_calculate(
        headline=f"{_xt_prefix_expr(classes_all)} + ': ' + datum.text").mark_text(
        align="left", baseline="middle", fontSize=13, fontWeight="bold", font=_FONT).encode(
        X, Y, text="headline:N", color=alt.value("#000000"))
    network = alt.layer(links, heads, boxes, dashed, labels, crosses, headline).properties(width=width, height=height)

    # the list of open routes: one slot per route family, filled by look-up
    routes = d["routes"].assign(
        lines=[[f"{r.route}"] + _wrap_lines(f"Why open: {r.why}", 125)
               + (_wrap_lines(f"Would be closed by: {r.closable_by}.", 125) if r.closable_by else [])
               for r in d["routes"].itertuples()])
    datasets["xt_routes"] = _records(routes[["route_id", "lines"]])
    route_data = alt.NamedData(name="xt_routes")
    slots = pd.DataFrame({"slot": range(max_routes)})
    listing = select(alt.Chart(alt.Data(values=_records(slots)))).transform_calculate(
        rid="datum.routes == '' ? null : split(datum.routes, ';')[datum.slot]",
    ).transform_filter("isValid(datum.rid)").transform_calculate(
        route_id="toNumber(datum.rid)", n="(datum.slot + 1) + '.'"
    ).transform_lookup(lookup="route_id", from_=alt.LookupData(route_data, "route_id", ["lines"])).mark_text(
        align="left", baseline="top", fontSize=10.5, lineBreak="\n", font=_FONT, dx=22, lineHeight=14).encode(
        alt.Y("slot:O", axis=None, scale=alt.Scale(domain=list(range(max_routes)))), x=alt.value(0), text="lines:N",
        color=alt.value("#1A1A1A"))
    numbers = listing.mark_text(align="left", baseline="top", fontSize=10.5, fontWeight="bold", font=_FONT).encode(
        alt.Y("slot:O", axis=None, scale=alt.Scale(domain=list(range(max_routes)))), x=alt.value(0), text="n:N",
        color=alt.value("#1A1A1A"))
    slot_px = 14 * max(len(x) for x in routes["lines"]) + 10 if len(routes) else 20
    route_list = alt.layer(listing, numbers).properties(
        width=width, height=max_routes * slot_px,
        title=alt.TitleParams("Open routes to proliferation, each with the step that keeps it open",
                              anchor="start", fontSize=12))

    finding = _crosstalk_finding(d, menopause)
    findings = {m: _wrap_lines(_crosstalk_finding(d, m), 95) for m in pathway.MENOPAUSE}
    p_find, title_text = _headlines("xt_findings", findings, "xt_meno")
    chart = alt.vconcat(network, route_list, spacing=6).add_params(*params).properties(
        title=alt.TitleParams(title_text, anchor="start", fontSize=14, subtitle=[
            "Tick drug classes and switch the setting: every combination was computed in Python from the course's "
            "pathway tables; the page only looks it up.", "Grey × boxes: blocked by a chosen drug; dashed boxes: "
            "no signal reaches them; thick links: open routes to proliferation;", "dashed reddish-purple links: "
            "HER2–ER crosstalk; dotted grey links: brakes, or links that do not work in this setting."]),
        description=(f"Interactive network map of HER2–ER crosstalk ({len(d['nodes'])} nodes, {len(d['edges'])} "
                     f"links), with {n} drug-class checkboxes and a menopause switch. {finding}. The list under "
                     "the map names each open route to proliferation and what would close it."),
    ).configure_view(stroke=None)
    # the large parts last, by assignment: Altair deep-copies a chart's params and data at every step above
    chart.params = [*chart.params, alt.VariableParameter(name="xt_lut", value=lut), p_find.param]
    chart.datasets = datasets
    return chart


def _crosstalk_finding(d: dict, menopause: str = "postmenopausal") -> str:
    """A title stating a finding across every combination in one menopausal setting: the fewest classes that close
    every route to proliferation without a cell-killing drug."""
    combos = d["combos"].merge(d["views"], on="view")
    killers = set(d["killers"])
    post = combos[(combos["menopause"] == menopause) & ~combos["classes"].map(lambda c: bool(killers & set(c)))]
    closed = post[(post["routes"] == "") & ~post["killed"]]
    if closed.empty:
        return f"In the {menopause} map, no choice of drug classes closes every route to proliferation"
    k = int(closed["classes"].map(len).min())
    smallest = closed[closed["classes"].map(len) == k]
    example = " + ".join(smallest.iloc[0]["classes"])
    return (f"In the {menopause} map, closing every route to proliferation without a cell-killing drug takes at "
            f"least {k} drug classes ({len(smallest)} such sets, e.g. {example})")


# ------------------------------------------------------------------------------------------------ 2. forest
#: The text of a hazard-ratio row (its estimate and interval, its patients) as both forest charts print it.
_HR_TEXTS = {
    "n_text": "isValid(datum.n) ? 'n=' + datum.n : 'n not printed'",
    "hr_text": "format(datum.hr, '.2f') + ' (' + format(datum.low, '.2f') + '–' + format(datum.high, '.2f') + ')'",
}


def _whiskers(base, xscale, y, color, tip):
    """A forest chart's 95% intervals: a rule from ``low`` to ``high`` on the log hazard-ratio axis."""
    return base.mark_rule(strokeWidth=2.5, aria=False).encode(
        alt.X("low:Q", scale=xscale, title="Hazard ratio (log scale): left of 1 favours the experimental arm"),
        x2="high:Q", y=y, color=color, tooltip=tip)


def _no_effect_line(xscale):
    """The line of no effect at a hazard ratio of 1."""
    return alt.Chart(alt.Data(values=[{"x": 1}])).mark_rule(color=OKABE_ITO["black"], strokeWidth=1,
                                                            aria=False).encode(alt.X("x:Q", scale=xscale))


def forest_table(tables) -> pd.DataFrame:
    """:func:`hrher2.forest.forest_data` for both endpoints (all trials, with errata), stacked, with ``endpoint``
    ('pfs' or 'os') and ``row`` (order within the endpoint) added."""
    results, errata = _need(tables, "trial_results", "errata")
    frames = []
    for ep in forest.HR_ENDPOINTS:
        f = forest.forest_data(results, endpoint=ep, errata=errata)
        frames.append(f.assign(endpoint=ep, row=range(len(f))))
    return pd.concat(frames, ignore_index=True)


def _forest_title(rows: pd.DataFrame, ep: str) -> str:
    """The static figure's title (:func:`hrher2.plots.forest_title`) for the rows of one endpoint, on one line."""
    from .plots.forest import forest_title

    rows = rows.copy()
    rows.attrs["endpoint"] = forest.HR_ENDPOINTS[ep][3]
    return forest_title(rows).replace("\n", " ")


def _forest_finding(tidy: pd.DataFrame) -> str:
    return "; ".join(_forest_title(tidy[tidy["endpoint"] == ep], ep) for ep in forest.HR_ENDPOINTS)


def _forest_headlines(data: pd.DataFrame, trials: list, cohorts: list) -> dict:
    """The forest plot's headline for every choice of its four controls, filtered exactly as the page filters, in the
    static figure's words."""
    out = {}
    for ep in forest.HR_ENDPOINTS:
        for trial in ["all", *trials]:
            for cohort in ["all", *cohorts]:
                for where in ("all", "Table", "Text"):
                    rows = data[(data["endpoint"] == ep) & ((data["trial"] == trial) if trial != "all" else True)
                                & ((data["cohort"] == cohort) if cohort != "all" else True)]
                    if where == "Table":
                        rows = rows[rows["printed_in"].str.startswith("Table")]
                    elif where == "Text":
                        rows = rows[rows["printed_in"] == "Text"]
                    out[f"{ep}|{trial}|{cohort}|{where}"] = _wrap_lines(_forest_title(rows, ep), 80)
    return out


@_in_words("forest plot")
def forest_chart(tables, endpoint: str = "pfs", trial: str = "all"):
    """Forest plot, live: endpoint (radio), trial and cohort (selects), where printed (radio). Squares are hazard
    ratios (hollow: the interval crosses 1), whiskers 95% CIs, log scale; SYSUCC-002's non-inferiority margin is drawn
    and labelled as coming from the primary source via errata E19."""
    if endpoint not in forest.HR_ENDPOINTS:
        raise ValueError(f"Unknown endpoint {endpoint!r}: choose one of {', '.join(forest.HR_ENDPOINTS)}.")
    tidy = forest_table(tables)
    trials = list(dict.fromkeys(tidy["trial"]))
    if trial != "all" and trial not in trials:
        raise ValueError(f"No hazard ratio is printed for {trial!r}. Trials with one: {', '.join(trials)}.")
    cohorts = list(dict.fromkeys(tidy["cohort"]))
    data = tidy[["endpoint", "row", "label", "trial", "cohort", "printed_in", "location", "n", "hr", "low", "high",
                 "crosses_one", "ni_margin", "refs", "n_from", "errata"]]
    p_ep = alt.param(name="fp_endpoint", value=endpoint, bind=alt.binding_radio(
        options=["pfs", "os"], labels=["Progression-free survival", "Overall survival"], name="Endpoint "))
    p_trial = alt.param(name="fp_trial", value=trial, bind=alt.binding_select(
        options=["all", *trials], labels=["All trials", *trials], name="Trial "))
    p_cohort = alt.param(name="fp_cohort", value="all", bind=alt.binding_select(
        options=["all", *cohorts], labels=["All cohorts", *cohorts], name="Cohort "))
    p_where = alt.param(name="fp_where", value="all", bind=alt.binding_radio(
        options=["all", "Table", "Text"], labels=["tables and text", "tables", "text"], name="Printed in "))
    lo = float(min(data["low"].min(), 0.4)) * 0.9
    hi = float(max(data["high"].max(), data["ni_margin"].max(), 1.5)) * 1.1
    xscale = alt.Scale(type="log", domain=[lo, hi], nice=False)
    base = alt.Chart(alt.NamedData(name="fp_rows")).transform_filter(
        "datum.endpoint == fp_endpoint && (fp_trial == 'all' || datum.trial == fp_trial) && "
        "(fp_cohort == 'all' || datum.cohort == fp_cohort) && (fp_where == 'all' || "
        "(fp_where == 'Table' ? indexof(datum.printed_in, 'Table') == 0 : datum.printed_in == fp_where))"
    ).transform_calculate(
        colour=f"indexof(datum.printed_in, 'Table') == 0 ? '{PRINTED_IN['Table 1']}' : '{PRINTED_IN['Text']}'",
        **_HR_TEXTS,
        ni_label=("isValid(datum.ni_margin) ? 'NI margin ' + datum.ni_margin + "
                  "' (primary source via errata E19; not printed in the review)' : ''"))
    y = alt.Y("label:N", sort=alt.EncodingSortField("row", op="min"), title=None,
              axis=alt.Axis(labelLimit=260, labelFontSize=11))
    tip = [alt.Tooltip("label:N", title="Row"), alt.Tooltip("hr_text:N", title="HR (95% CI)"),
           alt.Tooltip("n_text:N", title="Patients"), alt.Tooltip("n_from:N", title="n from"),
           alt.Tooltip("location:N", title="Where printed"), alt.Tooltip("refs:N", title="Review ref."),
           alt.Tooltip("errata:N", title="Errata"), alt.Tooltip("ni_label:N", title="Margin")]
    whiskers = _whiskers(base, xscale, y, alt.Color("colour:N", scale=None), tip)
    squares = base.transform_calculate(
        fill="datum.crosses_one ? '#FFFFFF' : datum.colour",
        words="datum.label + ': HR ' + datum.hr_text + (datum.crosses_one ? ', interval crosses 1' : ', interval "
              "excludes 1')").mark_point(
        shape="square", size=140, strokeWidth=2.5, filled=False, opacity=1).encode(
        alt.X("hr:Q", scale=xscale), y=y, stroke=alt.Stroke("colour:N", scale=None),
        fill=alt.Fill("fill:N", scale=None), tooltip=tip,
        description="words:N")
    numbers = base.mark_text(align="left", dx=8, fontSize=10.5, aria=False).encode(  # a column right of the plot
        x=alt.value(330), y=y, text="hr_text:N")
    one = _no_effect_line(xscale)
    margin = base.transform_filter("isValid(datum.ni_margin)").mark_tick(
        color=OKABE_ITO["vermillion"], thickness=2.5, size=34, strokeDash=[4, 2]).encode(
        alt.X("ni_margin:Q", scale=xscale), y=y, tooltip=tip)
    margin_text = base.transform_filter("isValid(datum.ni_margin)").mark_text(
        align="right", dy=-21, fontSize=10, color=OKABE_ITO["vermillion"]).encode(
        alt.X("ni_margin:Q", scale=xscale), y=y, text="ni_label:N")
    finding = _forest_finding(tidy)
    p_head, title_text = _headlines("fp_headlines", _forest_headlines(data, trials, cohorts),
                                    "fp_endpoint + '|' + fp_trial + '|' + fp_cohort + '|' + fp_where")
    return alt.layer(one, whiskers, squares, numbers, margin, margin_text).add_params(
        p_ep, p_trial, p_cohort, p_where, p_head).properties(
        width=330, height=alt.Step(48), datasets={"fp_rows": _records(data)},
        title=alt.TitleParams(title_text, anchor="start", fontSize=13, subtitle=[
            "Sky-blue: printed in a table; reddish purple: printed in the text. Hollow squares: the 95% CI crosses 1.",
            "The dashed vermillion tick is SYSUCC-002's non-inferiority margin, which the review does not print "
            "(errata E19)."]),
        description=(f"Forest plot of {len(tidy)} hazard ratios from the review ({', '.join(trials)}), with "
                     f"controls for endpoint, trial, cohort and where the value is printed. {finding}."))


# -------------------------------------------------------------------------------------------- 3. comparator
def comparator_table(tables) -> pd.DataFrame:
    """:func:`hrher2.comparators.comparator_data` for every Table 1/2 group x endpoint x source that has rows, stacked,
    with ``table_group``, ``endpoint`` and ``source`` added."""
    (results,) = _need(tables, "trial_results")
    frames = []
    for group in comparators.table_groups(results):
        for ep in comparators.MEDIAN_ENDPOINTS:
            for src in comparators.SOURCES:
                try:
                    f = comparators.comparator_data(results, group, ep, src)
                except ValueError:
                    continue  # e.g. a group printed only in the text, asked for its table values
                if not f.empty:
                    frames.append(f.assign(table_group=group, endpoint=ep, source=src))
    return pd.concat(frames, ignore_index=True)


def _comparator_headlines(data: pd.DataFrame, groups: list) -> dict:
    """The comparator's headline for every group x endpoint x source, from the rows the page shows for it."""
    out = {}
    for group in groups:
        for ep, ep_words in (("mpfs", "median PFS"), ("mos", "median OS")):
            for src, src_words in (("table", "as Table 1/2 prints it"), ("text", "as the text prints it")):
                rows = data[(data["table_group"] == group) & (data["endpoint"] == ep) & (data["source"] == src)]
                if rows.empty:
                    text = f"{group}: the review prints no {ep_words} {src_words.replace('it', 'for this group')}"
                else:
                    n_trials = rows[["trial", "cohort"]].drop_duplicates().shape[0]
                    n_diff = int(rows["differs"].sum())
                    text = (f"{group}, {ep_words} {src_words}: {n_trials} trial cohort{'s' if n_trials != 1 else ''}, "
                            f"{n_diff} arm value{'s' if n_diff != 1 else ''} printed differently elsewhere (*)")
                out[f"{group}|{ep}|{src}"] = _wrap_lines(text, 80)
    return out


@_in_words("trial comparator")
def comparator_chart(tables, table_group: str = "ET ± single anti-HER2 therapy", endpoint: str = "mpfs",
                     source: str = "table"):
    """The trial comparator, live: group (select), endpoint and source (radios: Table 1/2 or the text). Bars are
    each arm's median; * marks a value the text and the table print differently."""
    tidy = comparator_table(tables)
    groups = list(dict.fromkeys(tidy["table_group"]))
    if table_group not in groups:
        raise ValueError(f"No table group called {table_group!r}. Known groups: {', '.join(groups)}.")
    if endpoint not in comparators.MEDIAN_ENDPOINTS or source not in comparators.SOURCES:
        raise ValueError("endpoint must be 'mpfs' or 'mos' and source 'table' or 'text'.")
    data = tidy[["table_group", "endpoint", "source", "trial", "cohort", "arm", "arm_label", "months", "status",
                 "differs", "rounding_only", "table_months", "text_months", "value_from", "location", "refs"]].assign(
        order=range(len(tidy)))
    diffs = tidy[tidy["differs"]].drop_duplicates(["table_group", "endpoint", "trial", "cohort", "arm"])
    n_groups = diffs[["table_group", "endpoint"]].drop_duplicates().shape[0]
    finding = (f"Text and tables print different medians for {len(diffs)} arm values in {n_groups} "
               f"group-endpoint views: flip the source to see them")
    p_group = alt.param(name="cp_group", value=table_group, bind=alt.binding_select(options=groups, name="Group "))
    p_ep = alt.param(name="cp_endpoint", value=endpoint, bind=alt.binding_radio(
        options=["mpfs", "mos"], labels=["median PFS", "median OS"], name="Endpoint "))
    p_src = alt.param(name="cp_source", value=source, bind=alt.binding_radio(
        options=["table", "text"], labels=["Table 1/2", "the text"], name="Source "))
    base = alt.Chart(alt.NamedData(name="cp_rows")).transform_filter(
        "datum.table_group == cp_group && datum.endpoint == cp_endpoint && datum.source == cp_source"
    ).transform_calculate(
        row_label="datum.trial + ' · ' + datum.cohort",
        words="datum.trial + ' · ' + datum.cohort + ', ' + datum.arm + ' arm (' + datum.arm_label + '): ' + "
              "(isValid(datum.months) ? datum.months + ' months' : (datum.status ? datum.status : 'not printed'))",
        bar="isValid(datum.months) ? datum.months : 0",
        value_text=("isValid(datum.months) ? datum.months + (datum.differs ? ' *' : '') : "
                    "(datum.status ? datum.status : 'not printed')"),
        printed=("'table ' + (isValid(datum.table_months) ? datum.table_months : '—') + ' · text ' + "
                 "(isValid(datum.text_months) ? datum.text_months : '—') + "
                 "(datum.rounding_only ? ' (rounding only)' : '')"))
    y = alt.Y("row_label:N", sort=alt.EncodingSortField("order", op="min"), title=None,
              axis=alt.Axis(labelLimit=240, labelFontSize=11))
    yoff = alt.YOffset("arm:N", sort=["experimental", "control"])
    colour = alt.Color("arm:N", scale=alt.Scale(domain=list(ARM), range=list(ARM.values())),
                       legend=alt.Legend(title="Arm", orient="top"))
    tip = [alt.Tooltip("trial:N", title="Trial"), alt.Tooltip("cohort:N", title="Cohort"),
           alt.Tooltip("arm_label:N", title="Regimen"), alt.Tooltip("value_text:N", title="Months"),
           alt.Tooltip("value_from:N", title="Value from"), alt.Tooltip("printed:N", title="Printed"),
           alt.Tooltip("location:N", title="Where printed"), alt.Tooltip("refs:N", title="Review ref.")]
    bars = base.mark_bar(height=alt.RelativeBandSize(0.9)).encode(
        alt.X("bar:Q", title="Median (months)"), y=y, yOffset=yoff, color=colour,
        strokeDash=alt.StrokeDash("arm:N", scale=alt.Scale(domain=["experimental", "control"],
                                                            range=[[1, 0], [4, 2]]),
                                  legend=alt.Legend(title="Arm", orient="top")),
        stroke=alt.value(OKABE_ITO["black"]), strokeWidth=alt.value(0.6), tooltip=tip,
        description="words:N")
    labels = base.mark_text(align="left", dx=4, fontSize=10.5, aria=False).encode(
        alt.X("bar:Q"), y=y, yOffset=yoff, text="value_text:N", tooltip=tip)
    p_head, title_text = _headlines("cp_headlines", _comparator_headlines(data, groups),
                                    "cp_group + '|' + cp_endpoint + '|' + cp_source")
    return alt.layer(bars, labels).add_params(p_group, p_ep, p_src, p_head).properties(
        width=380, height=alt.Step(16), datasets={"cp_rows": _records(data)},
        title=alt.TitleParams(title_text, anchor="start", fontSize=13, subtitle=[
            finding + ".",
            "Compare the two arms within one trial only: different trials enrolled different patients.",
            "* the text and the table print different values for this arm (hover for both)."]),
        description=(f"Grouped bar chart of both arms' medians for the trials of one Table 1/2 group, with a group "
                     f"menu, an endpoint switch and a table-or-text switch. {finding}."))


# ------------------------------------------------------------------------------------------ 4. benefit, harm
@_in_words("benefit-against-harm chart")
def benefit_harm_chart(tables):
    """Benefit against harm, live: each trial's median-PFS gain against its extra share of patients with severe
    adverse events; hover (or focus the select) for trial, arms and where each number is printed."""
    results, outcomes = _need(tables, "trial_results", "other_outcomes")
    tidy = benefit_harm.benefit_harm(results, outcomes)
    if tidy.empty:
        raise ValueError("No trial prints both a median-PFS gain and severe-AE rates for both arms.")
    data = tidy.assign(arms=tidy["arm_exp"] + " vs " + tidy["arm_ctrl"],
                       source=("PFS: " + tidy["mpfs_printed_in"] + "; AEs: " + tidy["printed_in"] + " (refs "
                               + tidy["refs"] + ")"),
                       ae_words=[f"{e:g}% vs {c:g}% ({ep})" for e, c, ep in zip(tidy["ae_exp"], tidy["ae_ctrl"],
                                                                             tidy["ae_endpoint"])],
                       pfs_words=[f"{e:g} vs {c:g} months" for e, c in zip(tidy["mpfs_exp"], tidy["mpfs_ctrl"])])
    worse = int((tidy["ae_difference"] > 0).sum())
    finding = (f"Every trial gains median PFS ({tidy['mpfs_gain'].min():g}–{tidy['mpfs_gain'].max():g} months); "
               f"{worse} of {len(tidy)} pay for it with more severe adverse events")
    p_pick = alt.param(name="bh_trial", value="all", bind=alt.binding_select(
        options=["all", *tidy["trial"]], labels=["All trials", *tidy["trial"]], name="Highlight "))
    base = alt.Chart(alt.NamedData(name="bh_rows")).transform_calculate(
        lit="bh_trial == 'all' || datum.trial == bh_trial",
        words="datum.trial + ' (' + datum.arms + '): median PFS gain ' + datum.mpfs_gain + ' months; severe AEs ' + "
              "datum.ae_words + '. Source: ' + datum.source")
    tip = [alt.Tooltip("trial:N", title="Trial"), alt.Tooltip("arms:N", title="Arms"),
           alt.Tooltip("pfs_words:N", title="Median PFS"), alt.Tooltip("mpfs_gain:Q", title="PFS gain (months)"),
           alt.Tooltip("ae_words:N", title="Severe AEs"), alt.Tooltip("source:N", title="Source")]
    x = alt.X("mpfs_gain:Q", title="Median PFS gain, experimental − control (months)", scale=alt.Scale(zero=True))
    y = alt.Y("ae_difference:Q", title="Severe AEs, experimental − control (% points)")
    points = base.mark_point(filled=True, size=220, shape="circle", stroke=OKABE_ITO["black"], strokeWidth=1).encode(
        x, y, color=alt.value(ARM["experimental"]),
        opacity=alt.condition("datum.lit", alt.value(1), alt.value(0.2)), tooltip=tip,
        description="words:N")
    names = base.mark_text(align="left", dx=12, fontSize=11, aria=False).encode(
        x, y, text="trial:N", opacity=alt.condition("datum.lit", alt.value(1), alt.value(0.3)))
    zero = alt.Chart(alt.Data(values=[{"y": 0}])).mark_rule(color=_GREY, strokeDash=[4, 3], aria=False).encode(
        y=alt.Y("y:Q"))
    note = alt.Chart(alt.Data(values=[{"t": "above the line: more harm with the experimental arm"}])).mark_text(
        align="left", baseline="bottom", dx=4, dy=-4, fontSize=10, color="#555555", aria=False).encode(
        x=alt.value(0), y=alt.Y("zero:Q"), text="t:N").transform_calculate(zero="0")
    heads = {"all": _wrap_lines(finding, 80)}
    for r in data.itertuples():
        heads[r.trial] = _wrap_lines(f"{r.trial} ({r.arms}): median PFS {r.pfs_words}, a gain of {r.mpfs_gain:g} "
                                     f"months; severe adverse events {r.ae_words}", 80)
    p_head, title_text = _headlines("bh_headlines", heads, "bh_trial")
    return alt.layer(zero, note, points, names).add_params(p_pick, p_head).properties(
        width=480, height=320, datasets={"bh_rows": _records(data)},
        title=alt.TitleParams(title_text, anchor="start", fontSize=13, subtitle=[
            "One point per trial that prints both a median-PFS gain and severe-AE rates for both arms "
            "(hover for arms and sources).",
            f"Not shown (no numbers for both arms): {', '.join(tidy.attrs.get('without_numbers') or []) or 'none'}."]),
        description=(f"Scatter plot of median PFS gain against the difference in severe adverse events for "
                     f"{len(tidy)} trials: " + "; ".join(
                         f"{r.trial}, gain {r.mpfs_gain:g} months, {r.ae_difference:+g} points"
                         for r in tidy.itertuples()) + f". {finding}."))


# ------------------------------------------------------------------------------------ 5. expected curves
@_in_words("expected-curves chart")
def expected_curves_chart(control_median: float = 12, hazard_ratio: float = 0.75, months: float = 60,
                          points: int = 121, endpoint: str = "PFS"):
    """The two true exponential survival curves, live: control median and hazard ratio on sliders; the page
    evaluates S(t) = exp(-ln 2 · t / median) with experimental median = control median / HR on the month grid of
    :func:`hrher2.survival.expected_curves` (whose values at the default settings the chart also embeds)."""
    curves = survival.expected_curves(control_median, hazard_ratio, months=months, points=points)
    grid = curves[curves["arm"] == "control"][["month"]].reset_index(drop=True)
    long = pd.concat([grid.assign(arm=arm) for arm in survival.ARMS], ignore_index=True)
    long = long.merge(curves[["arm", "month", "survival"]].rename(columns={"survival": "default_survival"}),
                      on=["arm", "month"]).round({"month": 4, "default_survival": 5})
    p_cm = alt.param(name="ec_control", value=float(control_median), bind=alt.binding_range(
        min=3, max=36, step=0.5, name="Control median (months) "))
    p_hr = alt.param(name="ec_hr", value=float(hazard_ratio), bind=alt.binding_range(
        min=0.3, max=1.5, step=0.05, name="True hazard ratio "))
    colour = alt.Color("arm:N", scale=alt.Scale(domain=list(ARM), range=list(ARM.values())),
                       legend=alt.Legend(title=None, orient="top-right", labelLimit=320, labelExpr=(
                           "datum.label == 'experimental' ? 'experimental arm: median ' + format(ec_control / ec_hr, "
                           "'.1f') + ' months' : 'control arm: median ' + format(ec_control, '.1f') + ' months'")))
    base = alt.Chart(alt.NamedData(name="ec_grid")).transform_calculate(
        median="datum.arm == 'control' ? ec_control : ec_control / ec_hr",
    ).transform_calculate(survival="exp(-LN2 * datum.month / datum.median)")
    x = alt.X("month:Q", title="Months since randomisation", scale=alt.Scale(domain=[0, months], nice=False))
    lines = base.mark_line(strokeWidth=2.5).encode(
        x, alt.Y("survival:Q", title=f"{endpoint}: proportion event-free", scale=alt.Scale(domain=[0, 1])),
        color=colour, strokeDash=alt.StrokeDash("arm:N", scale=alt.Scale(domain=["experimental", "control"],
                                                                          range=[[1, 0], [6, 3]]), legend=None),
        tooltip=[alt.Tooltip("arm:N"), alt.Tooltip("month:Q", format=".1f"),
                 alt.Tooltip("survival:Q", format=".2f", title="event-free")])
    meds = alt.Chart(alt.Data(values=[{"arm": a} for a in survival.ARMS])).transform_calculate(
        median="datum.arm == 'control' ? ec_control : ec_control / ec_hr", half="0.5").transform_filter(
        f"datum.median <= {months}")
    drops = meds.mark_rule(strokeDash=[2, 2], strokeWidth=1.5, aria=False).encode(
        alt.X("median:Q"), alt.Y("half:Q"), y2=alt.Y2(datum=0), color=colour)
    half = alt.Chart(alt.Data(values=[{"y": 0.5}])).mark_rule(color=_GREY, strokeDash=[2, 2], aria=False).encode(
        y="y:Q")
    headline = alt.Chart(alt.Data(values=[{"x": 0}])).transform_calculate(
        text=("'HR ' + format(ec_hr, '.2f') + ': median ' + format(ec_control, '.1f') + ' → ' + "
              "format(ec_control / ec_hr, '.1f') + ' months (' + (ec_hr <= 1 ? 'gains ' : 'loses ') + "
              "format(abs(ec_control / ec_hr - ec_control), '.1f') + ' months)'")).mark_text(
        align="left", baseline="top", fontSize=12, fontWeight="bold", dx=4, dy=4).encode(
        x=alt.value(0), y=alt.value(0), text="text:N")
    title = (f"Experimental median = control median ÷ hazard ratio: at HR {hazard_ratio:g} a "
             f"{control_median:g}-month median becomes {control_median / hazard_ratio:.1f} months")
    live_title = alt.ExprRef(
        "['Experimental median = control median ÷ hazard ratio:', 'at HR ' + format(ec_hr, '.2~f') + ' a ' + "
        "format(ec_control, '.1~f') + '-month median becomes ' + format(ec_control / ec_hr, '.1f') + ' months']")
    return alt.layer(half, lines, drops, headline).add_params(p_cm, p_hr).properties(
        width=500, height=300, datasets={"ec_grid": _records(long)}, usermeta={"headline": title},
        title=alt.TitleParams(live_title, anchor="start", fontSize=13, subtitle=[
            "Move the sliders (arrow keys work): the page redraws the two exponential curves; dotted lines drop from "
            "each median.", "These are the true curves of a design; a simulated trial (next section) needs the "
            "kernel."]),
        description=(f"Line chart of two exponential {endpoint} curves with sliders for the control median and the "
                     f"true hazard ratio. At the defaults (control median {control_median:g} months, HR "
                     f"{hazard_ratio:g}) the experimental median is {control_median / hazard_ratio:.1f} months."))


# ---------------------------------------------------------------------------------------------- 6. ongoing
def ongoing_table(tables) -> pd.DataFrame:
    """Table 3 in long form for the live map: one row per trial x drug class of :data:`hrher2.ongoing_trials.CLASSES`
    (``present`` 1/0 from :func:`hrher2.ongoing_trials.class_matrix`), with the trial's label, phase, status, title,
    intervention and its classes (``|``-delimited, for filtering)."""
    (table,) = _need(tables, "ongoing_trials")
    matrix = ongoing_trials.class_matrix(table)
    facts = table.set_index("nct_id")
    rows = []
    for order, (nct, r) in enumerate(matrix.iterrows()):
        f = facts.loc[nct]
        present = [c for c in ongoing_trials.CLASSES if r[c]]
        for cls in ongoing_trials.CLASSES:
            rows.append({"nct_id": nct, "label": ongoing_trials.trial_label(f.to_dict() | {"nct_id": nct}), "order": order,
                         "phase": f["phase"], "status": f["status"], "title": f["title"],
                         "intervention": f["intervention"], "classes": "|" + "|".join(present) + "|",
                         "drug_class": cls, "present": int(r[cls])})
    return pd.DataFrame(rows)


_OG_TRIAL_COLUMNS = ["nct_id", "label", "order", "phase", "status", "title", "intervention", "classes"]


def _og_ticked() -> str:
    """A Vega expression: is any class box ticked?"""
    return " || ".join(f"og_c{k}" for k in range(len(ongoing_trials.CLASSES)))


def _og_class_test(ref) -> str:
    """A Vega expression: does a trial pass the class boxes and the any/all switch? ``ref(k, cls)`` says how the
    trial's own membership of class k reads (a literal for the headline's count, a look into the datum for the
    map's filter)."""
    ticked = _og_ticked()
    any_of = " || ".join(f"(og_c{k} && {ref(k, c)})" for k, c in enumerate(ongoing_trials.CLASSES)) or "false"
    all_of = " && ".join(f"(!og_c{k} || {ref(k, c)})" for k, c in enumerate(ongoing_trials.CLASSES))
    return f"(og_match == 'any' ? ({any_of}) : (({all_of}) && ({ticked})))"


def _og_pass(phase: str, status: str) -> str:
    return (f"(og_phase == 'all' || og_phase == {json.dumps(phase)}) && "
            f"(og_status == 'all' || og_status == {json.dumps(status)})")


@_in_words("ongoing-trials map")
def ongoing_chart(tables):
    """The ongoing-trials explorer, live: a checkbox per drug class with an any/all switch, and phase and status
    (selects) filter the trials x classes map of Table 3; hover a square for the trial's title and intervention as
    printed. The headline counts the trials that pass, in the page (one term per trial, written here from the data),
    so it follows every combination of the controls."""
    (table,) = _need(tables, "ongoing_trials")
    tidy = ongoing_table(tables)
    s = ongoing_trials.map_summary(table)
    finding = (f"{s['et_her2']} of {s['n']} ongoing trials pair endocrine therapy with anti-HER2 therapy; "
               f"{s['cdk46']} add a CDK4/6 inhibitor and {s['chemo_free']} are chemotherapy-free")
    classes = list(ongoing_trials.CLASSES)
    p_boxes = [alt.param(name=f"og_c{k}", value=True, bind=alt.binding_checkbox(name=f"{c} "))
               for k, c in enumerate(classes)]
    p_match = alt.param(name="og_match", value="any", bind=alt.binding_radio(
        options=["any", "all"], labels=["any ticked class", "all ticked classes"], name="Trials with "))
    p_ph = alt.param(name="og_phase", value="all", bind=alt.binding_select(
        options=["all", *ongoing_trials.PHASES], labels=["Any phase", *ongoing_trials.PHASES], name="Phase "))
    p_st = alt.param(name="og_status", value="all", bind=alt.binding_select(
        options=["all", *ongoing_trials.STATUSES], labels=["Any status", *ongoing_trials.STATUSES], name="Status "))
    # the headline's count: one term per trial, its classes, phase and status written in as literals
    trials = tidy.drop_duplicates("nct_id")[_OG_TRIAL_COLUMNS]
    terms = []
    for r in trials.itertuples():
        has = set(r.classes.strip("|").split("|"))
        test = _og_class_test(lambda k, c, has=has: "true" if c in has else "false")
        terms.append(f"(({test}) && {_og_pass(r.phase, r.status)} ? 1 : 0)")
    n = len(trials)
    p_count = alt.param(name="og_n", expr=" + ".join(terms))
    ticked = _og_ticked()
    defaults = " && ".join([*(f"og_c{k}" for k in range(len(classes))), "og_match == 'any'", "og_phase == 'all'",
                            "og_status == 'all'"])
    as_expr = json.dumps  # a list of title lines, written as a Vega array literal
    head = (f"!({ticked}) ? {as_expr(_wrap_lines('No drug class is ticked: tick at least one', 80))} : "
            f"({defaults}) ? {as_expr(_wrap_lines(finding, 80))} : og_n == 0 ? "
            f"{as_expr(_wrap_lines('No trial matches these choices: tick another class, or set a menu back to Any', 80))}"
            f" : [og_n + ' of {n} ongoing trials ' + (og_n == 1 ? 'matches' : 'match') + ' these choices']")
    p_head = alt.param(name="og_head", expr=head)
    base = alt.Chart(alt.NamedData(name="og_matrix")).transform_lookup(
        lookup="nct_id", from_=alt.LookupData(alt.NamedData(name="og_trials"), "nct_id", _OG_TRIAL_COLUMNS[1:])
    ).transform_filter(
        _og_class_test(lambda k, c: f"indexof(datum.classes, {json.dumps('|' + c + '|')}) >= 0")
        + " && (og_phase == 'all' || datum.phase == og_phase) && (og_status == 'all' || datum.status == og_status)")
    tip = [alt.Tooltip("label:N", title="Trial"), alt.Tooltip("title:N", title="Title (as printed)"),
           alt.Tooltip("intervention:N", title="Intervention"), alt.Tooltip("phase:N", title="Phase"),
           alt.Tooltip("status:N", title="Status"), alt.Tooltip("drug_class:N", title="Class")]
    colour = alt.Color("drug_class:N", scale=alt.Scale(
        domain=classes, range=[_og_colour(c) for c in classes]), legend=None)
    x = alt.X("drug_class:N", sort=classes, title=None,
              axis=alt.Axis(orient="top", labelAngle=-35, labelLimit=200, labelFontSize=11))
    y = alt.Y("label:N", sort=alt.EncodingSortField("order", op="min"), title=None,
              axis=alt.Axis(labelLimit=260, labelFontSize=11))
    squares = base.transform_filter("datum.present == 1").transform_calculate(
        words="datum.label + ' contains ' + datum.drug_class + ' (' + datum.phase + ', ' + datum.status + ')'"
    ).mark_square(size=260, opacity=1).encode(x, y, color=colour, tooltip=tip, description="words:N")
    grid = base.mark_square(size=260, filled=False, color="#BBBBBB", strokeWidth=0.8, aria=False).encode(
        x, y, tooltip=tip)
    return alt.layer(grid, squares).add_params(*p_boxes, p_match, p_ph, p_st, p_count, p_head).properties(
        width=alt.Step(42), height=alt.Step(24), datasets={"og_trials": _records(trials),
                                                     "og_matrix": _records(tidy[["nct_id", "drug_class", "present"]])},
        usermeta={"headline": _wrap_lines(finding, 80)},
        title=alt.TitleParams(alt.ExprRef("og_head"), anchor="start", fontSize=13, subtitle=[
            "Rows: Table 3's ongoing trials; a filled square: the intervention contains that drug class.",
            "Tick classes (any or all of them), choose a phase and a status; phase and status as Table 3 prints them."]),
        description=(f"Matrix of {s['n']} ongoing trials (rows) by {len(classes)} drug classes (columns), with a "
                     f"checkbox per drug class, an any-or-all switch and menus for phase and status. {finding}."))


def _og_colour(cls: str) -> str:
    """Table 3's classes in the palette's drug-class colours (ET: endocrine; the anti-HER2 kinds by their family)."""
    mapping = {"anti-HER2 antibody": "antibody", "anti-HER2 TKI": "TKI", "anti-HER2 ADC": "ADC", "ET": "endocrine",
               "ovarian function suppression": "endocrine", "CDK4/6 inhibitor": "CDK4/6 inhibitor",
               "PI3K inhibitor": "PI3K/AKT/mTOR inhibitor", "chemotherapy": "chemotherapy"}
    return DRUG_CLASS.get(mapping.get(cls, ""), _GREY)


# ------------------------------------------------------------------------------------- 7. since the review
def later_forest_table(tables) -> pd.DataFrame:
    """:func:`hrher2.later_evidence.forest_with_review` for PFS and OS, stacked (``family`` says which), with
    ``row`` numbering the rows within each family."""
    results, since, errata = _need(tables, "trial_results", "since_review", "errata")
    frames = [later_evidence.forest_with_review(results, since, fam, errata) for fam in later_evidence.HR_FAMILIES]
    return pd.concat(frames, ignore_index=True)


@_in_words("since-the-review forest plot")
def later_forest_chart(tables, family: str = "PFS", era: str = "since", source: str = "all"):
    """Hazard ratios published since the review, live, beside the review's own: endpoint (PFS/OS), whether to show
    the review's rows, and which kind of source (congress abstract, journal article). Colour and shape say the
    source; a hollow marker's interval crosses 1; the headline counts what the current choice shows."""
    if family not in later_evidence.HR_FAMILIES:
        raise ValueError(f"Unknown endpoint {family!r}: choose one of {', '.join(later_evidence.HR_FAMILIES)}.")
    if era not in ("since", "both"):
        raise ValueError(f"Unknown choice {era!r} for which rows to show: choose 'since' or 'both'.")
    tidy = later_forest_table(tables)
    kinds = [k for k in EVIDENCE_SOURCE if k in set(tidy["source_kind"])]
    if source != "all" and source not in kinds:
        raise ValueError(f"No hazard ratio comes from a {source!r}. Sources with one: {', '.join(kinds)}.")
    data = tidy[["family", "row", "label", "trial", "endpoint", "cohort", "analysis", "analysis_type", "source_kind",
                 "published", "n", "hr", "low", "high", "crosses_one", "result_id", "confidence", "era"]]
    p_fam = alt.param(name="lf_family", value=family, bind=alt.binding_radio(
        options=list(later_evidence.HR_FAMILIES), labels=["Progression-free survival", "Overall survival"],
        name="Endpoint "))
    p_era = alt.param(name="lf_era", value=era, bind=alt.binding_radio(
        options=["since", "both"], labels=["since the review only", "with the review's hazard ratios"],
        name="Show "))
    new_kinds = [k for k in kinds if k != "the review"]
    p_src = alt.param(name="lf_source", value=source, bind=alt.binding_select(
        options=["all", *new_kinds], labels=["every kind of source", *new_kinds], name="Source "))
    lo = float(min(data["low"].min(), 0.25)) * 0.9
    hi = float(max(data["high"].max(), 1.6)) * 1.1
    xscale = alt.Scale(type="log", domain=[lo, hi], nice=False)
    keep = ("datum.family == lf_family && (lf_era == 'both' || datum.era == 'since the review') && "
            "(lf_source == 'all' || datum.source_kind == lf_source || datum.era == 'in the review')")
    base = alt.Chart(alt.NamedData(name="lf_rows")).transform_filter(keep).transform_calculate(
        **_HR_TEXTS)
    y = alt.Y("label:N", sort=alt.EncodingSortField("row", op="min"), title=None,
              axis=alt.Axis(labelLimit=200, labelFontSize=10.5))
    colour = alt.Color("source_kind:N", title="Source", scale=alt.Scale(
        domain=kinds, range=[EVIDENCE_SOURCE[k] for k in kinds]), legend=alt.Legend(orient="bottom"))
    shape = alt.Shape("source_kind:N", title="Source", scale=alt.Scale(
        domain=kinds, range=[EVIDENCE_SHAPE[k] for k in kinds]), legend=alt.Legend(orient="bottom"))
    tip = [alt.Tooltip("label:N", title="Row"), alt.Tooltip("hr_text:N", title="HR (95% CI)"),
           alt.Tooltip("n_text:N", title="Patients"), alt.Tooltip("analysis:N", title="Analysis"),
           alt.Tooltip("analysis_type:N", title="Kind of analysis"), alt.Tooltip("published:N", title="Published"),
           alt.Tooltip("confidence:N", title="Course's confidence"), alt.Tooltip("result_id:N", title="Data row")]
    whiskers = _whiskers(base, xscale, y, alt.Color("source_kind:N", scale=alt.Scale(
        domain=kinds, range=[EVIDENCE_SOURCE[k] for k in kinds]), legend=None), tip)
    marks = base.transform_calculate(
        opacity="datum.crosses_one ? 0 : 1",
        words="datum.label + ': HR ' + datum.hr_text + (datum.crosses_one ? ', interval crosses 1' : "
              "', interval excludes 1')").mark_point(size=150, strokeWidth=2.5, filled=True).encode(
        alt.X("hr:Q", scale=xscale), y=y, color=colour, shape=shape,
        fillOpacity=alt.FillOpacity("opacity:Q", scale=None, legend=None), tooltip=tip, description="words:N")
    numbers = base.mark_text(align="left", dx=6, fontSize=10.5, aria=False).encode(
        x=alt.value(230), y=y, text="hr_text:N")
    one = _no_effect_line(xscale)
    headline = base.transform_calculate(below="datum.high < 1 ? 1 : 0", new="datum.era == 'since the review' ? 1 : 0"
    ).transform_aggregate(shown="count()", below="sum(below)", new="sum(new)").transform_calculate(
        text=("datum.shown == 0 ? 'No result matches these choices' : datum.below + ' of ' + datum.shown + "
              "' intervals shown lie wholly below 1'")
    ).mark_text(align="left", baseline="bottom", fontSize=12, fontWeight="bold", dy=-6).encode(
        x=alt.value(-200), y=alt.value(0), text="text:N")
    first = _later_forest_finding(tidy[tidy["family"] == family])
    return alt.layer(one, whiskers, marks, numbers, headline).add_params(p_fam, p_era, p_src).properties(
        width=230, height=alt.Step(40), datasets={"lf_rows": _records(data)}, usermeta={"headline": (
            "Hazard ratios published since the review" + (", beside the review's own" if era == "both" else "")
            + ": " + ("progression-free survival" if family == "PFS" else "overall survival"))},
        title=alt.TitleParams(alt.ExprRef(
            "['Hazard ratios published since the review' + (lf_era == 'both' ? ', beside the review\\'s own' : '') + "
            "': ' + (lf_family == 'PFS' ? 'progression-free survival' : 'overall survival')]"),
            anchor="start", fontSize=13, dy=-18,
                              subtitle=["Marker colour and shape: the kind of source. Hollow: the 95% CI crosses 1.",
                                        "A congress abstract and the paper that follows it are separate rows."]),
        description=(f"Forest plot of hazard ratios published after the review, with controls for endpoint, for "
                     f"showing the review's own hazard ratios, and for the kind of source. {first}."))


def _later_forest_finding(tidy: pd.DataFrame) -> str:
    new = tidy[tidy["era"] == "since the review"]
    return (f"{int((new['high'] < 1).sum())} of {len(new)} intervals published since the review lie wholly below 1")


# ---------------------------------------------------------------------------------------------- 8. a case
#: The case grid's columns: (column of :func:`hrher2.eligibility.case_data`, header, the column giving its source).
_CE_COLS = [("hr_her2_result", "HR+/HER2+ result shown", "showed_cohort"), ("line", "Line of therapy", "line_source"),
            ("prior_anti_her2", "Prior anti-HER2", "prior_source"), ("menopause", "Menopausal status",
                                                                      "menopause_source"),
            ("visceral", "Visceral disease", "visceral_source")]
#: Every mark the grid can show, in the legend's order: (what it says, Vega shape, filled?, colour). The case
#: verdicts in the same fixed meanings as ever (a match bluish green, no match vermillion, "unclear" reddish purple;
#: hollow marks are inferences); then the HR+/HER2+-result column's three answers.
_X_SHAPE = "M-1,-0.7L-0.7,-1L0,-0.3L0.7,-1L1,-0.7L0.3,0L1,0.7L0.7,1L0,0.3L-0.7,1L-1,0.7L-0.3,0Z"
_CE_MARKS = [
    ("matches", "circle", True, OKABE_ITO["bluish_green"]),
    ("matches (inferred)", "circle", False, OKABE_ITO["bluish_green"]),
    ("the review does not say", "stroke", True, OKABE_ITO["black"]),
    ("not given for this patient", "circle", True, "#777777"),
    ("the review is unclear", "diamond", True, OKABE_ITO["reddish_purple"]),
    ("probably does not match (inferred)", _X_SHAPE, False, OKABE_ITO["vermillion"]),
    ("does not match", _X_SHAPE, True, OKABE_ITO["vermillion"]),
    ("HR+/HER2+ result: yes", "circle", True, OKABE_ITO["bluish_green"]),
    ("HR+/HER2+ result: HER2+ only", "square", False, OKABE_ITO["black"]),
    ("HR+/HER2+ result: HER2-low study", _X_SHAPE, True, OKABE_ITO["vermillion"]),
]
_CE_OVERALL = {"enrolled patients like this (as far as the review says)": "enrolled (as far as the review says)",
               "cannot tell from the review": "cannot tell from the review",
               "probably did not enrol patients like this": "probably did not enrol",
               "did not enrol patients like this": "did not enrol"}


def _ce_mark(column: str, value: str) -> str:
    if column != "hr_her2_result":
        return value
    return ("HR+/HER2+ result: yes" if value == "yes" else "HR+/HER2+ result: HER2-low study"
            if value.startswith("HER2-low") else "HR+/HER2+ result: HER2+ only")


def case_table(tables) -> tuple[pd.DataFrame, dict, dict]:
    """The case grid's data: one row per study x column, what does not change with the case (trial, column, the
    column's source, what the study showed), and for every case :func:`hrher2.eligibility.every_case` allows,
    ``{"marks": [...], "overall": [...], "order": [...]}`` (one entry per row, per study, per study) or, for a
    self-contradictory case, the sentence saying why (keys: the four answers joined by '|'); and ``every_case``'s
    own answer, for the headlines."""
    (results,) = _need(tables, "trial_results")
    cases = eligibility.every_case(results)
    default = cases[tuple(opts[0] for opts in eligibility.CASE_OPTIONS.values())]
    studies = eligibility.case_trials(results)
    info = default.set_index("trial").loc[studies]
    rows = []
    for t, trial in enumerate(studies):
        r = info.loc[trial]
        for j, (col, header, source) in enumerate(_CE_COLS):
            src = (f"{r.hr_her2_result} (the data's cohorts; shown: {r.showed_cohort or 'no number'})"
                   if col == "hr_her2_result" else r[source])
            rows.append({"cell": len(rows), "t": t, "trial": trial, "column": header, "j": j, "source": src,
                         "showed": r.showed, "printed_in": r.showed_printed_in or "—", "refs": r.refs})
    names = [m[0] for m in _CE_MARKS]
    overall = list(_CE_OVERALL)
    lut = {}
    for case, tidy in cases.items():
        key = "|".join(case)
        if isinstance(tidy, str):
            lut[key] = tidy
            continue
        by = {r["trial"]: (i, r) for i, r in enumerate(tidy.to_dict("records"))}
        lut[key] = {"marks": [names.index(_ce_mark(col, by[tr][1][col])) for tr in studies for col, *_ in _CE_COLS],
                    "overall": [overall.index(by[tr][1]["overall"]) for tr in studies],
                    "order": [by[tr][0] for tr in studies]}
    return pd.DataFrame(rows), lut, cases


def _ce_headline(case: tuple, tidy) -> list[str]:
    said = f"Cannot show this case: {tidy}" if isinstance(tidy, str) else eligibility.case_finding(tidy) + "."
    menopause, visceral, prior, line = case
    return _wrap_lines(f"The case: {menopause}, {visceral}, prior anti-HER2 therapy: {prior}, {line}. {said}", 84, hyphens=False)


@_in_words("case explorer")
def case_chart(tables, menopause: str = "postmenopausal", visceral: str = "no visceral disease",
               prior_anti_her2: str = "none", line: str = "first-line"):
    """The case explorer, live: four menus describe a patient; the grid shows, for every study in the review, whether
    it enrolled patients like this one, criterion by criterion (hover a mark for its source and what the study
    showed). A self-contradictory case is answered in words in the headline. It reads evidence; it recommends
    nothing."""
    answers = {"menopause": menopause, "visceral": visceral, "prior_anti_her2": prior_anti_her2, "line": line}
    eligibility.check_answers(**answers)
    cells, lut, cases = case_table(tables)
    labels = {"menopause": "Menopausal status ", "visceral": "Visceral disease ",
              "prior_anti_her2": "Prior anti-HER2 (advanced) ", "line": "Line of therapy "}
    controls = [alt.param(name=f"ce_{k}", value=answers[k], bind=alt.binding_select(
        options=list(opts), name=labels[k])) for k, opts in eligibility.CASE_OPTIONS.items()]
    key = " + '|' + ".join(f"ce_{k}" for k in eligibility.CASE_OPTIONS)
    p_lut = alt.param(name="ce_lut", value=lut)
    p_head, title_text = _headlines("ce_headlines", {"|".join(c): _ce_headline(c, t) for c, t in cases.items()}, key)
    names = [m[0] for m in _CE_MARKS]
    n_cols = len(_CE_COLS)
    base = alt.Chart(alt.NamedData(name="ce_cells")).transform_filter(
        f"isObject(ce_lut[{key}])").transform_calculate(
        mark=f"{json.dumps(names)}[ce_lut[{key}].marks[datum.cell]]",
        verdict=f"{json.dumps(list(_CE_OVERALL.values()))}[ce_lut[{key}].overall[datum.t]]",
        rank=f"ce_lut[{key}].order[datum.t]",
        enrolled=f"ce_lut[{key}].overall[datum.t] == 0")
    y = alt.Y("trial:N", sort=alt.EncodingSortField("rank", op="min"), title=None,
              axis=alt.Axis(labelLimit=220, labelFontSize=11))
    x = alt.X("column:N", sort=[c[1] for c in _CE_COLS], title=None,
              axis=alt.Axis(orient="top", labelAngle=0, labelLimit=90, labelFontSize=10.5, labelPadding=16, labelLineHeight=12,
                            labelExpr="split(replace(datum.label, ' ', '\\n'), '\\n')"))
    tip = [alt.Tooltip("trial:N", title="Study"), alt.Tooltip("column:N", title="Feature"),
           alt.Tooltip("mark:N", title="Verdict"), alt.Tooltip("source:N", title="Source"),
           alt.Tooltip("verdict:N", title="Patients like this?"), alt.Tooltip("showed:N", title="What it showed"),
           alt.Tooltip("printed_in:N", title="Printed in"), alt.Tooltip("refs:N", title="Review ref.")]
    legend = alt.Legend(title="Mark", orient="bottom", columns=2, labelLimit=260, symbolStrokeWidth=1.8)
    marks = base.transform_calculate(
        words="datum.trial + ', ' + datum.column + ': ' + datum.mark + ' (source: ' + datum.source + ')'"
    ).mark_point(size=110, strokeWidth=1.8, opacity=1).encode(
        x, y, tooltip=tip, description="words:N",
        shape=alt.Shape("mark:N", scale=alt.Scale(domain=names, range=[m[1] for m in _CE_MARKS]), legend=legend),
        stroke=alt.Stroke("mark:N", scale=alt.Scale(domain=names, range=[m[3] for m in _CE_MARKS]), legend=legend),
        fill=alt.Fill("mark:N", scale=alt.Scale(domain=names, range=[m[3] if m[2] else "white" for m in _CE_MARKS]),
                      legend=legend))
    band = base.transform_filter("datum.j == 0").mark_rect(color=OKABE_ITO["bluish_green"], aria=False).encode(
        y=y, x=alt.value(0), x2=alt.value(n_cols * 78 + 190),
        opacity=alt.condition("datum.enrolled", alt.value(0.14), alt.value(0)))
    words = base.transform_filter("datum.j == 0").mark_text(align="left", fontSize=10.5, aria=False).encode(
        y=y, x=alt.value(n_cols * 78 + 8), text="verdict:N")
    verdict_head = base.transform_filter("datum.cell == 0").mark_text(
        align="left", baseline="bottom", fontSize=10.5, fontWeight="bold", aria=False).encode(
        x=alt.value(n_cols * 78 + 8), y=alt.value(-6), text=alt.value("Patients like this?"))
    first = _ce_headline(tuple(answers.values()), cases[tuple(answers.values())])
    return alt.layer(band, marks, words, verdict_head).add_params(*controls, p_lut, p_head).properties(
        width=n_cols * 78, height=alt.Step(20), datasets={"ce_cells": _records(cells)},
        title=alt.TitleParams(title_text, anchor="start", fontSize=13, subtitle=[
            "Reading evidence, not a recommendation: which studies in the review enrolled patients like this one.",
            "Rows: studies; columns: features of the case. Hollow marks are inferences; the review never reports "
            "visceral disease.", "Hover a mark for its source and what the study showed."]),
        description=(f"Grid of {cells['t'].nunique()} studies against {n_cols} features of a described case, with "
                     f"four menus to describe the patient. {' '.join(first)}"))
