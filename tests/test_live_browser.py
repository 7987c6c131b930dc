"""The live charts of the built book in a real browser (Debian's headless Chromium via Playwright), every request to
another host blocked: each chart draws with the vendored Vega (no kernel, no CDN), each control works from the keyboard
or the mouse and changes the chart the way the compute functions say it should, and no console error appears. Pages
without a live chart load none of the Vega files, and a page loads them only when a chart comes near the view (the
tests scroll to each chart, as a reader does); the frozen widgets that a live chart replaces are gone from the page.
Screenshots of the screen where each test leaves its chart are kept under _build/screenshots/live.
"""
from __future__ import annotations

import pytest
from conftest import open_offline, reveal_live_charts

from hrher2 import benefit_harm, comparators, forest, live, ongoing_trials, pathway, plots, trials

pytestmark = [pytest.mark.browser, pytest.mark.book]

VEGA = "_static/vendor/vega/vega.min.js"


class Page:
    """One book page with its console errors and failed/blocked requests, and helpers to read a live chart."""

    def __init__(self, browser, url):
        self.page, self.errors, self.failed = open_offline(browser, url, width=1400, height=1000)
        reveal_live_charts(self.page)  # a reader scrolls to each chart: it is drawn as it comes near

    def chart(self, control: str):
        """The live chart box holding the control named ``control`` (a Vega param), once drawn."""
        box = self.page.locator(f"div.hrher2-live:has([name='{control}'])")
        assert box.count() == 1, f"no live chart with a control named {control}"
        self.page.wait_for_function("b => b.getAttribute('data-state') === 'ready'", arg=box.element_handle(),
                                    timeout=20000)
        return box

    def texts(self, box, mark: str = "mark-text") -> list[str]:
        return box.evaluate(f"b => Array.from(b.querySelectorAll('g.{mark} text')).map(t => t.textContent)")

    def count(self, box, mark: str, shape: str = "path") -> int:
        return box.evaluate(f"b => b.querySelectorAll('g.{mark} > {shape}').length")

    def settle(self, box):
        """Wait until Vega has run the dataflow the last input triggered."""
        box.evaluate("b => window.hrher2Live[b.id].runAsync().then(() => true)")

    def shot(self, root, name):
        out = root / "_build" / "screenshots" / "live"
        out.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(out / f"{name}.png"))  # the screen where the test left the chart (~50 ms)

    def close(self):
        assert not self.errors, self.errors
        assert not self.failed, self.failed
        self.page.close()


def _scripts(page) -> list[str]:
    return page.eval_on_selector_all("script[src]", "ss => ss.map(s => s.getAttribute('src'))")


def test_vega_is_loaded_only_where_a_live_chart_is(browser, site):
    p = Page(browser, f"{site}/notebooks/01_the_subtype.html")
    assert not any("vendor/vega/" in s for s in _scripts(p.page)), "lesson 01 has no live chart"
    p.close()
    p = Page(browser, f"{site}/notebooks/03_crosstalk_resistance.html")
    srcs = _scripts(p.page)
    for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        assert any(s.split("?")[0].endswith(f"vendor/vega/{name}") and not s.startswith("http") for s in srcs), (
            name, srcs)
    p.close()


_STATES = "() => Array.from(document.querySelectorAll('div.hrher2-live')).map(b => b.getAttribute('data-state'))"


