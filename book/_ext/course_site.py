"""Small local Sphinx extension for the course site.

- Gives bibliography entries an ARIA role that list semantics allow.
- Puts on every page the one date up to which evidence published after the review was checked
  (``evidence_checked_up_to`` in ``data/datapackage.json``), linked to the "What changed since the review" page.
- Turns on the launch buttons (Binder, and JupyterHub when a hub is named) when the build knows the course's public
  repository: ``COURSE_REPOSITORY`` ("owner/name" or a full https URL), else ``GITHUB_REPOSITORY`` (set by GitHub
  Actions, so the Pages workflow gets them with no configuration); branch from ``COURSE_BRANCH``, else
  ``GITHUB_REF_NAME``, else ``main``; hub from ``COURSE_JUPYTERHUB_URL``. With no repository known (a local build)
  there are no launch buttons rather than buttons that lead nowhere.
- Draws each ipywidgets widget from the notebook's saved state as static HTML (``static_widgets``): its default
  figure and table under one "Shown for" line with its controls' settings in words
  (``hrher2.widget_state.static_widget_page_html``, the handouts' drawing too), and removes the saved state from the
  page. Without a kernel a control cannot change anything, so a page needs no widget manager: it loaded 1.9 MB of
  script (450 kB compressed) on every lesson page and was the slowest script to start on a phone (Lighthouse).
- Names the empty corner cells of pandas tables. A DataFrame's HTML leaves the header cell above its index empty,
  which screen readers announce as a blank column header (axe: empty-table-header); the book gives it a visually
  hidden label.
- Makes the sidebar toggles work. pydata-sphinx-theme 0.17 fills its own top navbar with a search button unless
  ``navbar_persistent`` is set, and that navbar then carries a second, hidden pair of ``.primary-toggle`` /
  ``.secondary-toggle`` buttons ahead of sphinx-book-theme's. Both themes' scripts bind their click handlers with
  ``document.querySelector`` (the first match only), so the hidden buttons got the handlers and the visible
  "Toggle primary sidebar" / "Toggle secondary sidebar" buttons did nothing at any width. With
  ``navbar_persistent`` empty the theme's navbar is not drawn and the visible buttons are the first matches.
- Tidies pandas tables: ``<NA>`` cells read as a dash ("not given" to screen readers), padded six-decimal floats
  lose their trailing zeros and computed ones are shown to three significant digits.
- Removes duplicate <script> entries. sphinx-thebe registers its inline configuration on every
  ``env-before-read-docs``, so a rebuild that re-reads pages declares ``const THEBE_JS_URL`` twice and the
  browser reports a SyntaxError. One copy of each script is kept.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from hrher2.widget_state import static_widget_page_html  # one drawing for the book and the handouts

STATE_MIME = "application/vnd.jupyter.widget-state+json"
_VIEW = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S)

_DATAFRAME_HEAD = re.compile(r'(<table[^>]*class="[^"]*\bdataframe\b[^"]*"[^>]*>\s*<thead>)(.*?)(</thead>)', re.S)
_EMPTY_TH = re.compile(r"<th([^>]*)>\s*</th>")


def label_empty_headers(body: str, label: str = "row label") -> str:
    """Give every empty <th> in a pandas table's header a visually hidden label (pure)."""
    hidden = f'<span class="visually-hidden">{label}</span>'
    return _DATAFRAME_HEAD.sub(lambda m: m.group(1) + _EMPTY_TH.sub(rf"<th\1>{hidden}</th>", m.group(2)) + m.group(3),
                               body)


_DATAFRAME = re.compile(r'<table[^>]*class="[^"]*\bdataframe\b[^"]*"[^>]*>.*?</table>', re.S)
_NA_CELL = re.compile(r"<td([^>]*)>\s*(?:&lt;NA&gt;|NaN|None|NaT)\s*</td>")
_LONG_FLOAT = re.compile(r"<td([^>]*)>\s*(-?\d+\.\d{4,})\s*</td>")


