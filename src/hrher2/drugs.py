"""Compute: drug facts, the HER2 receptor map, ADC anatomy, estrogen sources and small mechanism chains.

Pure functions (lessons 04-06): DataFrames from ``data/`` in, tidy DataFrames or plain values out. No drawing, no
widgets, no file access. Bad input raises :class:`ValueError` with a message in words; the widgets turn it into text.
"""
from __future__ import annotations

import re

import pandas as pd

__all__ = [
    "FAMILIES", "HER2_REGIONS", "ENDOCRINE_OPTIONS", "STATUSES",
    "family_of", "drug_names", "find_drug", "ref_keys", "drug_errata", "drug_facts", "filter_drugs",
    "her2_site", "her2_map", "adc_anatomy", "estrogen_sources", "endocrine_effects", "endocrine_summary",
    "mechanism_chain", "chain_blocks",
]

#: Groups of ``drugs.csv`` classes a learner can filter on (lessons 04, 05, 06).
FAMILIES: dict[str, list[str] | None] = {
    "anti-HER2 drugs": ["antibody", "bispecific antibody", "TKI", "ADC"],
    "endocrine therapy": ["AI (non-steroidal)", "AI (steroidal)", "SERM", "SERD", "ovarian function suppression"],
    "newer drug classes": ["CDK4/6 inhibitor", "PI3K/AKT/mTOR inhibitor", "PD-1/PD-L1 inhibitor"],
    "chemotherapy": ["chemotherapy"],
    "all drugs": None,
}

# drugs.csv and drug_targets.csv classes -> the palette.DRUG_CLASS key (the colour family).
_FAMILY_KEY = {
    "antibody": "antibody", "bispecific antibody": "antibody", "anti-HER2 antibody": "antibody",
    "TKI": "TKI", "anti-HER2 TKI": "TKI",
    "ADC": "ADC", "anti-HER2 ADC": "ADC",
    "AI (non-steroidal)": "endocrine", "AI (steroidal)": "endocrine", "aromatase inhibitor": "endocrine",
    "SERM": "endocrine", "SERD": "endocrine", "ovarian function suppression": "endocrine",
    "CDK4/6 inhibitor": "CDK4/6 inhibitor", "PI3K/AKT/mTOR inhibitor": "PI3K/AKT/mTOR inhibitor",
    "PD-1/PD-L1 inhibitor": "PD-1/PD-L1 inhibitor", "chemotherapy": "chemotherapy",
}

#: HER2 from the outside in: the four extracellular domains, the transmembrane segment, the kinase domain.
HER2_REGIONS = ["domain I", "domain II", "domain III", "domain IV", "transmembrane segment", "kinase domain"]
NOT_STATED = "not stated"
NOT_HER2 = "does not act on HER2"

STATUSES = ["premenopausal", "postmenopausal"]
#: Endocrine options of lesson 05 -> the class name used in drug_targets.csv.
ENDOCRINE_OPTIONS = {"AI": "aromatase inhibitor", "OFS": "ovarian function suppression", "SERM": "SERM",
                     "SERD": "SERD"}
_PAST = {"blocks": "blocked", "removes": "removed", "degrades": "degraded", "kills cell": "killed"}