def test_vega_loads_when_a_chart_comes_near_and_before_printing(browser, site, built_book):
    """On a phone, a page whose first live chart is screens below the text loads no Vega (the page's costliest script)
    until the reader scrolls towards it; the chart is then drawn. Printing draws every chart first."""
    lazy = 0
    for lesson in sorted((built_book / "notebooks").glob("[0-9][0-9]_*.html")):
        if 'class="hrher2-live"' not in lesson.read_text(encoding="utf-8"):
            continue
        page, errors, failed = open_offline(browser, f"{site}/notebooks/{lesson.name}", width=390, height=844)
        first = page.locator("div.hrher2-live").first
        if first.evaluate("b => b.getBoundingClientRect().top") < 3 * 844:
            page.close()
            continue
        lazy += 1
        page.wait_for_timeout(500)
        assert not any("vendor/vega/" in s for s in _scripts(page)), lesson.name
        assert set(page.evaluate(_STATES)) == {None}, lesson.name
        first.scroll_into_view_if_needed()
        page.wait_for_function("b => b.getAttribute('data-state') === 'ready'", arg=first.element_handle(),
                               timeout=30000)
        assert first.locator("svg.marks").count() == 1 and not first.locator(".hrher2-live-pending").is_visible()
        assert any("vendor/vega/vega.min.js" in s for s in _scripts(page))
        page.evaluate("() => { window.scrollTo(0, 0); window.dispatchEvent(new Event('beforeprint')); }")
        page.wait_for_function(f"() => ({_STATES})().every(s => s === 'ready')", timeout=30000)
        assert not errors and not failed, (lesson.name, errors, failed)
        page.close()
    assert lazy >= 2, "no lesson page has its first live chart below the first screens"


def test_provenance_explorer_live(browser, site, root, tables):
    """Lesson 00: the trial menu and the endpoint radio change the bars, the headline and the 'where printed' lines."""
    results = tables["trial_results"]
    heads = {p["name"]: p for p in live.provenance_chart(tables).to_dict()["params"]}["pv_headlines"]["value"]
    p = Page(browser, f"{site}/notebooks/00_how_to_use.html")
    page = p.page
    assert page.locator(".static-widget").count() == 0, "the frozen provenance widget is gone"
    box = p.chart("pv_trial")

    def expect(trial, ep):
        p.settle(box)
        want = trials.printed_medians(results, trial, ep)
        texts = p.texts(box)
        # the headline is one multi-line text: its lines' words run together in textContent
        assert any(t.startswith(heads[f"{trial}|{ep}"][0]) for t in texts), (trial, ep, [t for t in texts if ":" in t][:3])
        assert p.count(box, "mark-rect") == len(want), (trial, ep)
        said = " ".join(texts)
        for r in want.itertuples():
            assert r.location in said, (trial, ep, r.location)

    expect("TAnDEM", "mos")
    assert any("different median overall survival" in t for t in p.texts(box))
    select = box.locator("select[name='pv_trial']")
    select.focus()
    select.select_option("PUFFIN")
    expect("PUFFIN", "mos")
    assert any(t.startswith("PUFFIN: the review prints no median overall survival") for t in p.texts(box))
    box.locator("input[name='pv_endpoint'][value='mpfs']").check()
    expect("PUFFIN", "mpfs")
    select.select_option("monarcHER")  # one place prints two comparisons: two numbered rows of bars
    expect("monarcHER", "mpfs")
    assert any(t.endswith("#2") for t in p.texts(box, "mark-text") + p.texts(box, "role-axis-label"))
    p.shot(root, "00_provenance")
    p.close()


