"""Draw the signalling graph of lessons 02–03 with its fixed layout (``layer`` = column, ``row`` = row; HER side on
top, ER side below), the state of every node for a choice of drugs, and the routes to proliferation that stay open.

Colours: HER2 pathway (vermillion), ER pathway (blue), cell cycle (bluish green), crosstalk (reddish purple, dashed)
and blocked (grey) from :mod:`hrher2.palette`. Immune nodes have no pathway colour of their own and are drawn in
black outline. Colour is never the only cue: blocked nodes are hatched and carry a ×, cut-off nodes have a dashed
outline, crosstalk links are dashed and open routes are thick.
"""
from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from ..palette import MODULE_COLOUR, OKABE_ITO, PATHWAY
from ..pathway import route_counts, scenario_label, short_label

__all__ = ["MODULE_COLOUR", "pathway_title", "pathway_alt", "pathway_figure"]

_GREY = PATHWAY["blocked"]
_TINTED = frozenset(m for m, c in MODULE_COLOUR.items() if c != OKABE_ITO["black"])
_BOX_W = 0.86
_LINE_H = 0.27
_FONT = 6.6


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def pathway_title(routes: pd.DataFrame, classes=(), menopause: str = "postmenopausal",
                  outcome: str = "proliferation") -> str:
    """A title that states the finding: how many route families to proliferation stay open, and through what."""
    c = route_counts(routes, outcome)
    prefix = scenario_label(classes) + (" (premenopausal)" if menopause == "premenopausal" else "")
    if c["killed"] and not c["open"]:
        return (f"{prefix}: signals still reach {outcome} by {_plural(c['killed'], 'route')}, "
                f"but {c['killed_by']} kills dividing cells")
    if not c["open"]:
        return f"{prefix}: every route to {outcome} is closed"
    n, er = c["open"], c["through_er"]
    stay = "stays" if n == 1 else "stay"
    if er == n:
        where = "through ER" if n == 1 else "all through ER"
    elif er == 0:
        where = "through HER receptors" if n == 1 else "all through HER receptors"
    else:
        where = f"{er} of them through ER"
    return f"{prefix}: {_plural(n, 'route')} to {outcome} {stay} open, {where}"


def pathway_alt(nodes: pd.DataFrame, edges: pd.DataFrame, status: pd.DataFrame | None = None,
                routes: pd.DataFrame | None = None, subset=None, title: str | None = None) -> str:
    """Alt text generated from the data: what is drawn, what is blocked or cut off, and which routes stay open."""
    shown = nodes if subset is None else nodes[nodes["node_id"].isin(list(subset))]
    ids = set(shown["node_id"])
    links = edges[edges["source"].isin(ids) & edges["target"].isin(ids)]
    n_x = int((links["crosstalk"] != "none").sum())
    parts = [f"Network diagram{': ' + title if title else ''}. A teaching simplification of the review's Figure 1 "
             f"with {len(shown)} nodes and {len(links)} links ({n_x} of them HER2–ER crosstalk, drawn dashed); "
             "HER side on top, ER side below, the cell-cycle engine and outcomes on the right."]
    if status is not None:
        st = status[status["node_id"].isin(ids)]
        menopause = status.attrs.get("menopause")
        if menopause:
            parts.append(f"Setting: {menopause}.")
        blocked = st[st["status"] == "blocked"]
        if not blocked.empty:
            parts.append("Blocked: " + "; ".join(f"{short_label(r.label)} (by {r.blocked_by})"
                                                 for r in blocked.itertuples()) + ".")
        cut = st[st["status"] == "cut off"]
        if not cut.empty:
            parts.append("Cut off (no signal reaches them): " + ", ".join(map(short_label, cut["label"])) + ".")
    if routes is not None:
        pro = routes[(routes["outcome"] == "proliferation")]
        alive = pro[pro["killed_by"] == ""]
        if not alive.empty:
            parts.append("Open routes to proliferation, drawn thick: "
                         + "; ".join(f"{i}) {r}" for i, r in enumerate(alive["route"], start=1)) + ".")
        elif not pro.empty:
            parts.append(f"Signals still reach proliferation by {len(pro)} routes, but {pro['killed_by'].iloc[0]} "
                         "kills dividing cells.")
        else:
            parts.append("No route reaches proliferation.")
    else:
        parts.append("Nodes: " + ", ".join(map(short_label, shown["label"])) + ".")
    return " ".join(parts)