def _s(value) -> str:
    """A cell as clean text ('' for missing)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


# ---------------------------------------------------------------------------------------------- drug facts

def family_of(drug_class: str) -> str | None:
    """The colour family (a key of ``palette.DRUG_CLASS``) of a class from drugs.csv or drug_targets.csv; None if unknown."""
    return _FAMILY_KEY.get(_s(drug_class))


def drug_names(drugs: pd.DataFrame, family: str = "all drugs") -> list[str]:
    """Drug names in table order, optionally only those of one family of :data:`FAMILIES`."""
    classes = _family_classes(family)
    frame = drugs if classes is None else drugs[drugs["drug_class"].isin(classes)]
    return list(frame["drug"])


def _family_classes(family: str) -> list[str] | None:
    if family not in FAMILIES:
        raise ValueError(f"Unknown drug family {family!r}: choose one of {', '.join(FAMILIES)}.")
    return FAMILIES[family]


def _aliases(row) -> list[str]:
    return [a.strip() for a in _s(row["aliases"]).split(";") if a.strip()]


def find_drug(drugs: pd.DataFrame, name: str) -> pd.Series:
    """The drugs.csv row for a drug name or one of its aliases (case-insensitive, e.g. 'T-DXd', 'OFS')."""
    key = _s(name).lower()
    if not key:
        raise ValueError("No drug name given: choose a drug from the list.")
    for _, row in drugs.iterrows():
        if key == row["drug"].lower() or key in (a.lower() for a in _aliases(row)):
            return row
    raise ValueError(f"No drug called {name!r} in the drug table. Known drugs: {', '.join(drugs['drug'])}.")


def ref_keys(refs: str, references: pd.DataFrame | None = None) -> str:
    """'31;32' -> '31 (Smith2007); 32 (Lan2005)' using references.csv; '' stays '' (the review cites nothing)."""
    numbers = [r.strip() for r in _s(refs).split(";") if r.strip()]
    if references is None or not numbers:
        return "; ".join(numbers)
    lookup = {str(int(n)): k for n, k in zip(references["ref_number"], references["bibkey"])}
    return "; ".join(f"{n} ({lookup[n]})" if n in lookup else n for n in numbers)


def _name_pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", re.IGNORECASE)


def drug_errata(drugs: pd.DataFrame, errata: pd.DataFrame, drug: str) -> pd.DataFrame:
    """Errata about one drug: the erratum's topic or printed text names the drug (or an alias of 3+ characters).

    An erratum whose topic names drugs belongs to those drugs only. Otherwise its printed text is searched, but only
    for errata that concern no printed trial result (empty ``result_ids``). Longer names are matched first and
    consumed, so 'trastuzumab deruxtecan' does not also count as 'trastuzumab'.
    """
    row = find_drug(drugs, drug)
    names = []  # (name, drug) longest first
    for _, r in drugs.iterrows():
        for n in [r["drug"], *_aliases(r)]:
            if len(n) >= 3:
                names.append((n, r["drug"]))
    names.sort(key=lambda t: -len(t[0]))
    def named(text: str) -> set[str]:
        found = set()
        for n, d in names:
            pat = _name_pattern(n)
            if pat.search(text):
                found.add(d)
                text = pat.sub(" ", text)
        return found

    hits = []
    for idx, e in errata.iterrows():
        in_topic = named(_s(e["trial_or_topic"]))
        if in_topic:
            if row["drug"] in in_topic:
                hits.append(idx)
            continue
        if _s(e["result_ids"]):
            continue  # an erratum about printed trial results, not about the drug
        if row["drug"] in named(" ".join(_s(e[c]) for c in ("printed_a", "printed_b"))):
            hits.append(idx)
    return errata.loc[hits]


_FACT_FIELDS = [("drug_class", "Class"), ("aliases", "Also printed as"), ("target", "Target"),
                ("binding_site", "Binding site (as the review states)"), ("reversible", "Reversible binding"),
                ("payload", "Payload"), ("linker", "Linker"), ("mechanism", "Mechanism (course's words)"),
                ("review_statement", "What the review says"), ("trials", "Trials in the review"),
                ("review_section", "Where in the review"), ("refs", "Review references"), ("notes", "Course notes")]


def drug_facts(drugs: pd.DataFrame, name: str, references: pd.DataFrame | None = None) -> pd.DataFrame:
    """The facts of one drug as a two-column frame (field, value); empty fields are left out, refs get bibkeys."""
    row = find_drug(drugs, name)
    out = []
    for col, label in _FACT_FIELDS:
        value = _s(row[col])
        if col == "refs":
            value = ref_keys(value, references) or "none cited"
        if col in ("trials", "aliases"):
            value = value.replace(";", "; ")
        if value:
            out.append({"field": label, "value": value})
    facts = pd.DataFrame(out, columns=["field", "value"])
    facts.attrs["drug"] = row["drug"]
    return facts


def filter_drugs(drugs: pd.DataFrame, family: str = "all drugs", drug_class: str = "any", target: str = "",
                 text: str = "", references: pd.DataFrame | None = None) -> pd.DataFrame:
    """Drugs of a family and class whose target contains ``target`` and whose row contains ``text`` (case-insensitive).

    Returns drug, drug_class, family (colour key), target, mechanism, refs (with bibkeys) in table order.
    """
    classes = _family_classes(family)
    frame = drugs if classes is None else drugs[drugs["drug_class"].isin(classes)]
    if drug_class not in ("any", "", None):
        known = list(dict.fromkeys(frame["drug_class"]))
        if drug_class not in known:
            raise ValueError(f"No class {drug_class!r} among the {family}: choose one of {', '.join(known)}.")
        frame = frame[frame["drug_class"] == drug_class]
    if _s(target):
        frame = frame[frame["target"].fillna("").str.contains(_s(target), case=False, regex=False)]
    if _s(text):
        cols = ["drug", "aliases", "target", "mechanism", "review_statement", "notes"]
        blob = frame[cols].fillna("").astype(str).agg(" ".join, axis=1)
        frame = frame[blob.str.contains(_s(text), case=False, regex=False)]
    out = pd.DataFrame({
        "drug": frame["drug"].astype(str), "drug_class": frame["drug_class"].astype(str),
        "family": [family_of(c) or "" for c in frame["drug_class"]], "target": frame["target"].astype(str),
        "mechanism": frame["mechanism"].astype(str),
        "refs": [ref_keys(r, references) or "none cited" for r in frame["refs"]],
    })
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------------------------ HER2 receptor map

_DOMAIN = re.compile(r"domain\s+(IV|III|II|I)\b")


def her2_site(row, site_of: dict[str, str] | None = None) -> dict[str, str]:
    """Where on HER2 a drug acts, from its drugs.csv row (binding_site, target, drug_class).

    Returns {'region': one of HER2_REGIONS, 'not stated' or 'does not act on HER2', 'basis': how the region was
    found, in words}. Rules, in order:

    1. the target does not name HER2 -> 'does not act on HER2';
    2. binding_site names an extracellular domain ('domain IV') -> that domain (stated);
    3. binding_site names the kinase domain or ATP site -> 'kinase domain' (stated);
    4. binding_site says the antibody is (or has the sequence of) trastuzumab and ``site_of`` gives trastuzumab's
       region -> that region (inferred from the antibody part);
    5. a TKI aimed at HER2 -> 'kinase domain' (inferred from the drug class: a TKI works inside the cell on the kinase;
       the exact site is not stated);
    6. anything else -> 'not stated' (never guessed).
    """
    target, site, cls = _s(row["target"]), _s(row["binding_site"]), _s(row["drug_class"])
    if "HER2" not in target:
        return {"region": NOT_HER2, "basis": f"target is {target or 'not given'}"}
    m = _DOMAIN.search(site)
    if m and "extracellular" in site:
        return {"region": f"domain {m.group(1)}", "basis": "stated in the review"}
    if "kinase domain" in site or "ATP" in site:
        return {"region": "kinase domain", "basis": "stated in the review (ATP-binding site)"}
    if "trastuzumab" in site and site_of and site_of.get("trastuzumab") in HER2_REGIONS:
        return {"region": site_of["trastuzumab"],
                "basis": "inferred: the review says its antibody is trastuzumab (or has its sequence)"}
    if cls == "TKI":
        return {"region": "kinase domain", "basis": "inferred from the class (a TKI acts on the kinase); site not stated"}
    return {"region": NOT_STATED, "basis": "the review does not say where it binds"}


def her2_map(drugs: pd.DataFrame, family: str = "anti-HER2 drugs") -> pd.DataFrame:
    """One row per drug of ``family``: where it acts on HER2 (see :func:`her2_site`) and its facts for the map.

    Columns: drug, drug_class, family (colour key), region, basis, reversible, binding_site, target.
    """
    classes = _family_classes(family)
    frame = drugs if classes is None else drugs[drugs["drug_class"].isin(classes)]
    site_of = {}
    for _, r in drugs.iterrows():  # stated sites first, so rule 4 can use trastuzumab's
        s = her2_site(r)
        if s["basis"].startswith("stated"):
            site_of[r["drug"]] = s["region"]
    rows = []
    for _, r in frame.iterrows():
        s = her2_site(r, site_of)
        rows.append({"drug": r["drug"], "drug_class": r["drug_class"], "family": family_of(r["drug_class"]) or "",
                     "region": s["region"], "basis": s["basis"], "reversible": _s(r["reversible"]),
                     "binding_site": _s(r["binding_site"]), "target": _s(r["target"])})
    return pd.DataFrame(rows, columns=["drug", "drug_class", "family", "region", "basis", "reversible",
                                       "binding_site", "target"])


# ------------------------------------------------------------------------------------------------ ADC anatomy

def adc_anatomy(drugs: pd.DataFrame, name: str, errata: pd.DataFrame | None = None) -> pd.DataFrame:
    """The three parts of an ADC (antibody, linker, payload) as the review describes them, with erratum flags.

    Columns: drug, part, as_printed, erratum (ids of errata about that part, '' if none), likely_correct.
    Raises ValueError for a drug that is not an ADC.
    """
    row = find_drug(drugs, name)
    if row["drug_class"] != "ADC":
        adcs = ", ".join(drugs.loc[drugs["drug_class"] == "ADC", "drug"])
        raise ValueError(f"{row['drug']} is not an antibody–drug conjugate (its class is {row['drug_class']}). "
                         f"ADCs in the table: {adcs}.")
    site = _s(row["binding_site"])
    inner = re.search(r"\((.*)\)", site)
    antibody = inner.group(1) if inner else (site or NOT_STATED)
    parts = {"antibody": antibody, "linker": _s(row["linker"]) or NOT_STATED,
             "payload": _s(row["payload"]) or NOT_STATED}
    flags = {p: ([], []) for p in parts}
    if errata is not None and not errata.empty:
        for _, e in drug_errata(drugs, errata, row["drug"]).iterrows():
            topic = f"{_s(e['trial_or_topic'])} {_s(e['field'])}".lower()
            for p in parts:
                if p in topic:
                    flags[p][0].append(e["erratum_id"])
                    flags[p][1].append(_s(e["likely_correct"]))
    return pd.DataFrame([{"drug": row["drug"], "part": p, "as_printed": v, "erratum": "; ".join(flags[p][0]),
                          "likely_correct": " ".join(flags[p][1])} for p, v in parts.items()])


# ---------------------------------------------------------------------------------- estrogen sources (lesson 05)

def _check_status(status: str) -> str:
    if status not in STATUSES:
        raise ValueError(f"Unknown menopausal status {status!r}: choose premenopausal or postmenopausal.")
    return status


def estrogen_sources(nodes: pd.DataFrame, edges: pd.DataFrame, status: str) -> pd.DataFrame:
    """The aromatase sources of estrogen and their weight for one menopausal status, from the pathway tables.

    A source whose androgen -> aromatase edge has ``context == status`` is the 'main source'. Otherwise the course's
    model says: an ovarian source after menopause is 'absent' (the ovaries no longer make estrogen); any other
    source is a 'minor source' (peripheral aromatase works before menopause too, in the shadow of the ovaries).
    Columns: node_id, label, context, weight, explanation.
    """
    _check_status(status)
    supply = edges[(edges["source"] == "androgens") & edges["context"].isin(STATUSES)]
    if supply.empty:
        raise ValueError("The pathway edges hold no androgen -> aromatase step with a menopausal context.")
    labels = dict(zip(nodes["node_id"], nodes["label"]))
    rows = []
    for _, e in supply.iterrows():
        node = e["target"]
        if e["context"] == status:
            weight = "main source"
        elif "ovar" in node:
            weight = "absent"
        else:
            weight = "minor source"
        out = edges[(edges["source"] == node) & (edges["target"] == "estrogen")]
        why = _s(out["explanation"].iloc[0]) if not out.empty else _s(e["explanation"])
        rows.append({"node_id": node, "label": labels.get(node, node), "context": e["context"], "weight": weight,
                     "explanation": why})
    return pd.DataFrame(rows, columns=["node_id", "label", "context", "weight", "explanation"])


def _check_options(options) -> list[str]:
    opts = [o for o in dict.fromkeys(options or [])]
    bad = [o for o in opts if o not in ENDOCRINE_OPTIONS]
    if bad:
        raise ValueError(f"Unknown endocrine option(s) {', '.join(map(repr, bad))}: choose from "
                         f"{', '.join(ENDOCRINE_OPTIONS)}.")
    return opts


def endocrine_effects(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame, status: str,
                      options) -> pd.DataFrame:
    """For a menopausal status and a set of endocrine options (AI, OFS, SERM, SERD): what each step still does.

    One row per step of the estrogen route: each aromatase source, circulating estrogen, nuclear ER, membrane ER,
    and ER switched on without estrogen by HER2-pathway kinases. Columns: step, node_id, label, state, open
    (True if the step still works), acted_on_by, why. Drug actions come from drug_targets.csv.
    """
    status = _check_status(status)
    opts = _check_options(options)
    labels = dict(zip(nodes["node_id"], nodes["label"]))
    acts: dict[str, list[tuple[str, str, str]]] = {}
    for o in opts:
        for _, t in drug_targets[drug_targets["drug_class"] == ENDOCRINE_OPTIONS[o]].iterrows():
            effect = _PAST.get(t["effect"], t["effect"])
            acts.setdefault(t["node_id"], []).append((o, effect, _s(t["explanation"])))
    rows = []
    open_main, open_minor = 0, 0
    for _, s in estrogen_sources(nodes, edges, status).iterrows():
        hit = acts.get(s["node_id"], [])
        if s["weight"] == "absent":
            state, is_open, by, why = "absent", False, "", "After menopause the ovaries no longer make estrogen."
        elif hit:
            o, effect, why = hit[0]
            state, is_open, by = f"{s['weight']}, {effect} by {o}", False, o
        else:
            state, is_open, by, why = f"{s['weight']}, working", True, "", s["explanation"]
            open_main += s["weight"] == "main source"
            open_minor += s["weight"] == "minor source"
        rows.append({"step": "estrogen source", "node_id": s["node_id"], "label": s["label"], "state": state,
                     "open": is_open, "acted_on_by": by, "why": why})
    if open_main:
        level, lvl_why = "supplied", "A main estrogen source is still working."
    elif open_minor:
        level, lvl_why = "lowered", "Only a minor source is still working, so less estrogen is made."
    else:
        level, lvl_why = "very low", "Every estrogen source in the model is blocked, removed or absent."
    rows.append({"step": "estrogen", "node_id": "estrogen", "label": labels.get("estrogen", "Estrogen"),
                 "state": level, "open": level != "very low", "acted_on_by": "", "why": lvl_why})
    for node in ("ER_nuclear", "ER_membrane"):
        hit = acts.get(node, [])
        if hit:
            o, effect, why = hit[0]
            state, is_open, by = f"{effect} by {o}", False, o
        elif level == "very low":
            state, is_open, by, why = "little estrogen to bind", False, "", lvl_why
        else:
            state, is_open, by = ("estrogen-bound, active" if level == "supplied" else "less estrogen, less active"), True, ""
            why = "Estrogen still reaches the receptor."
            if "SERM" in opts and node == "ER_membrane":
                why += " The course's model leaves membrane ER untouched by a SERM (drug_targets.csv, SERM row)."
        rows.append({"step": "estrogen receptor", "node_id": node, "label": labels.get(node, node), "state": state,
                     "open": is_open, "acted_on_by": by, "why": why})
    # ER switched on without estrogen (HER2-pathway kinases phosphorylate it): only degrading ER removes it.
    if "SERD" in opts:
        state, is_open, by = "degraded by SERD", False, "SERD"
        why = "Degrading ERα leaves the kinases nothing to switch on."
    else:
        state, is_open, by = "still possible", True, ""
        why = ("ERK and AKT can phosphorylate ER so it works with little or no estrogen (pathway_edges.csv); "
               "lowering estrogen or competing for its binding pocket does not stop this in the model.")
    rows.append({"step": "estrogen-independent ER", "node_id": "ER_nuclear",
                 "label": "ER switched on by HER2-pathway kinases", "state": state, "open": is_open,
                 "acted_on_by": by, "why": why})
    tidy = pd.DataFrame(rows, columns=["step", "node_id", "label", "state", "open", "acted_on_by", "why"])
    tidy.attrs.update(status=status, options=opts)
    return tidy


def endocrine_summary(tidy: pd.DataFrame) -> str:
    """One or two sentences, from an :func:`endocrine_effects` frame, on what still drives ER. Explains, never advises."""
    status, opts = tidy.attrs.get("status", "?"), tidy.attrs.get("options", [])
    chosen = " + ".join(opts) if opts else "no endocrine option"
    src = tidy[tidy["step"] == "estrogen source"]
    open_src = list(src.loc[src["open"], "label"])
    er_open = list(tidy.loc[(tidy["step"] == "estrogen receptor") & tidy["open"], "label"])
    parts = [f"{status.capitalize()}, {chosen}:"]
    parts.append(f"estrogen still comes from {' and '.join(open_src)}." if open_src
                 else "no estrogen source is left working in the model.")
    level = tidy.loc[tidy["step"] == "estrogen", "state"]
    if er_open:
        parts.append(f"Estrogen-driven ER signaling remains through {' and '.join(er_open)}.")
    elif not level.empty and level.iloc[0] == "very low":
        parts.append("Estrogen falls to very low levels, so little estrogen-driven ER signaling is left.")
    else:
        parts.append("Estrogen is still made, but the receptor is blocked or degraded, so estrogen-driven ER "
                     "signaling is cut.")
    main = src[src["state"].str.startswith("main source, working")]
    if "AI" in opts and "OFS" not in opts and status == "premenopausal" and not main.empty:
        parts.append("An AI alone blocks peripheral aromatase, but the working ovaries, the main source before "
                     "menopause, keep supplying estrogen; this is the mechanistic reason an AI is combined with OFS "
                     "before menopause.")
    indep = tidy[tidy["step"] == "estrogen-independent ER"]
    if not indep.empty and bool(indep["open"].iloc[0]):
        parts.append("ER can still be switched on without estrogen by HER2-pathway kinases (crosstalk).")
    return " ".join(parts)


# --------------------------------------------------------------------------------------- mechanism chains (06)

def mechanism_chain(nodes: pd.DataFrame, edges: pd.DataFrame, node_ids: list[str]) -> pd.DataFrame:
    """The edges linking consecutive nodes of ``node_ids`` (e.g. cyclin D1 -> CDK4/6 -> Rb -> E2F -> proliferation).

    Columns: step (1, 2, ...), source, target, source_label, target_label, source_pathway, target_pathway,
    relation, explanation, refs. Raises ValueError naming an unknown node or a missing link.
    """
    if len(node_ids) < 2:
        raise ValueError("A chain needs at least two nodes.")
    info = nodes.set_index("node_id")
    unknown = [n for n in node_ids if n not in info.index]
    if unknown:
        raise ValueError(f"Unknown pathway node(s): {', '.join(unknown)}.")
    rows = []
    for i, (a, b) in enumerate(zip(node_ids, node_ids[1:]), start=1):
        hit = edges[(edges["source"] == a) & (edges["target"] == b)]
        if hit.empty:
            raise ValueError(f"The pathway tables have no step from {a} to {b}.")
        e = hit.iloc[0]
        rows.append({"step": i, "source": a, "target": b, "source_label": info.at[a, "label"],
                     "target_label": info.at[b, "label"], "source_pathway": info.at[a, "pathway"],
                     "target_pathway": info.at[b, "pathway"], "relation": e["relation"],
                     "explanation": _s(e["explanation"]), "refs": _s(e["refs"])})
    return pd.DataFrame(rows)


def chain_blocks(chain: pd.DataFrame, drug_targets: pd.DataFrame, drugs: pd.DataFrame | None = None,
                 classes: list[str] | None = None) -> pd.DataFrame:
    """Drug classes (drug_targets.csv) acting on the nodes of a chain, with the named drugs of that class that aim at
    that node (drugs.csv ``target``). Columns: node_id, drug_class, family, effect, drugs, explanation, refs."""
    chain_nodes = list(dict.fromkeys([*chain["source"], *chain["target"]]))
    labels = dict(zip(chain["source"], chain["source_label"])) | dict(zip(chain["target"], chain["target_label"]))
    sub = drug_targets[drug_targets["node_id"].isin(chain_nodes)]
    if classes is not None:
        sub = sub[sub["drug_class"].isin(classes)]
    rows = []
    for _, t in sub.iterrows():
        named = []
        if drugs is not None:
            fam = family_of(t["drug_class"])
            for _, d in drugs.iterrows():
                core = _s(d["target"]).split(" (")[0].strip()
                if family_of(d["drug_class"]) == fam and core and (
                        core in labels[t["node_id"]] or core == t["node_id"].replace("_", "-")):
                    named.append(d["drug"])
        rows.append({"node_id": t["node_id"], "drug_class": t["drug_class"], "family": family_of(t["drug_class"]) or "",
                     "effect": t["effect"], "drugs": ", ".join(named), "explanation": _s(t["explanation"]),
                     "refs": _s(t["refs"])})
    return pd.DataFrame(rows, columns=["node_id", "drug_class", "family", "effect", "drugs", "explanation", "refs"])
