"""Drug widgets (lessons 04-06): the HER2 receptor map, the drug explorer with ADC anatomy, and estrogen sources.

Each widget is thin: controls -> a pure ``*_view`` function (tested) -> HTML. Bad input gives words, never a traceback.
"""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from .. import drugs as D
from .. import plots
from ..errata import callout_html
from ..palette import DRUG_CLASS
from ._common import in_words
from ._common import message as _message

__all__ = ["her2_receptor_view", "her2_receptor_map", "drug_table_html", "drug_explorer_view", "adc_view",
           "drug_explorer", "estrogen_view", "estrogen_explorer"]

_HER2_CAPTION = ("Coloured squares mark drug families (antibody, TKI, ADC). 'Inferred' means the review does not "
                 "name the site: ADCs are placed where their antibody, trastuzumab, binds, and TKIs on the kinase "
                 "domain because that is what a TKI blocks. Drugs with no stated site are listed, not placed.")


def _facts_html(facts: pd.DataFrame) -> str:
    rows = "".join(f"<tr><th style='text-align:left;vertical-align:top;padding-right:1em'>{html.escape(f)}</th>"
                   f"<td>{html.escape(v)}</td></tr>" for f, v in zip(facts["field"], facts["value"]))
    return f'<table class="drug-facts" style="font-size:0.9em">{rows}</table>'


@in_words("HER2 receptor map")
def her2_receptor_view(drugs: pd.DataFrame, drug: str, references: pd.DataFrame | None = None,
                       errata: pd.DataFrame | None = None) -> tuple[str, str]:
    """(figure HTML, facts HTML) for one drug on the HER2 receptor map. An unknown drug gives a message."""
    row = D.find_drug(drugs, drug)
    tidy = D.her2_map(drugs)
    if row["drug"] not in set(tidy["drug"]):
        raise ValueError(f"{row['drug']} is not an anti-HER2 drug (its class is {row['drug_class']}), so it has no "
                         f"place on the HER2 map. Anti-HER2 drugs: {', '.join(tidy['drug'])}.")
    facts = D.drug_facts(drugs, row["drug"], references)
    name = row["drug"]
    fig = plots.her2_map_figure(tidy, name)
    figure = plots.figure_html(fig, plots.her2_map_alt(tidy, name), _HER2_CAPTION)
    site = tidy[tidy["drug"] == name].iloc[0]
    info = (f"<p><strong>{html.escape(name)}</strong>: place on the map <em>{html.escape(site['region'])}</em> "
            f"({html.escape(site['basis'])}).</p>")
    extra = ""
    if errata is not None:
        rows = D.drug_errata(drugs, errata, name)
        if not rows.empty:
            extra = f"<p><strong>Errata that concern {html.escape(name)}:</strong></p>" + callout_html(rows)
    return figure, info + _facts_html(facts) + extra


def her2_receptor_map(drugs: pd.DataFrame, references: pd.DataFrame | None = None,
                      errata: pd.DataFrame | None = None, drug: str = "trastuzumab") -> W.VBox:
    """Choose an anti-HER2 drug: its site on HER2 lights up and its facts from drugs.csv are listed."""
    names = list(D.her2_map(drugs)["drug"])
    value = drug if drug in names else (names[0] if names else None)
    dd = W.Dropdown(options=names, value=value, description="Drug", layout=W.Layout(width="24rem"))
    figure_out, facts_out, note = W.HTML(), W.HTML(), W.HTML()
    if drug not in names:
        note.value = _message(f"{drug!r} is not an anti-HER2 drug in the table; showing {value} instead.")

    def redraw(*_):
        figure_out.value, facts_out.value = her2_receptor_view(drugs, dd.value, references, errata)

    dd.observe(redraw, names="value")
    redraw()
    return W.VBox([dd, note, figure_out, facts_out])


# ------------------------------------------------------------------------------------------------ drug explorer

