"""The local Sphinx extension book/_ext/course_site.py: launch buttons from the environment, pruned widget state."""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ext():
    spec = importlib.util.spec_from_file_location("course_site", ROOT / "book" / "_ext" / "course_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_repository_no_buttons():
    assert _ext().launch_options({}) == {}
    assert _ext().launch_options({"COURSE_REPOSITORY": "  "}) == {}


def test_github_actions_repository_and_branch():
    got = _ext().launch_options({"GITHUB_REPOSITORY": "teach-org/hrher2-course", "GITHUB_REF_NAME": "release"})
    assert got["repository_url"] == "https://github.com/teach-org/hrher2-course"
    assert got["repository_branch"] == "release"
    assert got["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert got["launch_buttons"]["notebook_interface"] == "jupyterlab"
    assert "jupyterhub_url" not in got["launch_buttons"]


def test_course_settings_win_and_hub_is_optional():
    got = _ext().launch_options({"COURSE_REPOSITORY": "https://gitlab.com/a/b.git", "GITHUB_REPOSITORY": "x/y",
                                 "COURSE_JUPYTERHUB_URL": "https://hub.example.edu/"})
    assert got["repository_url"] == "https://gitlab.com/a/b"
    assert got["repository_branch"] == "main"
    assert got["launch_buttons"]["jupyterhub_url"] == "https://hub.example.edu"


@pytest.mark.parametrize("bad", ["just-a-name", "a/b/c"])
def test_malformed_repository_is_named(bad):
    with pytest.raises(ValueError, match="COURSE_REPOSITORY must be 'owner/name'"):
        _ext().launch_options({"COURSE_REPOSITORY": bad})


def _mini_book(tmp_path: Path) -> Path:
    """A two-page Sphinx project with the book's theme, MyST-NB and the course extension (no execution)."""
    src = tmp_path / "src"
    (src / "notebooks").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson"), nbformat.v4.new_code_cell("1 + 1")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, src / "notebooks" / "lesson.ipynb")
    (src / "index.md").write_text("# Home\n\n```{toctree}\nnotebooks/lesson\n```\n")
    (src / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['myst_nb', 'course_site']\n"
        "html_theme = 'sphinx_book_theme'\n"
        "nb_execution_mode = 'off'\n"
        "html_theme_options = {'launch_buttons': {'notebook_interface': 'jupyterlab', 'thebe': False}}\n"
    )
    return src


def _build(src: Path, out: Path, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COURSE_", "GITHUB_"))}
    done = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
                          env={**clean, **env}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return (out / "notebooks" / "lesson.html").read_text()


@pytest.mark.book
def test_buttons_appear_only_with_a_repository(tmp_path):
    src = _mini_book(tmp_path)
    plain = _build(src, tmp_path / "plain")
    assert "mybinder.org" not in plain

    page = _build(src, tmp_path / "hosted", GITHUB_REPOSITORY="teach-org/hrher2-course",
                  COURSE_JUPYTERHUB_URL="https://hub.example.edu")
    binder = re.search(r'href="(https://mybinder\.org/[^"]+)"', page)
    assert binder, "no Binder launch link on the notebook page"
    assert binder.group(1).replace("&amp;", "&") == (
        "https://mybinder.org/v2/gh/teach-org/hrher2-course/main?urlpath=lab/tree/notebooks/lesson.ipynb")
    # the hub link pulls the repository with nbgitpuller and opens the same notebook
    assert re.search(r'href="https://hub\.example\.edu/hub/user-redirect/git-pull\?[^"]*notebooks/lesson\.ipynb', page)
    # the Binder icon is served by the site itself
    assert "_static/images/logo_binder.svg" in page


def test_widget_state_keeps_only_models_reachable_from_shown_views():
    state = {"version_major": 2, "version_minor": 0, "state": {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_ctl", "IPY_MODEL_out"],
                                                     "layout": "IPY_MODEL_lay"}},
        "ctl": {"model_name": "DropdownModel", "state": {"style": "IPY_MODEL_sty"}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [
            {"output_type": "display_data",
             "data": {"application/vnd.jupyter.widget-view+json": {"version_major": 2, "model_id": "inner"}}}]}},
        "inner": {"model_name": "HTMLModel", "state": {"value": "<img alt='x'>"}},
        "lay": {"model_name": "LayoutModel", "state": {}},
        "sty": {"model_name": "DescriptionStyleModel", "state": {}},
        "removed": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_orphan"]}},
        "orphan": {"model_name": "HTMLModel", "state": {}}}}
    from hrher2.widget_state import prune_widget_state  # the slide decks keep only these

    pruned = prune_widget_state(state, ["box", "not-in-state"])
    assert set(pruned["state"]) == {"box", "ctl", "out", "inner", "lay", "sty"}
    assert pruned["version_major"] == 2 and state["state"].keys() >= {"removed", "orphan"}  # input untouched
    assert prune_widget_state(state, [])["state"] == {}


