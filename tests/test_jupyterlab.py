"""Live widgets in a real JupyterLab: one server for the whole session, headless Chromium (Debian's) driven by
Playwright, requests to other hosts blocked. For each lesson that has a widget: run all cells, then change every
control of every widget at least once and check the widget's output changed (a redrawn figure or a text naming the
new state), with no error output and the kernel still alive. A failure leaves a screenshot in _build/screenshots/lab/.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.lab]

ROOT = Path(__file__).resolve().parents[1]


def _has_widget(lesson: str) -> bool:
    cells = json.loads((ROOT / "notebooks" / lesson).read_text())["cells"]
    return any(o.get("data", {}).get("application/vnd.jupyter.widget-view+json")
               for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))


def _lessons_with_widgets_or_live_charts() -> list[str]:
    return [nb.name for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
            if _has_widget(nb.name) or _live_charts_in_lab(nb.name)]


def _live_charts_in_lab(lesson: str) -> int:
    """How many Vega charts JupyterLab should draw after Run All: one per cell that shows a live chart."""
    cells = json.loads((ROOT / "notebooks" / lesson).read_text())["cells"]
    return sum("live.show(" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("lab")
    # the lessons are opened from a copy, so nothing (autosave included) can touch the committed notebooks
    served = home / "course"
    shutil.copytree(ROOT / "notebooks", served / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "book", served / "book", ignore=shutil.ignore_patterns("_build"))  # the lessons link its pages
    settings = home / "settings"
    for plugin, values in {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},  # every cell in the DOM
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        target = settings / (plugin + ".jupyterlab-settings")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), JUPYTERLAB_SETTINGS_DIR=str(settings))
    cmd = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--allow-root", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--ServerApp.open_browser=False",
           "--LabApp.expose_app_in_browser=True"]  # window.jupyterapp: a test opens documents without reloading
    log = open(home / "lab.log", "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(home / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield base, token
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


# --- driving widgets in the JupyterLab DOM -------------------------------------------------------------------
# Each function changes one control and returns a description; the caller checks that the widget root's outputs changed.
ROOT_SELECTOR = ".jp-OutputArea-output > .jupyter-widgets.widget-vbox, .jp-OutputArea-output > .jupyter-widgets"
OUTPUTS_JS = """root => Array.from(root.querySelectorAll('.widget-html-content, .jp-OutputArea-output'))
                         .map(e => e.innerHTML).join('\\u241E')"""


def _controls(root):
    """(kind, element) for every control in a widget root, in order."""
    found = []
    for kind, sel in (("dropdown", ".widget-dropdown select"), ("select", ".widget-select select"),
                      ("multiselect", ".widget-select-multiple select"), ("checkbox", ".widget-checkbox input"),
                      ("toggles", ".widget-toggle-buttons"), ("radio", ".widget-radio-box"),
                      ("slider", ".widget-slider .noUi-handle, .widget-slider input[type=range]"),
                      ("button", "button.widget-button"), ("togglebutton", "button.widget-toggle-button:not(.widget-toggle-buttons *)")):
        found += [(kind, el) for el in root.query_selector_all(sel)]
    return found


def _change(page, kind, el) -> str:
    if kind in ("dropdown", "select"):
        values = el.eval_on_selector_all("option", "os => os.map(o => o.value)")
        current = el.input_value()
        new = next(v for v in values if v != current)
        el.select_option(new)
        return f"{kind} → {new}"
    if kind == "multiselect":
        values = el.eval_on_selector_all("option", "os => os.map(o => o.value)")
        chosen = el.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)")
        new = [values[0]] if chosen != [values[0]] else values[:2]
        el.select_option(new)
        return f"{kind} → {new}"
    if kind in ("checkbox",):
        el.click()
        return f"{kind} toggled"
    if kind == "toggles":
        buttons = el.query_selector_all("button")
        target = next(b for b in buttons if "mod-active" not in (b.get_attribute("class") or ""))
        target.click()
        return f"toggle → {target.inner_text()}"
    if kind == "radio":
        inputs = el.query_selector_all("input")
        target = next(i for i in inputs if not i.is_checked())
        target.check()
        return "radio changed"
    if kind == "slider":
        el.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")  # sliders with continuous_update=False commit on release/blur
        return "slider moved"
    el.click()
    return f"{kind} clicked"


@pytest.mark.parametrize("lesson", _lessons_with_widgets_or_live_charts())
def test_every_widget_control_works_live(lab, browser, lesson, root):
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    blocked = []

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    shots = root / "_build" / "screenshots" / "lab"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        # a workspace of its own, reset, so tabs from earlier lessons are not restored beside this one
        workspace = lesson.split("_")[0]
        page.goto(f"{base}/lab/workspaces/w{workspace}/tree/notebooks/{lesson}?reset&token={token}",
                  wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook", timeout=60000)
        # the kernel must be connected and idle before "Run All", or the cells are cleared and not run
        page.wait_for_function("() => /Idle/.test(document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar')?.innerText || '')",
                               timeout=90000)
        page.click("li.lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        # done when every code cell shows an execution count (no "[*]" and no "[ ]")
        page.wait_for_function(r"""() => {
            const prompts = Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt'));
            return prompts.length > 0 && prompts.every(p => /\[\d+\]/.test(p.innerText));
        }""", timeout=240000)
        errors = page.query_selector_all(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error'], "
                                         ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr'] .ansi-red-fg")
        assert not errors, f"{lesson}: an output shows an error"
        # the course extension's Vega-Lite 6 renderer (lab/extension/src/vegalite6.js)
        drawn = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .hrher2-RenderedVegaLite6").count()
        assert drawn == _live_charts_in_lab(lesson), (
            f"{lesson}: {drawn} Vega charts after Run All where {_live_charts_in_lab(lesson)} live-chart cells are: "
            "one copy of each figure, drawn by the course extension")
        keyed = _live_chart_controls_keep_their_keys(page, lesson)
        assert keyed or not drawn, f"{lesson}: {drawn} live charts and not one control to try on them"
        roots = [r for r in page.query_selector_all(ROOT_SELECTOR) if _controls(r)]
        assert roots or not _has_widget(lesson), f"{lesson}: no live widget with controls rendered"
        exercised = 0
        for root_el in roots:
            root_el.scroll_into_view_if_needed()
            ctrls = _controls(root_el)
            # a widget with an action button (e.g. a self-check's "Check") redraws on the click, not on each choice
            has_action = any(kind == "button" for kind, _ in ctrls)
            before = root_el.evaluate(OUTPUTS_JS)
            for kind, el in ctrls:
                what = _change(page, kind, el)
                exercised += 1
                if has_action and kind != "button":
                    continue
                try:
                    page.wait_for_function("([r, b]) => (" + OUTPUTS_JS + ")(r) !== b", arg=[root_el, before], timeout=20000)
                except Exception:
                    raise AssertionError(f"{lesson}: the output did not change after {what}") from None
                before = root_el.evaluate(OUTPUTS_JS)
                # a combination with nothing to show is explained in words (role="alert"): that is a redraw too
        errors = page.query_selector_all(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error'], "
                                         ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr'] .ansi-red-fg")
        assert not errors, f"{lesson}: an output shows an error after the controls were used"
        status = page.get_attribute(".jp-Notebook-ExecutionIndicator", "data-status")
        assert status in ("idle", "busy"), f"{lesson}: kernel status {status}"
        page.screenshot(path=str(shots / f"{lesson}.png"))
        assert exercised >= len(roots)
        assert roots or drawn, f"{lesson}: nothing live was tried"
        summary = shots / "summary.json"
        record = json.loads(summary.read_text()) if summary.exists() else {}
        record[lesson] = {"widgets": len(roots), "controls_exercised": exercised, "live_charts": drawn,
                          "live_chart_controls_keyed": keyed}
        summary.write_text(json.dumps(record, indent=1))
    except Exception:
        page.screenshot(path=str(shots / f"{lesson}-FAILED.png"), full_page=True)
        prompts = page.eval_on_selector_all(".jp-CodeCell .jp-InputArea-prompt", "ps => ps.map(p => p.innerText)")
        print(f"{lesson}: prompts at failure: {prompts}; blocked requests: {blocked[:5]}")
        raise
    finally:
        page.close()
        _shutdown_kernels(base, token)


ACTIVE_CELL_JS = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell'))
                             .findIndex(c => c.classList.contains('jp-mod-active'))"""