def test_crosstalk_explorer_live(browser, site, root, tables):
    nodes, edges, targets = tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"]
    classes = pathway.drug_classes(targets)
    p = Page(browser, f"{site}/notebooks/03_crosstalk_resistance.html")
    page = p.page
    # the frozen widget and its "run it in JupyterLab" line are gone; the live chart is there instead
    assert "Drug classes switched on" not in page.inner_text("main")
    assert "On the static book page the explorer shows its default view" not in page.inner_text("main")
    box = p.chart("xt_c0")
    assert box.locator("[role='graphics-document'][aria-label]").count() == 1

    def expect(chosen, menopause):
        routes = pathway.open_routes(nodes, edges, targets, chosen, menopause)
        status = pathway.reachability(nodes, edges, targets, chosen, menopause)
        texts = p.texts(box)
        title = plots.pathway_title(routes, chosen, menopause)
        assert title in texts, (title, [t for t in texts if ":" in t][:3])
        assert texts.count("×") == int((status["status"] == "blocked").sum())
        pro = routes[(routes["outcome"] == "proliferation") & (routes["killed_by"] == "")]
        numbered = [t for t in texts if t.rstrip(".").isdigit()]
        assert len(numbered) == len(pro), (chosen, menopause, numbered)

    chosen = ["anti-HER2 antibody"]
    expect(chosen, "postmenopausal")
    p.shot(root, "03_crosstalk_default")
    # a checkbox from the keyboard: focus it, press Space
    serd = box.locator(f"input[name='xt_c{classes.index('SERD')}']")
    serd.focus()
    page.keyboard.press("Space")
    p.settle(box)
    assert serd.is_checked()
    chosen.append("SERD")
    expect(chosen, "postmenopausal")
    # another with the mouse
    box.locator(f"input[name='xt_c{classes.index('CDK4/6 inhibitor')}']").check()
    p.settle(box)
    chosen.append("CDK4/6 inhibitor")
    expect(chosen, "postmenopausal")
    # the radio: the premenopausal setting, then an aromatase inhibitor alone
    box.locator("input[name='xt_meno'][value='premenopausal']").check()
    for c in chosen:
        box.locator(f"input[name='xt_c{classes.index(c)}']").uncheck()
    box.locator(f"input[name='xt_c{classes.index('aromatase inhibitor')}']").check()
    p.settle(box)
    expect(["aromatase inhibitor"], "premenopausal")
    p.shot(root, "03_crosstalk_ai_premenopausal")
    p.close()


def test_forest_plot_live(browser, site, root, tables):
    results, errata = tables["trial_results"], tables["errata"]
    p = Page(browser, f"{site}/notebooks/08_anti_her2_with_chemotherapy.html")
    box = p.chart("fp_trial")
    pfs = forest.forest_data(results, endpoint="pfs", errata=errata)
    assert p.count(box, "mark-symbol") == len(pfs)
    hollow = box.evaluate("b => Array.from(b.querySelectorAll('g.mark-symbol > path'))"
                          ".filter(x => (x.getAttribute('fill') || '').toLowerCase() === '#ffffff').length")
    assert hollow == int(pfs["crosses_one"].sum()) >= 1  # SYSUCC-002's interval crosses 1
    margin = [t for t in p.texts(box) if t.startswith("NI margin 1.35")]
    assert margin and "errata E19" in margin[0] and "not printed in the review" in margin[0]
    # the trial select, from the keyboard
    select = box.locator("select[name='fp_trial']")
    select.focus()
    select.select_option("SYSUCC-002")
    p.settle(box)
    assert p.count(box, "mark-symbol") == 1
    # the endpoint radio: SYSUCC-002 prints no OS hazard ratio
    box.locator("input[name='fp_endpoint'][value='os']").check()
    p.settle(box)
    assert p.count(box, "mark-symbol") == 0
    select.select_option("all")
    p.settle(box)
    os_rows = forest.forest_data(results, endpoint="os", errata=errata)
    assert p.count(box, "mark-symbol") == len(os_rows)
    # the cohort select and the printed-in radio
    box.locator("select[name='fp_cohort']").select_option("HR+/HER2+")
    p.settle(box)
    assert p.count(box, "mark-symbol") == int((os_rows["cohort"] == "HR+/HER2+").sum())
    box.locator("select[name='fp_cohort']").select_option("all")
    box.locator("input[name='fp_where'][value='Text']").check()
    p.settle(box)
    assert p.count(box, "mark-symbol") == int((os_rows["printed_in"] == "Text").sum())
    p.shot(root, "08_forest")
    p.close()


