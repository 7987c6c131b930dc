"""The crosstalk explorer (lesson 03): switch drug classes on and off and see which routes to proliferation stay
open, and why."""
from __future__ import annotations

import html

import ipywidgets as W

from .. import pathway, plots
from ._common import in_words
from ._common import message as _message

__all__ = ["DEFAULT_CLASSES", "crosstalk_view", "crosstalk_text_html", "crosstalk_explorer"]

#: The default view: anti-HER2 antibody only, so the page shows the ER escape routes.
DEFAULT_CLASSES = ("anti-HER2 antibody",)

_CAPTION = ("Teaching simplification of the review's Figure 1. Thick lines: links that carry signal to cell "
            "proliferation; dashed reddish-purple lines: HER2–ER crosstalk; hatched grey boxes with ×: nodes a chosen "
            "drug acts on; dashed grey outlines: nodes no signal reaches.")


def _tables(tables):
    try:
        return tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"]
    except (KeyError, TypeError):
        raise ValueError("The explorer needs the tables pathway_nodes, pathway_edges and drug_targets "
                         "(pass data.load_all()).") from None


def crosstalk_text_html(sentences: list[str], menopause: str, n_routes: int = 0) -> str:
    """The text panel: the general sentences as paragraphs, the last ``n_routes`` (one per open route) as a list."""
    if not sentences:
        return ""
    cut = len(sentences) - n_routes
    head, items = sentences[:cut], sentences[cut:]
    lead = "".join(f"<p>{html.escape(s)}</p>" for s in head)
    lst = "".join(f"<li>{html.escape(s)}</li>" for s in items)
    return (f'<div class="crosstalk-text" style="font-size:0.92em"><p><em>Setting: {html.escape(menopause)}.</em></p>'
            f'{lead}{"<ol>" + lst + "</ol>" if lst else ""}</div>')


@in_words("crosstalk map")
def crosstalk_view(tables, classes=DEFAULT_CLASSES, menopause: str = "postmenopausal") -> tuple[str, str]:
    """(figure HTML, text HTML) for a choice of drug classes and menopausal status. Bad input: a message, no error."""
    nodes, edges, targets = _tables(tables)
    state = pathway.scenario(nodes, edges, targets, classes, menopause)
    title = plots.pathway_title(state["routes"], state["classes"], state["menopause"])
    fig = plots.pathway_figure(nodes, edges, state["status"], state["highlight"], title=title)
    alt = plots.pathway_alt(nodes, edges, state["status"], state["routes"], title=title)
    return plots.figure_html(fig, alt, _CAPTION), crosstalk_text_html(
        state["sentences"], state["menopause"], pathway.route_counts(state["routes"])["open"])


def crosstalk_explorer(tables, classes=DEFAULT_CLASSES, menopause: str = "postmenopausal") -> W.VBox:
    """Checkboxes for the drug classes, a menopause switch, the figure and a panel naming the open routes and why."""
    note = W.HTML()
    try:
        nodes, edges, targets = _tables(tables)
        known = pathway.drug_classes(targets)
    except (ValueError, KeyError) as exc:
        note.value = _message(str(exc))
        return W.VBox([note])
    wanted = [classes] if isinstance(classes, str) else list(classes or ())
    unknown = [c for c in wanted if c not in known]
    if unknown:
        note.value = _message(f"Unknown drug class {', '.join(map(repr, unknown))}, left out. Known classes: "
                              f"{', '.join(known)}.")
    if menopause not in pathway.MENOPAUSE:
        note.value += _message(f"Unknown menopausal status {menopause!r}; showing postmenopausal.")
        menopause = "postmenopausal"
    boxes = {c: W.Checkbox(value=c in wanted, description=c, indent=False, layout=W.Layout(width="15rem"))
             for c in known}
    meno = W.ToggleButtons(options=list(pathway.MENOPAUSE), value=menopause, description="Setting",
                           style={"button_width": "9rem"})
    figure_out, text_out = W.HTML(), W.HTML()

    def redraw(*_):
        chosen = [c for c in known if boxes[c].value]
        figure_out.value, text_out.value = crosstalk_view(tables, chosen, meno.value)

    for box in boxes.values():
        box.observe(redraw, names="value")
    meno.observe(redraw, names="value")
    redraw()
    grid = W.GridBox(list(boxes.values()), layout=W.Layout(grid_template_columns="repeat(4, 15rem)"))
    return W.VBox([W.HTML("<strong>Drug classes switched on</strong>"), grid, meno, note, figure_out, text_out])