def _live_chart_controls_keep_their_keys(page, lesson: str) -> int:
    """A reader clicks a live chart's control and uses the keyboard on it, as on the book's page: the arrow keys
    move the slider, radio choice or menu (and the chart redraws), not the notebook's active cell; and once the
    reader is back on a cell, the arrow keys move between cells as JupyterLab's own shortcuts do."""
    charts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .hrher2-RenderedVegaLite6")
    tried = 0
    for i in range(charts.count()):
        chart = charts.nth(i)
        for kind, sel, key in (("slider", "input[type=range]", "ArrowRight"),
                               ("radio", "input[type=radio]:checked", "ArrowRight"), ("menu", "select", "ArrowDown")):
            controls = chart.locator(sel)
            for j in range(controls.count()):
                ctrl = controls.nth(j)
                ctrl.scroll_into_view_if_needed()
                # a reader clicks a slider or radio button, and tabs to a menu (a click would open its list)
                ctrl.focus() if kind == "menu" else ctrl.click()
                name = ctrl.get_attribute("name") or kind
                group = chart.locator(f"input[name='{name}']") if kind == "radio" else None
                value = (lambda: group.evaluate_all("rs => rs.findIndex(r => r.checked)")) if group else ctrl.input_value
                before, drawn, cell = value(), chart.locator("svg").first.inner_html(), page.evaluate(ACTIVE_CELL_JS)
                page.keyboard.press(key)
                try:
                    page.wait_for_function("([c, b]) => c.querySelector('svg').innerHTML !== b",
                                           arg=[chart.element_handle(), drawn], timeout=5000)
                except Exception:
                    raise AssertionError(f"{lesson}: chart {i + 1}'s {kind} {name!r} did not redraw the chart "
                                         f"after {key}") from None
                assert value() != before, f"{lesson}: {key} on chart {i + 1}'s {kind} {name!r} did not change it"
                assert page.evaluate(ACTIVE_CELL_JS) == cell, (
                    f"{lesson}: {key} on chart {i + 1}'s {kind} {name!r} moved the notebook's active cell")
                # and back, so each control is tried from the chart's starting view (a radio switched to "all ticked
                # classes" would leave lesson 12's map empty for the menus tried after it)
                changed = chart.locator("svg").first.inner_html()
                page.keyboard.press({"ArrowRight": "ArrowLeft", "ArrowDown": "ArrowUp"}[key])
                try:
                    page.wait_for_function("([c, b]) => c.querySelector('svg').innerHTML !== b",
                                           arg=[chart.element_handle(), changed], timeout=5000)
                except Exception:
                    raise AssertionError(f"{lesson}: chart {i + 1} did not redraw when its {kind} {name!r} was keyed "
                                         "back") from None
                assert value() == before, f"{lesson}: the reverse key did not bring chart {i + 1}'s {kind} {name!r} back"
                tried += 1
    if tried:
        # back on a cell (command mode, the cell focused), the arrow keys still move between cells
        page.keyboard.press("Escape")
        cell = page.evaluate(ACTIVE_CELL_JS)
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").nth(cell).focus()
        page.keyboard.press("ArrowDown")
        assert page.evaluate(ACTIVE_CELL_JS) == cell + 1, f"{lesson}: ArrowDown on a cell no longer moves to the next"
    return tried