def test_comparator_live_text_versus_table(browser, site, root, tables):
    results = tables["trial_results"]
    p = Page(browser, f"{site}/notebooks/09_endocrine_with_anti_her2.html")
    assert "flip the source to the text, or to switch to median PFS" not in p.page.inner_text("main")
    box = p.chart("cp_group")
    group = "ET ± single anti-HER2 therapy"
    table = comparators.comparator_data(results, group, "mos", "table")
    text = comparators.comparator_data(results, group, "mos", "text")
    assert p.count(box, "mark-rect") == len(table)
    differs = text[text["differs"] & text["months"].notna()]
    assert not differs.empty
    before = p.texts(box)
    box.locator("input[name='cp_source'][value='text']").check()
    p.settle(box)
    after = p.texts(box)
    for m in differs["months"]:
        assert f"{m:g} *" in after, (m, after)
    assert before != after
    # the endpoint radio from the keyboard (arrow keys move within a radio group) and the group select
    box.locator("input[name='cp_endpoint'][value='mos']").focus()
    p.page.keyboard.press("ArrowLeft")
    p.settle(box)
    assert box.locator("input[name='cp_endpoint'][value='mpfs']").is_checked()
    assert p.count(box, "mark-rect") == len(comparators.comparator_data(results, group, "mpfs", "text"))
    other = "ET ± dual anti-HER2 therapy"
    box.locator("select[name='cp_group']").select_option(other)
    p.settle(box)
    assert p.count(box, "mark-rect") == len(comparators.comparator_data(results, other, "mpfs", "text"))
    p.shot(root, "09_comparator")
    p.close()


def test_benefit_harm_tooltip_and_highlight(browser, site, root, tables):
    tidy = benefit_harm.benefit_harm(tables["trial_results"], tables["other_outcomes"])
    p = Page(browser, f"{site}/notebooks/09_endocrine_with_anti_her2.html")
    assert "choose which to compare" not in p.page.inner_text("main")
    box = p.chart("bh_trial")
    points = box.locator("g.mark-symbol > path")
    assert points.count() == len(tidy)
    first = tidy.iloc[0]
    # hover the point of the first trial: the tooltip names the trial, its arms and the source
    for i in range(points.count()):
        points.nth(i).hover()
        tip = p.page.locator("#vg-tooltip-element")
        tip.wait_for(state="visible", timeout=5000)
        if first["trial"] in tip.inner_text():
            break
    shown = tip.inner_text()
    assert first["trial"] in shown and first["arm_exp"] in shown and first["arm_ctrl"] in shown
    assert "Text" in shown and "refs" in shown
    select = box.locator("select[name='bh_trial']")
    select.select_option(first["trial"])
    p.settle(box)
    faded = box.evaluate("b => Array.from(b.querySelectorAll('g.mark-symbol > path'))"
                         ".filter(x => x.getAttribute('opacity') === '0.2').length")
    assert faded == len(tidy) - 1
    p.shot(root, "09_benefit_harm")
    p.close()


def test_expected_curves_sliders_by_keyboard(browser, site, root):
    p = Page(browser, f"{site}/notebooks/07_reading_trial_results.html")
    # the simulator stays a kernel widget, and the page says so in one line
    assert "run the lesson in JupyterLab" in p.page.inner_text("main")
    box = p.chart("ec_control")
    def paths():
        return box.evaluate("b => Array.from(b.querySelectorAll('g.mark-line path')).map(x => x.getAttribute('d'))")

    before = paths()
    assert len(before) == 2
    assert "HR 0.75: median 12.0 → 16.0 months (gains 4.0 months)" in p.texts(box)
    slider = box.locator("input[name='ec_control']")
    slider.focus()
    for _ in range(4):  # step 0.5: 12 -> 14
        p.page.keyboard.press("ArrowRight")
    p.settle(box)
    assert slider.input_value() == "14"
    moved = paths()
    assert moved[0] != before[0] and moved[1] != before[1]
    assert f"HR 0.75: median 14.0 → {14 / 0.75:.1f} months (gains {14 / 0.75 - 14:.1f} months)" in p.texts(box)
    hr = box.locator("input[name='ec_hr']")
    hr.focus()
    p.page.keyboard.press("End")  # HR 1.5: the experimental arm now does worse
    p.settle(box)
    assert hr.input_value() == "1.5"
    assert f"HR 1.50: median 14.0 → {14 / 1.5:.1f} months (loses {14 - 14 / 1.5:.1f} months)" in p.texts(box)
    assert paths()[0] != moved[0]
    p.shot(root, "07_expected_curves")
    p.close()


