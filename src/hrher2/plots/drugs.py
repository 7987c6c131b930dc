"""Draw the drug figures (lessons 04-06): the HER2 receptor map, ADC anatomy, estrogen sources, mechanism chains.

Tidy frames from :mod:`hrher2.drugs` in, :class:`matplotlib.figure.Figure` out (no pyplot state). Colours come
from :mod:`hrher2.palette`: drug families from ``DRUG_CLASS``, pathways from ``PATHWAY``; the dashed
reddish-purple frame that marks an erratum is the colour of the course's errata callouts (``PRINTED_IN['Text']``).
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch, Rectangle

from ..drugs import HER2_REGIONS, NOT_HER2, NOT_STATED
from ..palette import DRUG_CLASS, OKABE_ITO, PATHWAY
from ._common import fixed_figure
from ._common import wrap as _wrap

__all__ = [
    "her2_map_title", "her2_map_alt", "her2_map_figure",
    "adc_anatomy_title", "adc_anatomy_alt", "adc_anatomy_figure",
    "estrogen_title", "estrogen_alt", "estrogen_figure",
    "mechanism_chain_title", "mechanism_chain_alt", "mechanism_chain_figure",
]

_GREY = PATHWAY["blocked"]
_LIGHT = "#E8E8E8"
_ERRATUM = OKABE_ITO["reddish_purple"]
_DARK_TEXT = {OKABE_ITO["yellow"], OKABE_ITO["sky_blue"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"]}


def _family_colour(family: str) -> str:
    return DRUG_CLASS.get(family, OKABE_ITO["black"])


def _text_on(colour: str) -> str:
    return "black" if colour in _DARK_TEXT else "white"


def _short_target(target: str) -> str:
    return target.split(" (")[0]


# ------------------------------------------------------------------------------------------ HER2 receptor map

# Region -> (y centre) of the drawing; the receptor runs top (outside) to bottom (inside).
_REGION_Y = {"domain I": 9.0, "domain II": 7.85, "domain III": 6.7, "domain IV": 5.55,
             "transmembrane segment": 4.3, "kinase domain": 2.3}
_MEMBRANE = (3.9, 4.7)


def _label(r) -> str:
    tags = []
    if r.reversible in ("reversible", "irreversible"):
        tags.append(r.reversible)
    if r.basis.startswith("inferred"):
        tags.append("inferred")
    return r.drug + (f" ({', '.join(tags)})" if tags else "")


def her2_map_title(tidy: pd.DataFrame, drug: str | None = None) -> str:
    """A title that states the finding: where the chosen drug acts, or where each drug class acts."""
    if drug is not None:
        hit = tidy[tidy["drug"] == drug]
        if hit.empty:
            return f"{drug} is not among the drugs drawn"
        r = hit.iloc[0]
        name = r["drug"][0].upper() + r["drug"][1:]
        if r["region"] == NOT_HER2:
            return f"{name} does not act on HER2 (its targets: {_short_target(r['target'])})"
        if r["region"] == NOT_STATED:
            return f"{name}: the review does not say where on HER2 it binds"
        where = f"HER2 {r['region']}" if r["region"] != "kinase domain" else "the HER2 kinase domain, inside the cell"
        if r["region"].startswith("domain"):
            where = f"HER2 extracellular {r['region']}"
        if r["basis"].startswith("stated"):
            how = "as the review states"
        elif "antibody" in r["basis"]:
            how = "inferred: its antibody is trastuzumab"
        else:
            how = "inferred from its class; the exact site is not stated"
        return f"{name} acts on {where} ({how})"
    placed = tidy[tidy["region"].isin(HER2_REGIONS)]
    if placed.empty:
        return "No drug has a site on HER2 stated in the table"
    outside = set(placed.loc[placed["region"].str.startswith("domain"), "family"])
    inside = set(placed.loc[placed["region"] == "kinase domain", "family"])
    if outside and inside:
        return "Antibodies and ADCs bind HER2 outside the cell; TKIs block its kinase inside"
    return "Where the drugs act on HER2"


def her2_map_alt(tidy: pd.DataFrame, drug: str | None = None) -> str:
    """Alt text generated from the map: each region and the drugs placed on it, then the unplaced drugs."""
    parts = [f"Schematic of the HER2 receptor. {her2_map_title(tidy, drug)}.",
             "From the outside of the cell inwards: extracellular domains I, II, III and IV, the transmembrane "
             "segment crossing the cell membrane, and the intracellular tyrosine kinase domain with its ATP site."]
    for region in HER2_REGIONS:
        sub = tidy[tidy["region"] == region]
        if not sub.empty:
            parts.append(f"{region[0].upper() + region[1:]}: " + ", ".join(_label(r) for r in sub.itertuples()) + ".")
    for region, words in ((NOT_STATED, "Site not stated in the review"), (NOT_HER2, "Not aimed at HER2")):
        sub = tidy[tidy["region"] == region]
        if not sub.empty:
            parts.append(f"{words}: {', '.join(sub['drug'])}.")
    if drug is not None and drug in set(tidy["drug"]):
        parts.append(f"Highlighted: {drug}.")
    return " ".join(parts)


def _draw_receptor(ax, lit: dict[str, str]) -> None:
    """HER2 as patches; regions in ``lit`` are filled with the given colour."""
    x = 2.0
    ax.add_patch(Rectangle((0, _MEMBRANE[0]), 10, _MEMBRANE[1] - _MEMBRANE[0], color="#F2F2F2", zorder=0))
    for y in _MEMBRANE:
        ax.plot([0, 10], [y, y], color="#9A9A9A", lw=0.8, zorder=1)
    ax.text(0.1, _MEMBRANE[1] + 0.15, "outside the cell", fontsize=8, color="#444444", va="bottom")
    ax.text(0.1, _MEMBRANE[0] - 0.15, "inside the cell", fontsize=8, color="#444444", va="top")
    ax.text(9.9, sum(_MEMBRANE) / 2, "cell membrane", fontsize=8, color="#444444", va="center", ha="right")
    # stalk
    ax.plot([x, x], [_REGION_Y["domain I"], _REGION_Y["kinase domain"]], color="#555555", lw=2, zorder=2)
    for region in ("domain I", "domain II", "domain III", "domain IV"):
        col = lit.get(region)
        ax.add_patch(Ellipse((x, _REGION_Y[region]), 1.5, 1.0, facecolor=col or _LIGHT,
                             edgecolor="black" if col else "#555555", lw=2.2 if col else 1, zorder=3))
        ax.text(x, _REGION_Y[region], region.split()[1], ha="center", va="center", fontsize=10, fontweight="bold",
                color=_text_on(col) if col else "black", zorder=4)
    col = lit.get("transmembrane segment")
    ax.add_patch(Rectangle((x - 0.15, _MEMBRANE[0] - 0.1), 0.3, _MEMBRANE[1] - _MEMBRANE[0] + 0.2,
                           facecolor=col or "#BBBBBB", edgecolor="#555555", zorder=3))
    col = lit.get("kinase domain")
    ax.add_patch(FancyBboxPatch((x - 0.9, 1.3), 1.8, 2.0, boxstyle="round,pad=0.05,rounding_size=0.3",
                                facecolor=col or _LIGHT, edgecolor="black" if col else "#555555",
                                lw=2.2 if col else 1, zorder=3))
    ax.text(x - 0.15, 2.55, "tyrosine\nkinase", ha="center", va="center", fontsize=8,
            color=_text_on(col) if col else "black", zorder=4)
    ax.add_patch(Circle((x + 0.55, 1.85), 0.25, facecolor="white", edgecolor="#555555", zorder=4))
    ax.text(x + 0.55, 1.85, "ATP", ha="center", va="center", fontsize=6, zorder=5)
    ax.text(x - 0.95, _REGION_Y["domain I"], "HER2", ha="right", va="center", fontsize=10, fontweight="bold")


def her2_map_figure(tidy: pd.DataFrame, drug: str | None = None, width: float = 7.5, height: float = 4.8) -> Figure:
    """HER2 drawn with patches; each drug of the map is labelled at its region, coloured by drug family.

    With ``drug``, that drug's region is filled with its family colour and the other labels are greyed.
    Drugs whose site is not stated, or that do not act on HER2, are listed in a box instead of being placed.
    """
    # laid out once; the right margin is where constrained layout left room for the longest title line
    fig, ax = fixed_figure(width, height, _wrap(her2_map_title(tidy, drug), 80), right=0.267)
    ax.set_xlim(0, 10)
    ax.set_ylim(0.2, 10.0)
    chosen = tidy[tidy["drug"] == drug] if drug is not None else tidy.iloc[0:0]
    lit = {r.region: _family_colour(r.family) for r in chosen.itertuples() if r.region in HER2_REGIONS}
    _draw_receptor(ax, lit)
    for region in HER2_REGIONS:
        sub = tidy[tidy["region"] == region]
        n = len(sub)
        for i, r in enumerate(sub.itertuples()):
            y = _REGION_Y[region] + (n - 1) * 0.22 - i * 0.44
            active = drug is None or r.drug == drug
            colour = _family_colour(r.family)
            ax.plot([2.95 if region != "kinase domain" else 3.0, 3.55], [_REGION_Y[region], y],
                    color=colour if active else "#CCCCCC", lw=1.2 if active else 0.8, zorder=2)
            ax.add_patch(Rectangle((3.6, y - 0.14), 0.28, 0.28, facecolor=colour if active else "#DDDDDD",
                                   edgecolor="none", zorder=3))
            ax.text(4.0, y, _label(r), va="center", fontsize=8.5, color="black" if active else "#999999",
                    fontweight="bold" if drug is not None and r.drug == drug else "normal")
    lines = []
    for region, words in ((NOT_STATED, "Site on HER2 not stated in the review"),
                          (NOT_HER2, "Listed among the TKIs, but not aimed at HER2")):
        sub = tidy[tidy["region"] == region]
        if not sub.empty:
            names = [f"[{d}]" if d == drug else d for d in sub["drug"]]
            lines.append(f"{words}:\n  " + _wrap(", ".join(names), 40).replace("\n", "\n  "))
    if lines:
        ax.text(6.45, 9.6, "\n".join(lines), va="top", fontsize=8, linespacing=1.3,
                bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor="#999999"))
    # family legend
    fams = list(dict.fromkeys(tidy.loc[tidy["region"].isin(HER2_REGIONS), "family"]))
    for i, fam in enumerate(fams):
        ax.add_patch(Rectangle((7.3, 3.05 - i * 0.5), 0.28, 0.28, facecolor=_family_colour(fam), edgecolor="none"))
        ax.text(7.7, 3.19 - i * 0.5, {"antibody": "antibody", "TKI": "TKI (small molecule)",
                                      "ADC": "ADC (antibody + payload)"}.get(fam, fam), va="center", fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------ ADC anatomy

def adc_anatomy_title(frames: list[pd.DataFrame]) -> str:
    flagged = [f"{f['drug'].iloc[0]}" for f in frames if (f["erratum"] != "").any()]
    if flagged:
        return (f"Antibody, linker, payload: the review's description of the payload of {' and '.join(flagged)} "
                "is flagged in the errata")
    return "Antibody, linker, payload: how the review describes each ADC"


def adc_anatomy_alt(frames: list[pd.DataFrame]) -> str:
    parts = [f"Diagram. {adc_anatomy_title(frames)}."]
    for f in frames:
        bits = []
        for r in f.itertuples():
            flag = f" (flagged: erratum {r.erratum})" if r.erratum else ""
            bits.append(f"{r.part}: {r.as_printed}{flag}")
        parts.append(f"{f['drug'].iloc[0]}: " + "; ".join(bits) + ".")
    return " ".join(parts)


def adc_anatomy_figure(frames: list[pd.DataFrame], width: float = 7.5) -> Figure:
    """One row per ADC: the antibody (a Y), the linker and the payload, each labelled with the review's words.

    A part with an erratum gets a dashed reddish-purple frame and the erratum id: shown, never silently corrected.
    """
    n = max(len(frames), 1)
    fig = Figure(figsize=(width, 0.6 + 2.0 * n), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 2.4 * n)
    ax.set_axis_off()
    ax.set_title(_wrap(adc_anatomy_title(frames), 85), fontsize=10.5, loc="left")
    ab_col, pay_col = DRUG_CLASS["antibody"], DRUG_CLASS["chemotherapy"]
    columns = (("antibody", 0.1, 1.3, "Antibody", 26), ("linker", 3.9, 4.9, "Linker", 26),
               ("payload", 7.6, 8.6, "Payload", 34))
    for i, f in enumerate(frames):
        y0 = 2.4 * (n - 1 - i)
        parts = {r.part: r for r in f.itertuples()}
        ax.text(0.05, y0 + 2.25, f["drug"].iloc[0], fontsize=10, fontweight="bold", color=DRUG_CLASS["ADC"],
                va="center")
        cy = y0 + 1.55
        # antibody: a Y; linker: a grey bar on a dashed tether; payload: a black bead
        for dx in (-0.35, 0.35):
            ax.plot([1.3, 1.3 + dx], [cy - 0.05, cy + 0.4], color=ab_col, lw=5, solid_capstyle="round")
        ax.plot([1.3, 1.3], [cy - 0.45, cy - 0.05], color=ab_col, lw=5, solid_capstyle="round")
        ax.plot([1.65, 8.4], [cy + 0.4, cy + 0.4], color=_GREY, lw=1.5, ls=(0, (3, 2)), zorder=1)
        ax.add_patch(Rectangle((4.5, cy + 0.28), 0.8, 0.24, facecolor=_GREY, edgecolor="none", zorder=2))
        ax.plot([8.6], [cy + 0.4], "o", ms=16, color=pay_col, zorder=3)
        for key, x_text, _x_icon, head, width in columns:
            r = parts.get(key)
            if r is None:
                continue
            txt = f"{head}: " + _wrap(r.as_printed, width)
            t = ax.text(x_text, y0 + 0.95, txt, fontsize=8, va="top", ha="left")
            if r.erratum:
                t.set_bbox(dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor=_ERRATUM, lw=1.6, ls="--"))
                ax.text(x_text, y0 + 1.2, f"flagged: erratum {r.erratum} (see below)", fontsize=8, va="bottom",
                        fontweight="bold")
    return fig


# ---------------------------------------------------------------------------------- estrogen sources (lesson 05)

_EST_POS = {"androgens": (0.9, 2.0), "ovarian_aromatase": (3.2, 3.0), "peripheral_aromatase": (3.2, 1.0),
            "estrogen": (5.4, 2.0), "ER_membrane": (8.0, 3.1), "ER_nuclear": (8.0, 1.7), "independent": (8.0, 0.3)}


def estrogen_title(tidy: pd.DataFrame) -> str:
    status, opts = tidy.attrs.get("status", ""), tidy.attrs.get("options", [])
    chosen = " + ".join(opts) if opts else "no endocrine option"
    head = f"{status.capitalize()}, {chosen}"
    src = tidy[tidy["step"] == "estrogen source"]
    main_open = src[src["state"] == "main source, working"]
    er = tidy[tidy["step"] == "estrogen receptor"]
    if not main_open.empty and not er["open"].any():
        return f"{head}: estrogen is still made, but the receptor is blocked or degraded"
    if not main_open.empty and not er["open"].all():
        shut = " and ".join(er.loc[~er["open"].astype(bool), "label"].str.split(" \\(").str[0])
        still = " and ".join(er.loc[er["open"].astype(bool), "label"].str.split(" \\(").str[0])
        return f"{head}: estrogen is still made; {shut} is blocked, {still} is not"
    if not main_open.empty:
        return f"{head}: {main_open['label'].iloc[0].split(' (')[0].lower()} still supplies estrogen"
    level = tidy.loc[tidy["step"] == "estrogen", "state"].iloc[0]
    if level == "very low":
        return f"{head}: every estrogen source is blocked, removed or absent"
    return f"{head}: only a minor estrogen source is left"


def estrogen_alt(tidy: pd.DataFrame) -> str:
    parts = [f"Flow diagram. {estrogen_title(tidy)}.",
             "Androgens are converted by ovarian aromatase and peripheral aromatase into estrogen, which binds "
             "membrane and nuclear estrogen receptors."]
    for r in tidy.itertuples():
        parts.append(f"{r.label}: {r.state}.")
    return " ".join(parts)


def _node_box(ax, xy, text, is_open, colour, width=18):
    x, y = xy
    ax.text(x, y, _wrap(text, width), ha="center", va="center", fontsize=8,
            color="black" if is_open else "#777777",
            bbox=dict(boxstyle="round,pad=0.35", facecolor="white" if is_open else "#F0F0F0",
                      edgecolor=colour if is_open else _GREY, lw=1.8 if is_open else 1, ls="-" if is_open else "--"))


def _arrow(ax, a, b, is_open, colour, shrink=38):
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=12, shrinkA=shrink, shrinkB=shrink,
                                 color=colour if is_open else "#BBBBBB", lw=1.6 if is_open else 1,
                                 ls="-" if is_open else "--"))


def _badge(ax, xy, text, colour):
    ax.text(xy[0], xy[1], text, ha="center", va="center", fontsize=8, fontweight="bold", color=_text_on(colour),
            bbox=dict(boxstyle="round,pad=0.25", facecolor=colour, edgecolor="black", lw=0.8), zorder=5)


def estrogen_figure(tidy: pd.DataFrame, width: float = 7.5, height: float = 3.6) -> Figure:
    """Androgens -> aromatase (ovary, peripheral tissue) -> estrogen -> ER; closed steps grey and dashed,
    each endocrine option drawn as a badge on the step it acts on (drug_targets.csv)."""
    fig, ax = fixed_figure(width, height, _wrap(estrogen_title(tidy), 85))  # laid out once, not on every redraw
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.3, 3.8)
    er_col, drug_col = PATHWAY["ER pathway"], DRUG_CLASS["endocrine"]
    _node_box(ax, _EST_POS["androgens"], "Androgens (raw material)", True, "#555555")
    est = tidy[tidy["step"] == "estrogen"].iloc[0]
    for r in tidy[tidy["step"] == "estrogen source"].itertuples():
        pos = _EST_POS.get(r.node_id, (3.2, 2.0))
        weight = r.state.split(",")[0]
        _node_box(ax, pos, f"{r.label.split(' (')[0]} ({weight})", r.open, er_col)
        _arrow(ax, _EST_POS["androgens"], pos, r.open, er_col)
        _arrow(ax, pos, _EST_POS["estrogen"], r.open, er_col)
        if r.acted_on_by:
            _badge(ax, (pos[0], pos[1] + (0.65 if pos[1] > 2 else -0.7)), r.acted_on_by, drug_col)
    _node_box(ax, _EST_POS["estrogen"], f"Estrogen ({est.state})", bool(est.open), er_col)
    for r in tidy[tidy["step"] == "estrogen receptor"].itertuples():
        pos = _EST_POS.get(r.node_id, (8.0, 2.0))
        _node_box(ax, pos, r.label, r.open, er_col)
        _arrow(ax, _EST_POS["estrogen"], pos, bool(est.open) and r.open, er_col)
        if r.acted_on_by:
            _badge(ax, (pos[0] + 1.2, pos[1]), f"{r.acted_on_by}", drug_col)
    ind = tidy[tidy["step"] == "estrogen-independent ER"]
    if not ind.empty:
        r = ind.iloc[0]
        _node_box(ax, _EST_POS["independent"], f"ER switched on by HER2-pathway kinases ({r['state']})",
                  bool(r["open"]), PATHWAY["crosstalk"], width=30)
        if r["acted_on_by"]:
            _badge(ax, (_EST_POS["independent"][0] + 1.75, _EST_POS["independent"][1]), r["acted_on_by"], drug_col)
    ax.text(0.05, -0.25, "Solid: still working.  Grey, dashed: blocked, removed or absent.  Blue badges: endocrine "
            "options.", fontsize=7.5, color="#444444")
    return fig


# --------------------------------------------------------------------------------------- mechanism chains (06)

_PATHWAY_COLOUR = {"cell cycle": PATHWAY["cell cycle"], "PI3K-AKT-mTOR": PATHWAY["HER2 pathway"],
                   "MAPK": PATHWAY["HER2 pathway"], "HER family": PATHWAY["HER2 pathway"],
                   "ER genomic": PATHWAY["ER pathway"], "ER non-genomic": PATHWAY["ER pathway"],
                   "estrogen supply": PATHWAY["ER pathway"]}


def mechanism_chain_title(chain: pd.DataFrame, blocks: pd.DataFrame) -> str:
    first, last = chain["source_label"].iloc[0], chain["target_label"].iloc[-1]
    if blocks.empty:
        return f"From {first} to {last}: no drug class in the table acts on this chain"
    where = dict.fromkeys(blocks["node_id"])
    labels = dict(zip(chain["source"], chain["source_label"])) | dict(zip(chain["target"], chain["target_label"]))
    names = " and ".join(labels[n] for n in where)
    return f"From {first} to {last}: drugs cut the chain at {names}"


def mechanism_chain_alt(chain: pd.DataFrame, blocks: pd.DataFrame) -> str:
    labels = dict(zip(chain["source"], chain["source_label"])) | dict(zip(chain["target"], chain["target_label"]))
    parts = [f"Chain diagram. {mechanism_chain_title(chain, blocks)}."]
    parts.append(" ".join(f"{r.source_label} {r.relation} {r.target_label}." for r in chain.itertuples()))
    for r in blocks.itertuples():
        named = f" ({r.drugs})" if r.drugs else ""
        parts.append(f"{r.drug_class}{named} {r.effect} {labels.get(r.node_id, r.node_id)}.")
    return " ".join(parts)


def mechanism_chain_figure(chain: pd.DataFrame, blocks: pd.DataFrame, width: float = 7.5,
                           height: float = 2.6) -> Figure:
    """Nodes left to right with the relation on each arrow; each drug class that acts on a node is a coloured
    badge above it with a blunt-ended (T-bar) line."""
    nodes = list(dict.fromkeys([*chain["source"], *chain["target"]]))
    labels = dict(zip(chain["source"], chain["source_label"])) | dict(zip(chain["target"], chain["target_label"]))
    paths = dict(zip(chain["source"], chain["source_pathway"])) | dict(zip(chain["target"], chain["target_pathway"]))
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    n = len(nodes)
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(-0.9, 2.6)
    ax.set_axis_off()
    ax.set_title(_wrap(mechanism_chain_title(chain, blocks), 85), fontsize=10.5, loc="left")
    xs = {node: i for i, node in enumerate(nodes)}
    for node in nodes:
        col = _PATHWAY_COLOUR.get(paths.get(node, ""), "#555555")
        ax.text(xs[node], 0, _wrap(labels[node], 13), ha="center", va="center", fontsize=8,
                bbox=dict(boxstyle="round,pad=0.35", facecolor="white", edgecolor=col, lw=1.8))
    for r in chain.itertuples():
        a, b = xs[r.source], xs[r.target]
        ax.add_patch(FancyArrowPatch((a, 0), (b, 0), arrowstyle="-|>", mutation_scale=12, shrinkA=34, shrinkB=34,
                                     color="#333333", lw=1.3))
        ax.text((a + b) / 2, -0.55, _wrap(r.relation, 12), ha="center", va="top", fontsize=7.5, color="#333333",
                style="italic")
    per_node = blocks.groupby("node_id", sort=False).cumcount()
    size = blocks.groupby("node_id", sort=False)["node_id"].transform("size")
    for r, k, m in zip(blocks.itertuples(), per_node, size):
        x = xs[r.node_id]
        xb = x + (k - (m - 1) / 2) * 0.95
        col = _family_colour(r.family)
        y = 1.45
        ax.plot([xb, x], [y, 0.42], color=col, lw=2.2)
        ax.plot([x - 0.12, x + 0.12], [0.42, 0.42], color="black", lw=2.6)
        text = _wrap(r.drug_class, 16) + (f"\n({_wrap(r.drugs, 24)})" if r.drugs else "")
        ax.text(xb, y, text, ha="center", va="bottom", fontsize=7.5, color=_text_on(col),
                bbox=dict(boxstyle="round,pad=0.3", facecolor=col, edgecolor="black", lw=0.6))
    return fig