def drug_table_html(table: pd.DataFrame) -> str:
    """The filtered drug table as HTML, with a colour chip (and its family in words) for each drug family."""
    head = "".join(f"<th style='text-align:left'>{h}</th>"
                   for h in ("Family", "Drug", "Class", "Target", "Mechanism (course's words)", "Review refs"))
    body = []
    for r in table.itertuples():
        colour = DRUG_CLASS.get(r.family, "#FFFFFF")
        chip = (f"<span style='display:inline-block;width:0.9em;height:0.9em;background:{colour};"
                f"margin-right:0.3em;vertical-align:middle'></span>{html.escape(r.family)}")
        cells = [chip] + [html.escape(str(v)) for v in (r.drug, r.drug_class, r.target, r.mechanism, r.refs)]
        body.append("<tr>" + "".join(f"<td style='vertical-align:top'>{c}</td>" for c in cells) + "</tr>")
    return (f'<table class="drug-table" style="font-size:0.85em"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


@in_words("drug explorer", parts=1)
def drug_explorer_view(drugs: pd.DataFrame, family: str = "anti-HER2 drugs", drug_class: str = "any",
                       target: str = "", text: str = "", references: pd.DataFrame | None = None) -> str:
    """HTML: a sentence saying how many drugs match, then the table. Bad filters give a message."""
    table = D.filter_drugs(drugs, family, drug_class, target, text, references)
    filters = [f"family: {family}"] + ([f"class: {drug_class}"] if drug_class not in ("any", "", None) else [])
    filters += [f"target contains '{target}'"] if target.strip() else []
    filters += [f"text contains '{text}'"] if text.strip() else []
    if table.empty:
        return f"<p>No drug matches ({html.escape('; '.join(filters))}). Clear a filter to see more.</p>"
    lead = f"<p><strong>{len(table)} drug{'s' if len(table) != 1 else ''}</strong> ({html.escape('; '.join(filters))}).</p>"
    return lead + drug_table_html(table)


@in_words("ADC comparison")
def adc_view(drugs: pd.DataFrame, errata: pd.DataFrame | None, adc: str = "both") -> tuple[str, str]:
    """(figure HTML, errata HTML) for the anatomy of one ADC or of all ADCs ('both')."""
    names = list(drugs.loc[drugs["drug_class"] == "ADC", "drug"]) if adc == "both" else [adc]
    if not names:
        raise ValueError("The drug table holds no antibody–drug conjugate.")
    frames = [D.adc_anatomy(drugs, n, errata) for n in names]
    caption = ("Orange-red Y: the antibody; grey bar: the linker; black bead: the cytotoxic payload. Words are the "
               "review's, as printed; a dashed frame marks a description the errata table flags.")
    figure = plots.figure_html(plots.adc_anatomy_figure(frames), plots.adc_anatomy_alt(frames), caption)
    ids = sorted({i.strip() for f in frames for e in f["erratum"] for i in e.split(";") if i.strip()})
    notes = callout_html(errata[errata["erratum_id"].isin(ids)]) if ids and errata is not None else ""
    return figure, notes


def drug_explorer(drugs: pd.DataFrame, references: pd.DataFrame | None = None, errata: pd.DataFrame | None = None,
                  family: str = "anti-HER2 drugs", show_adc: bool = True) -> W.VBox:
    """Filter the drug table by family, class, target and free text; below it, the anatomy of the ADCs."""
    note = W.HTML()
    if family not in D.FAMILIES:
        note.value = _message(f"Unknown drug family {family!r}; showing the anti-HER2 drugs instead.")
        family = "anti-HER2 drugs"
    fam_dd = W.Dropdown(options=list(D.FAMILIES), value=family, description="Family", layout=W.Layout(width="20rem"))
    cls_dd = W.Dropdown(description="Class", layout=W.Layout(width="20rem"))
    target_tx = W.Text(description="Target", placeholder="e.g. HER2, CDK4/6", layout=W.Layout(width="20rem"))
    text_tx = W.Text(description="Search", placeholder="any word, e.g. irreversible", layout=W.Layout(width="20rem"))
    table_out = W.HTML()

    def classes_for(fam):
        allowed = D.FAMILIES[fam]
        present = [c for c in dict.fromkeys(drugs["drug_class"]) if allowed is None or c in allowed]
        return ["any", *present]

    def redraw(*_):
        table_out.value = drug_explorer_view(drugs, fam_dd.value, cls_dd.value or "any", target_tx.value,
                                             text_tx.value, references)

    def family_changed(*_):
        cls_dd.unobserve(redraw, names="value")
        cls_dd.options = classes_for(fam_dd.value)
        cls_dd.value = "any"
        cls_dd.observe(redraw, names="value")
        redraw()

    cls_dd.options = classes_for(family)
    cls_dd.value = "any"
    fam_dd.observe(family_changed, names="value")
    cls_dd.observe(redraw, names="value")
    target_tx.observe(redraw, names="value")
    text_tx.observe(redraw, names="value")
    redraw()
    children = [W.HBox([fam_dd, cls_dd]), W.HBox([target_tx, text_tx]), note, table_out]
    if show_adc:
        adcs = list(drugs.loc[drugs["drug_class"] == "ADC", "drug"])
        adc_dd = W.Dropdown(options=["both", *adcs], value="both", description="ADC", layout=W.Layout(width="20rem"))
        adc_fig, adc_notes = W.HTML(), W.HTML()

        def redraw_adc(*_):
            adc_fig.value, adc_notes.value = adc_view(drugs, errata, adc_dd.value)

        adc_dd.observe(redraw_adc, names="value")
        redraw_adc()
        children += [W.HTML("<h3>Anatomy of an antibody–drug conjugate</h3>"), adc_dd, adc_fig, adc_notes]
    return W.VBox(children)


# ---------------------------------------------------------------------------------- estrogen sources (lesson 05)

def _effects_table_html(tidy: pd.DataFrame) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(r.label)}</td><td>{'yes' if r.open else 'no'}</td><td>{html.escape(r.state)}</td>"
        f"<td>{html.escape(r.why)}</td></tr>" for r in tidy.itertuples())
    return ('<table class="estrogen-table" style="font-size:0.85em"><thead><tr><th>Step</th><th>Still working?</th>'
            f'<th>State</th><th>Why</th></tr></thead><tbody>{rows}</tbody></table>')