def test_a_widget_view_becomes_its_default_figure_and_settings_in_words():
    state = {"state": {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_dd", "IPY_MODEL_go", "IPY_MODEL_fig"]}},
        "dd": {"model_name": "DropdownModel", "state": {"description": "Trial", "_options_labels": ["A", "TAnDEM"],
                                                        "index": 1, "disabled": False}},
        "go": {"model_name": "ButtonModel", "state": {"description": "Run again"}},
        "fig": {"model_name": "HTMLModel", "state": {"value": "<figure><img alt='bars'><p>ref 12</p></figure>"}}}}
    view = ('<div class="cell_output docutils container"><script type="application/vnd.jupyter.widget-view+json">'
            '{"version_major": 2, "version_minor": 0, "model_id": "box"}</script></div>')
    out = _ext().static_widgets(view, state, link=lambda html: html.replace("ref 12", "<a>ref 12</a>"))
    assert "<script" not in out
    assert '<p class="widget-settings">Shown for: Trial: TAnDEM</p>' in out
    assert "alt='bars'" in out and "<a>ref 12</a>" in out  # the figure, with its reference linked
    assert "Run again" not in out and "<button" not in out and "<select" not in out  # no control that does nothing
    # a view whose model is not in the state draws nothing, rather than a broken widget
    assert _ext().static_widgets(view, {}) == '<div class="cell_output docutils container"></div>'


@pytest.mark.book
def test_built_pages_draw_their_widgets_with_no_widget_script(built_book, root):
    """Every widget a lesson shows in the book is drawn in the page as static HTML (its default figure and its
    settings); no page carries widget state, a widget view or the widget manager."""
    import json

    with_widgets = 0
    for page in sorted((built_book / "notebooks").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-state+json" not in text, f"{page.name}: carries widget state"
        assert "application/vnd.jupyter.widget-view+json" not in text, f"{page.name}: a widget view is left undrawn"
        assert "html-manager" not in text, f"{page.name}: loads the widget manager"
        nb = json.loads((root / "notebooks" / page.with_suffix(".ipynb").name).read_text(encoding="utf-8"))
        shown = sum(1 for c in nb["cells"] if c["cell_type"] == "code"
                    and not {"remove-cell", "remove-output"} & set(c["metadata"].get("tags", []))
                    for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {}))
        assert text.count('<div class="static-widget">') == shown, (page.name, shown)
        with_widgets += bool(shown)
    assert with_widgets >= 4  # lessons 04-07 keep kernel widgets (the other figures are live charts)
    assert not (built_book / "_static" / "vendor" / "html-manager").exists()


def test_empty_dataframe_header_cells_get_a_hidden_label():
    body = ('<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">\n      <th></th>\n'
            '      <th>trial</th>\n    </tr>\n    <tr>\n      <th class="blank level0" ></th>\n    </tr>\n  </thead>\n'
            '  <tbody>\n    <tr>\n      <th>0</th>\n      <td></td>\n    </tr>\n  </tbody>\n</table>'
            '<table class="other"><thead><tr><th></th></tr></thead></table>')
    out = _ext().label_empty_headers(body)
    head = out.split("</thead>")[0]
    assert head.count('<span class="visually-hidden">row label</span>') == 2 and "<th>trial</th>" in head
    assert '<th class="blank level0" ><span' in head
    assert "<td></td>" in out  # body cells are data, left alone
    assert out.endswith('<table class="other"><thead><tr><th></th></tr></thead></table>')  # not a pandas table