def test_ongoing_trials_filters(browser, site, root, tables):
    table = tables["ongoing_trials"]
    p = Page(browser, f"{site}/notebooks/12_ongoing_trials_capstone.html")
    box = p.chart("og_match")
    classes = list(ongoing_trials.CLASSES)

    def rows():
        return box.evaluate("b => new Set(Array.from(b.querySelectorAll('g.mark-symbol > path'))"
                            ".map(x => x.getAttribute('transform').split(',')[1])).size")

    def tick_only(chosen):
        for k, c in enumerate(classes):
            box.locator(f"input[name='og_c{k}']").set_checked(c in chosen)

    assert rows() == len(table)
    tick_only(["CDK4/6 inhibitor"])
    p.settle(box)
    assert rows() == len(ongoing_trials.filter_trials(table, classes=["CDK4/6 inhibitor"]))
    # the lesson's "Try": three classes, any of them, then all of them, then phase III only
    trio = ["CDK4/6 inhibitor", "ET", "anti-HER2 antibody"]
    tick_only(trio)
    p.settle(box)
    assert rows() == len(ongoing_trials.filter_trials(table, classes=trio))
    box.locator("input[name='og_match'][value='all']").check()
    p.settle(box)
    assert rows() == len(ongoing_trials.filter_trials(table, classes=trio, match="all")) > 0
    box.locator("select[name='og_phase']").select_option("III")
    p.settle(box)
    assert rows() == len(ongoing_trials.filter_trials(table, classes=trio, match="all", phases=["III"]))
    box.locator("input[name='og_match'][value='any']").check()
    tick_only(["CDK4/6 inhibitor"])
    box.locator("select[name='og_phase']").select_option("II")
    p.settle(box)
    assert rows() == len(ongoing_trials.filter_trials(table, classes=["CDK4/6 inhibitor"], phases=["II"]))
    box.locator("select[name='og_status']").select_option("Active, not recruiting")
    p.settle(box)
    assert rows() == len(ongoing_trials.filter_trials(table, classes=["CDK4/6 inhibitor"], phases=["II"],
                                               statuses=["Active, not recruiting"]))
    p.shot(root, "12_ongoing")
    p.close()


def test_since_review_forest_live(browser, site, root, tables):
    """Lesson 13: the endpoint, the review's rows and the kind of source each change which hazard ratios are drawn,
    and the headline counts what is shown (it follows the controls)."""
    from hrher2 import later_evidence

    since, results, errata = tables["since_review"], tables["trial_results"], tables["errata"]
    p = Page(browser, f"{site}/notebooks/13_since_the_review.html")
    box = p.chart("lf_family")

    def marks() -> int:
        return box.evaluate("b => b.querySelectorAll('g.mark-symbol.role-mark > path').length")

    def headline() -> str:
        found = [t for t in p.texts(box) if " intervals shown " in t or t.startswith("No result")]
        assert len(found) == 1, p.texts(box)
        return found[0]

    def expect(rows):
        return f"{int((rows['high'] < 1).sum())} of {len(rows)} intervals shown lie wholly below 1"

    pfs = later_evidence.hr_rows(since, "PFS")
    assert marks() == len(pfs) >= 8
    assert headline().startswith(expect(pfs))
    box.locator("input[name='lf_era'][value='both']").check()
    p.settle(box)
    both = later_evidence.forest_with_review(results, since, "PFS", errata)
    assert marks() == len(both) > len(pfs)
    assert headline().startswith(expect(both))
    box.locator("input[name='lf_family'][value='OS']").check()
    box.locator("input[name='lf_era'][value='since']").check()
    p.settle(box)
    os_rows = later_evidence.hr_rows(since, "OS")
    assert marks() == len(os_rows) and headline().startswith(expect(os_rows))
    assert int((os_rows["high"] >= 1).sum()) >= 1  # an immature or final OS interval that crosses 1 is shown
    select = box.locator("select[name='lf_source']")
    select.focus()
    select.select_option("congress abstract")
    p.settle(box)
    congress = os_rows[os_rows["source_kind"] == "congress abstract"]
    assert marks() == len(congress)
    assert headline().startswith(expect(congress) if len(congress) else "No result")
    p.shot(root, "13_since_review_forest")
    p.close()