@in_words("estrogen explorer")
def estrogen_view(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame, status: str,
                  options) -> tuple[str, str]:
    """(figure HTML, summary + table HTML) for a menopausal status and a set of endocrine options."""
    tidy = D.endocrine_effects(nodes, edges, drug_targets, status, options)
    caption = ("A model of mechanisms for teaching, not a treatment guide. Drug actions from drug_targets.csv; "
               "estrogen sources from the pathway tables.")
    figure = plots.figure_html(plots.estrogen_figure(tidy), plots.estrogen_alt(tidy), caption)
    summary = f"<p>{html.escape(D.endocrine_summary(tidy))}</p>"
    return figure, summary + _effects_table_html(tidy)


def estrogen_explorer(nodes: pd.DataFrame, edges: pd.DataFrame, drug_targets: pd.DataFrame,
                      status: str = "postmenopausal", options=("AI",)) -> W.VBox:
    """Choose menopausal status and endocrine options: see where estrogen comes from and what still reaches ER."""
    note = W.HTML()
    options = [options] if isinstance(options, str) else list(options or [])
    problems = []
    if status not in D.STATUSES:
        problems.append(f"Unknown menopausal status {status!r}; showing postmenopausal instead.")
        status = "postmenopausal"
    bad = [o for o in options if o not in D.ENDOCRINE_OPTIONS]
    if bad:
        problems.append(f"Unknown option(s) {', '.join(map(repr, bad))} left out; the options are "
                        f"{', '.join(D.ENDOCRINE_OPTIONS)}.")
    note.value = "".join(_message(p) for p in problems)
    status_tb = W.ToggleButtons(options=D.STATUSES, value=status, description="Status")
    boxes = {o: W.Checkbox(value=o in options, description=o, indent=False, layout=W.Layout(width="6rem"))
             for o in D.ENDOCRINE_OPTIONS}
    figure_out, table_out = W.HTML(), W.HTML()

    def redraw(*_):
        chosen = [o for o, b in boxes.items() if b.value]
        figure_out.value, table_out.value = estrogen_view(nodes, edges, drug_targets, status_tb.value, chosen)

    status_tb.observe(redraw, names="value")
    for b in boxes.values():
        b.observe(redraw, names="value")
    redraw()
    return W.VBox([status_tb, W.HBox([W.HTML("<span style='margin-right:1em'>Options:</span>"), *boxes.values()]),
                   note, figure_out, table_out])