def _shutdown_kernels(base: str, token: str) -> None:
    """Stop every kernel the lesson started, so the next lesson has the machine to itself."""
    headers = {"Authorization": f"token {token}"}
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels", headers=headers), timeout=10) as r:
            kernels = json.loads(r.read())
        for k in kernels:
            urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels/{k['id']}", headers=headers,
                                                          method="DELETE"), timeout=10)
    except OSError:
        pass


def _kernels(base: str, token: str) -> list:
    req = urllib.request.Request(f"{base}/api/kernels", headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def test_self_check_answers_with_no_kernel(lab, browser, root):
    """The saved questions of an opened (untrusted) notebook do not run their script, and say how to start them;
    once the cell has run, a question is answered with the kernel shut down: the feedback needs no kernel."""
    from hrher2 import quiz

    base, token = lab
    lesson = "10_antibody_drug_conjugates.ipynb"
    q = next(x for x in quiz.load_bank().questions if x["lesson"] == "10" and x["set"] == "lesson")
    wrong = next(i for i, o in enumerate(q["options"]) if not o["correct"])
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost")
               or r.request.url.startswith(("data:", "blob:")) else r.abort())
    try:
        page.goto(f"{base}/lab/workspaces/wquiz/tree/notebooks/{lesson}?reset&token={token}",
                  wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .hq-quiz", timeout=60000)
        assert page.locator(".hq-quiz.hq-ready").count() == 0, "the saved output's script ran in an untrusted notebook"
        assert page.locator(".hq-quiz .hq-norun").is_visible()
        page.wait_for_function("() => /Idle/.test(document.querySelector('.jp-StatusBar-Widget, #jp-main-statusbar')?.innerText || '')",
                               timeout=90000)
        page.click("li.lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        page.wait_for_selector(".hq-quiz.hq-ready", timeout=240000)
        page.wait_for_function(r"""() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
                                   .every(p => /\[\d+\]/.test(p.innerText))""", timeout=240000)
        _shutdown_kernels(base, token)
        assert _kernels(base, token) == [], "the kernel is still running"
        item = page.locator(f'.hq-q[data-hq-id="{q["id"]}"]')
        item.scroll_into_view_if_needed()
        item.locator(f'input[value="{wrong}"]').check()
        item.locator(".hq-check").click()
        said = " ".join(item.locator(".hq-feedback").inner_text().split())
        assert said.startswith("Not quite.") and " ".join(q["options"][wrong]["feedback"].split()) in said, said
        assert _kernels(base, token) == [], "answering started a kernel"
    finally:
        page.close()
        _shutdown_kernels(base, token)


def test_myst_roles_read_as_in_the_book(lab, browser, root):
    """A reader opens a lesson in JupyterLab: no MyST role shows as raw text; pressing a term shows the glossary's
    definition in place (and pressing again hides it); a citation names its work and shows the full reference with
    the review's number (lesson 00's TAnDEM paper, the review's ref 60); lesson 00's link to the references page opens
    it rendered, with ref 60 there under its number."""
    import lab_extension as ext  # scripts/ (pytest's pythonpath)
    terms, refs = ext.glossary_terms(), ext.references()
    base, token = lab
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost")
               or r.request.url.startswith(("data:", "blob:")) else r.abort())
    rendered = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedMarkdown"
    try:
        # JupyterLab loads once; each lesson is opened in it as a reader opens it from the file browser (a new tab,
        # its kernel not started), read, and closed
        page.goto(f"{base}/lab/workspaces/wmyst?reset&token={token}", wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open')",
                               timeout=60000)
        for lesson in sorted(p.name for p in (root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            page.evaluate("""path => window.jupyterapp.commands.execute('docmanager:open',
                             {path, factory: 'Notebook', kernel: {shouldStart: false}})""", f"notebooks/{lesson}")
            page.wait_for_function("""([sel, path]) => {
                const w = Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.isVisible);
                return w && w.context && w.context.path === path && document.querySelectorAll(sel).length >= 3; }""",
                                   arg=[rendered, f"notebooks/{lesson}"], timeout=60000)
            text = page.eval_on_selector_all(rendered, "es => es.map(e => e.innerText).join('\\n')")
            raw = sorted(set(re.findall(r"\{(?:term|cite:[pt]|doc)\}`?[^`\s]*", text)))
            assert not raw, f"{lesson}: MyST roles shown as raw text in JupyterLab: {raw[:5]}"
            page.evaluate("() => window.jupyterapp.commands.execute('application:close-all')")
        lesson = "05_endocrine_therapy.ipynb"
        page.goto(f"{base}/lab/workspaces/wmyst/tree/notebooks/{lesson}?reset&token={token}",
                  wait_until="domcontentloaded")
        page.wait_for_selector(f"{rendered} .hrher2-term", timeout=60000)
        term = page.locator(f"{rendered} button.hrher2-term").first
        note = page.locator(f"#{term.get_attribute('aria-controls')}")
        assert not note.is_visible(), "a definition is shown before the reader asks for it"
        term.scroll_into_view_if_needed()
        term.click()
        entry = terms[term.inner_text().strip().lower()]
        assert note.is_visible() and term.get_attribute("aria-expanded") == "true"
        assert entry["definition"] in " ".join(note.inner_text().split()), note.inner_text()
        shots = root / "_build" / "screenshots" / "lab"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "myst-term-open.png"))
        term.press("Enter")  # and with the keyboard: the button closes it again
        assert not note.is_visible() and term.get_attribute("aria-expanded") == "false"
        page.goto(f"{base}/lab/workspaces/wmyst/tree/notebooks/00_how_to_use.ipynb?reset&token={token}",
                  wait_until="domcontentloaded")
        page.wait_for_selector(f"{rendered} .hrher2-cite", timeout=60000)
        cite = page.locator(f"{rendered} button.hrher2-cite", has_text="Kaufman").first
        cite.scroll_into_view_if_needed()
        cite.click()
        said = " ".join(page.locator(f"#{cite.get_attribute('aria-controls')}").inner_text().split())
        assert said.startswith(f"[{refs['Kaufman2009']['number']}] ") and "TAnDEM" in said, said
        link = page.locator(f"{rendered} a", has_text="References").first
        link.scroll_into_view_if_needed()
        link.click()
        viewer = page.locator(".jp-MarkdownViewer:not(.lm-mod-hidden)")
        viewer.wait_for(timeout=30000)
        page.wait_for_selector(".jp-MarkdownViewer:not(.lm-mod-hidden) .hrher2-bibliography li", timeout=30000)
        ref60 = viewer.locator("li#review-ref-60")
        assert ref60.inner_text().startswith("[60] ") and "TAnDEM" in ref60.inner_text()
        assert "{bibliography}" not in viewer.inner_text() and ":filter:" not in viewer.inner_text()
        ref60.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "myst-references-ref60.png"))
    except Exception:
        page.screenshot(path=str(root / "_build" / "screenshots" / "lab" / "myst-FAILED.png"), full_page=True)
        raise
    finally:
        page.close()
        _shutdown_kernels(base, token)
