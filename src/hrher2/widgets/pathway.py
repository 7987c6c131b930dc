"""The crosstalk map (lesson 03) for chosen drug classes and a menopausal setting: which routes to proliferation stay
open, and why, as a figure and a list. Lesson 03 shows it for fixed choices; its explorer, with the controls, is the
live chart :func:`hrher2.live.crosstalk_chart`."""
from __future__ import annotations

import html


from .. import pathway, plots
from ._common import in_words

__all__ = ["DEFAULT_CLASSES", "crosstalk_view", "crosstalk_text_html"]

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