def _box_point(cx, cy, w, h, tx, ty):
    """Where the segment from the box centre towards (tx, ty) leaves the box."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    t = min((w / 2) / abs(dx) if dx else float("inf"), (h / 2) / abs(dy) if dy else float("inf"))
    return cx + dx * t, cy + dy * t


def pathway_figure(nodes: pd.DataFrame, edges: pd.DataFrame, status: pd.DataFrame | None = None,
                   highlight=frozenset(), subset=None, title: str = "", menopause: str | None = None,
                   width: float = 9.0, height: float = 5.5) -> Figure:
    """The graph in its fixed layout. ``status`` (from :func:`hrher2.pathway.reachability`) colours blocked and
    cut-off nodes; ``highlight`` (link ids, from :func:`hrher2.pathway.route_edges`) draws open routes thick;
    ``subset`` (node ids) draws only those nodes and the links between them; ``menopause`` greys the links that do
    not operate in that setting (taken from ``status`` when given)."""
    shown = nodes if subset is None else nodes[nodes["node_id"].isin(list(subset))]
    if shown.empty:
        raise ValueError("None of the requested nodes is in pathway_nodes.")
    st = dict(zip(status["node_id"], status["status"])) if status is not None else {}
    menopause = menopause or (status.attrs.get("menopause") if status is not None else None)
    other = {"postmenopausal": "premenopausal", "premenopausal": "postmenopausal"}.get(menopause or "", None)
    highlight = frozenset(highlight or ())

    pos, size, module = {}, {}, {}
    for r in shown.itertuples(index=False):
        text = textwrap.fill(short_label(str(r.label)), 13, break_long_words=False)
        lines = text.count("\n") + 1
        pos[r.node_id] = (float(r.layer), -float(r.row))
        size[r.node_id] = (_BOX_W, 0.2 + _LINE_H * lines, text)
        module[r.node_id] = str(r.pathway)
    on_route = {n for e in edges.itertuples(index=False) if e.edge_id in highlight for n in (e.source, e.target)}

    fig = Figure(figsize=(width, height), dpi=100)
    title_text = textwrap.fill(title, int(width * 11.5)) if title else ""
    top = 1 - (0.12 + 0.2 * (title_text.count("\n") + 1)) / height if title else 0.99
    legend_cols = 99 if subset is None else max(1, int(width // 1.55))
    drawn = edges[edges["source"].isin(list(pos)) & edges["target"].isin(list(pos))]
    handles = _legend_handles(highlight, module.values(), st, (drawn["crosstalk"] != "none").any(),
                              drawn["relation"].isin(["downregulates", "inhibits"]).any())
    legend_rows = -(-len(handles) // legend_cols)
    bottom = 0.005 if subset is None else (0.06 + 0.19 * legend_rows) / height
    ax = fig.add_axes((0.005, bottom, 0.99, top - bottom))
    ax.set_axis_off()
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    # inches per data unit, to keep curved links clear of other boxes
    scale = (0.99 * width / (max(xs) - min(xs) + 1.0), (top - bottom) * height / (max(ys) - min(ys) + 1.2))
    if title:
        fig.text(0.01, 1 - 0.08 / height, title_text, ha="left", va="top", fontsize=10.5, fontweight="bold")

    # links
    for e in edges.itertuples(index=False):
        if e.source not in pos or e.target not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        w1, h1, _ = size[e.source]
        w2, h2, _ = size[e.target]
        a = _box_point(x1, y1, w1, h1, x2, y2)
        b = _box_point(x2, y2, w2, h2, x1, y1)
        crosstalk = str(e.crosstalk) != "none"
        negative = str(e.relation) in ("downregulates", "inhibits")
        context = "" if pd.isna(e.context) else str(e.context)
        idle = bool(other) and other in context.lower()
        carrying = not st or (st.get(e.source) == "active" and st.get(e.target) in ("active", "blocked")
                              and st.get(e.source) != "blocked")
        style = dict(arrowstyle="-|>", mutation_scale=7, lw=0.8, color="#555555", linestyle="-", zorder=1)
        if crosstalk:
            style.update(color=PATHWAY["crosstalk"], linestyle=(0, (4, 2)))
        if negative:
            style.update(arrowstyle="-[", color=_GREY, linestyle=":", lw=0.9, mutation_scale=4)
        elif idle:
            style.update(color=_GREY, alpha=0.35, linestyle=":", lw=0.7)
        elif e.edge_id in highlight:
            colour = PATHWAY["crosstalk"] if crosstalk else MODULE_COLOUR.get(module[e.source], "#333333")
            style.update(lw=2.2, color=colour, zorder=2, mutation_scale=9)
        elif not carrying:
            style.update(color=_GREY, alpha=0.55, lw=0.7)
        rad = _clear_rad(a, b, e.source, e.target, pos, size, scale, 0.18 if crosstalk or negative else 0.0)
        ax.add_artist(FancyArrowPatch(a, b, connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0, **style))

    # nodes
    for n, (x, y) in pos.items():
        w, h, text = size[n]
        colour = MODULE_COLOUR.get(module[n], "#333333")
        state = st.get(n, "active")
        box = dict(boxstyle="round,pad=0.02,rounding_size=0.08", lw=1.0, edgecolor=colour, facecolor=colour,
                   alpha=None, zorder=3)
        text_colour = "black"
        if state == "blocked":
            box.update(facecolor="#D9D9D9", edgecolor=_GREY, hatch="////", lw=1.0)
            text_colour = "#333333"
        elif state == "cut off":
            box.update(facecolor="white", edgecolor=_GREY, linestyle=(0, (3, 2)))
            text_colour = "#595959"
        elif n in on_route:
            box.update(facecolor=_tint(colour, 0.45), lw=2.0)
        else:
            box.update(facecolor=_tint(colour, 0.15) if module[n] in _TINTED else "white")
        ax.add_artist(FancyBboxPatch((x - w / 2, y - h / 2), w, h, **{k: v for k, v in box.items() if v is not None}))
        ax.text(x, y, text, ha="center", va="center", fontsize=_FONT, color=text_colour, zorder=4,
                linespacing=1.05, bbox=dict(boxstyle="square,pad=0.05", fc="#F2F2F2", ec="none", alpha=0.85)
                if state == "blocked" else None)
        if state == "blocked":
            ax.text(x + w / 2 - 0.02, y + h / 2 - 0.02, "×", ha="center", va="center", fontsize=9, fontweight="bold",
                    color="black", zorder=5,
                    bbox=dict(boxstyle="circle,pad=0.08", fc="white", ec="black", lw=0.8))

    if subset is None:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(7.35, -5.5), bbox_transform=ax.transData,
                  fontsize=6.8, frameon=False, ncol=2, handlelength=2.2, columnspacing=1.0)
    else:
        fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), fontsize=6.8, frameon=False,
                   ncol=min(legend_cols, len(handles)), handlelength=2.2)
    return fig


def _legend_handles(highlight, modules, st, crosstalk: bool, brake: bool) -> list:
    """Legend entries for what the figure actually shows."""
    present = set(modules)
    handles = []
    for name, mods in (("HER2 pathway", ("ligand", "HER family", "MAPK", "PI3K-AKT-mTOR")),
                       ("ER pathway", ("ER genomic", "ER non-genomic", "estrogen supply")),
                       ("cell cycle", ("cell cycle", "outcome"))):
        if present & set(mods):
            label = "cell cycle / outcome" if name == "cell cycle" else name
            handles.append(Patch(facecolor=_tint(PATHWAY[name], 0.45), edgecolor=PATHWAY[name], label=label))
    if crosstalk:
        handles.append(Line2D([], [], color=PATHWAY["crosstalk"], linestyle=(0, (4, 2)), lw=1.5,
                              label="crosstalk link"))
    if highlight:
        handles.append(Line2D([], [], color="#333333", lw=2.2, label="open route to proliferation"))
    states = set(st.values())
    if "blocked" in states:
        handles.append(Patch(facecolor="#D9D9D9", edgecolor=_GREY, hatch="////", label="× blocked by a drug"))
    if "cut off" in states:
        handles.append(Patch(facecolor="white", edgecolor=_GREY, linestyle="--", label="cut off (no signal)"))
    if brake:
        handles.append(Line2D([], [], color=_GREY, linestyle=":", lw=1.2, label="brake (negative link)"))
    return handles


def _hits(points, boxes) -> int:
    return sum(1 for (px, py) in points for (cx, cy, w, h) in boxes
               if abs(px - cx) < w / 2 + 0.04 and abs(py - cy) < h / 2 + 0.04)


def _clear_rad(a, b, src, tgt, pos, size, scale, preferred: float) -> float:
    """An arc3 curvature for the link a -> b that passes through as few other node boxes as possible."""
    boxes = [(x, y, size[n][0], size[n][1]) for n, (x, y) in pos.items() if n not in (src, tgt)]
    sx, sy = scale
    best, best_hits = preferred, None
    for rad in (preferred, 0.0, 0.2, -0.2, 0.35, -0.35, 0.5, -0.5):
        # arc3's control point, computed in inches and mapped back to data units
        ax_, ay_, bx_, by_ = a[0] * sx, a[1] * sy, b[0] * sx, b[1] * sy
        cx, cy = (ax_ + bx_) / 2 + rad * (by_ - ay_), (ay_ + by_) / 2 - rad * (bx_ - ax_)
        pts = []
        for i in range(1, 20):
            t = i / 20
            px = (1 - t) ** 2 * ax_ + 2 * (1 - t) * t * cx + t ** 2 * bx_
            py = (1 - t) ** 2 * ay_ + 2 * (1 - t) * t * cy + t ** 2 * by_
            pts.append((px / sx, py / sy))
        hits = _hits(pts, boxes)
        if best_hits is None or hits < best_hits:
            best, best_hits = rad, hits
        if hits == 0:
            break
    return best


def _tint(hex_colour: str, strength: float) -> tuple:
    """The colour mixed with white (strength 0 = white, 1 = the colour), as an opaque RGB tuple."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    return tuple(1 - strength * (1 - c) for c in rgb)