def _short_number(text: str) -> str:
    """A pandas cell's padded float as a reader reads it: trailing zeros dropped ('0.550000' -> '0.55'); a value
    that still has more than three decimals (a computed one) rounded to three significant digits (pure)."""
    trimmed = text.rstrip("0").rstrip(".")
    if "." not in trimmed or len(trimmed.split(".")[1]) <= 3:
        return trimmed
    value = float(text)
    return f"{value:.1f}" if abs(value) >= 100 else f"{float(f'{value:.3g}'):g}"


def tidy_dataframe_cells(body: str) -> str:
    """In pandas tables, a missing value reads as a dash with a hidden 'not given' for screen readers (not '<NA>'),
    and padded floats are shortened by :func:`_short_number` (pure)."""
    empty = '<td\\1><span aria-hidden="true">–</span><span class="visually-hidden">not given</span></td>'

    def tidy(m):
        table = _NA_CELL.sub(empty, m.group(0))
        return _LONG_FLOAT.sub(lambda c: f"<td{c.group(1)}>{_short_number(c.group(2))}</td>", table)
    return _DATAFRAME.sub(tidy, body)


def _label_headers(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and "dataframe" in body:
        context["body"] = tidy_dataframe_cells(label_empty_headers(body))


_WIDGET_CELL = re.compile(
    r'(<div class="cell_output docutils container">\s*)(<script type="application/vnd\.jupyter\.widget-view\+json">'
    r'.*?</script>(?:\s*</div>){2})(\s*<p><em>((?:(?!</?em>).)*?)</em></p>)?', re.S)
_LAUNCH = re.compile(r",\s+or\s+a\s+launch\s+button\s+at\s+the\s+top\s+of\s+the\s+page", re.S)
KERNEL_NOTE = ("its controls need a running Python kernel: run the lesson in JupyterLab (<code>make lab</code> in the "
               "course folder). Below is its default view.")


def kernel_notes(body: str, launch: bool = False) -> str:
    """Each ipywidgets widget on a static page gets one line *above* it saying that it runs in JupyterLab: the lesson's
    own italic note under the widget moves there (without its launch-button clause when the build has no launch
    button); a widget without one gets the default line (pure)."""
    def repl(m):
        note = (m.group(4) or "").strip() or KERNEL_NOTE
        if not launch:
            note = _LAUNCH.sub("", note)
        return (f'{m.group(1)}<p class="hrher2-kernel-note"><strong>Runs in JupyterLab:</strong> {note}</p>'
                f"{m.group(2)}")

    return _WIDGET_CELL.sub(repl, body)


def _kernel_notes(app, pagename, templatename, context, doctree):
    body = context.get("body") or ""
    if "widget-view+json" in body:
        context["body"] = kernel_notes(body, launch=bool(launch_options(os.environ)))


def static_widgets(body: str, state: dict, link=lambda value: value) -> str:
    """Each widget view in a page's body drawn from the saved widget state (``{"state": {id: model}}``), with no
    script: its default figure and table, under one "Shown for" line naming its controls' settings; ``link`` is applied
    to what is drawn (the review's "ref N" become links) (pure)."""
    models = (state or {}).get("state", {})

    def repl(m):
        try:
            model_id = json.loads(m.group(1)).get("model_id", "")
        except ValueError:
            model_id = ""
        shown = static_widget_page_html(model_id, models)
        if "dataframe" in shown:
            shown = tidy_dataframe_cells(shown)
        return link(shown)

    return _VIEW.sub(repl, body)


def _static_widgets(app, pagename, templatename, context, doctree):
    """A page's widgets become static HTML (their saved default view), and the page carries no widget state and loads
    no widget manager: on a static page a control could not change anything, and the manager was the largest script
    of a lesson page."""
    scripts, body = context.get("script_files") or [], context.get("body") or ""
    states = [js for js in scripts if (getattr(js, "attributes", None) or {}).get("type") == STATE_MIME]
    for js in states:
        scripts.remove(js)
    if "widget-view+json" not in body:
        return
    from review_refs import REFS_DOC, link_refs_in_html, review_numbers

    target, numbers = app.builder.get_relative_uri(pagename, REFS_DOC), set(review_numbers().values())
    state = json.loads(states[0].attributes["body"]) if states and states[0].attributes.get("body") else {}
    context["body"] = static_widgets(body, state, lambda value: link_refs_in_html(value, target, numbers))


BINDERHUB = "https://mybinder.org"


def launch_options(env: Mapping[str, str]) -> dict:
    """The html_theme_options entries that switch on launch buttons, from environment variables (pure)."""
    repo = (env.get("COURSE_REPOSITORY") or env.get("GITHUB_REPOSITORY") or "").strip().rstrip("/")
    if not repo:
        return {}
    if repo.endswith(".git"):
        repo = repo[:-4]
    if not repo.startswith(("https://", "http://")):
        parts = [p for p in repo.split("/") if p]
        if len(parts) != 2:
            raise ValueError(f"COURSE_REPOSITORY must be 'owner/name' or an https URL, not {repo!r}")
        repo = "https://github.com/" + "/".join(parts)
    branch = (env.get("COURSE_BRANCH") or env.get("GITHUB_REF_NAME") or "main").strip()
    launch = {"notebook_interface": "jupyterlab", "binderhub_url": BINDERHUB}
    hub = (env.get("COURSE_JUPYTERHUB_URL") or "").strip().rstrip("/")
    if hub:
        launch["jupyterhub_url"] = hub
    return {"repository_url": repo, "repository_branch": branch, "path_to_docs": "",
            "use_repository_button": True, "launch_buttons": launch}


def _working_sidebar_toggles(app, config):
    theme = dict(config.html_theme_options or {})
    theme.setdefault("navbar_persistent", [])
    config.html_theme_options = theme


def _launch_buttons(app, config):
    options = launch_options(os.environ)
    if options:
        theme = dict(config.html_theme_options or {})
        launch = {**(theme.get("launch_buttons") or {}), **options.pop("launch_buttons")}
        theme.update(options, launch_buttons=launch)
        config.html_theme_options = theme


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        # an inline script's filename is '' or None depending on who added it: treat both as the same
        name = js.filename if hasattr(js, "filename") else str(js)
        key = (name or "", tuple(sorted((getattr(js, "attributes", None) or {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


def _aria_roles(app, pagename, templatename, context, doctree):
    """docutils marks citations role="doc-biblioentry" inside role="list": the role is deprecated and a list must
    hold list items (axe: aria-required-children, critical). Use role="listitem"."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def evidence_footer(date: str, pathto_since: str = "") -> str:
    """The line every page shows: the one date up to which evidence published after the review was checked (pure)."""
    link = f' · <a href="{pathto_since}">what changed since the review</a>' if pathto_since else ""
    return (f'<p class="hrher2-evidence-date">Evidence checked up to <time datetime="{date}">{date}</time>{link}. '
            "Education, not treatment advice.</p>")


def _evidence_date(app) -> str:
    package = json.loads((Path(app.srcdir) / "data" / "datapackage.json").read_text(encoding="utf-8"))
    date = package.get("evidence_checked_up_to")
    if not date:
        raise ValueError("data/datapackage.json: 'evidence_checked_up_to' is not set; every page shows it.")
    return str(date)


def _evidence_footer(app, pagename, templatename, context, doctree):
    """Every page says how current its evidence is, in the footer, with a link to the page that lists what was
    published since the review."""
    if not hasattr(app, "hrher2_evidence_date"):
        found = (Path(app.srcdir) / "data" / "datapackage.json").is_file()
        app.hrher2_evidence_date = _evidence_date(app) if found else None  # a site built without the course data
    if app.hrher2_evidence_date is None:
        return
    link = context["pathto"]("book/since_review") if "pathto" in context else ""
    context["theme_extra_footer"] = evidence_footer(app.hrher2_evidence_date, link)


#: The course's own scripts: each starts on DOMContentLoaded, so they load deferred and never block the first paint.
COURSE_JS = ("course-a11y.js", "course-figures.js", "course-tables.js")


def setup(app):
    for name in COURSE_JS:
        app.add_js_file(name, defer="defer")
    app.connect("config-inited", _working_sidebar_toggles)
    app.connect("config-inited", _launch_buttons)
    app.connect("html-page-context", _evidence_footer, priority=899)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _static_widgets, priority=903)
    app.connect("html-page-context", _kernel_notes, priority=902)
    app.connect("html-page-context", _label_headers, priority=902)
    app.connect("html-page-context", _aria_roles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
