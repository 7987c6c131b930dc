"""The course on paper, as a reader prints it: `make pdf` gives one PDF of every page, each lesson with its title, its
answers and answer key, no control that does nothing on paper, and code wrapped rather than cut at the margin."""
from __future__ import annotations

import json
import re
import unicodedata

import build_pdf  # scripts/ (pytest's pythonpath)
import pytest
from conftest import open_offline


def _lesson_titles(root):
    titles = {}
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
        titles[path.stem] = first.lstrip().splitlines()[0].lstrip("# ").strip()
    return titles


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).replace("\u00ad", "")  # NFKC: the "fi" ligature


@pytest.fixture(scope="module")
def course_pdf(built_book, browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "course.pdf"
    result = build_pdf.build(built_book, out, log=lambda *a: None, browser=browser)
    from pypdf import PdfReader

    return result, PdfReader(str(out))


def test_the_pdf_holds_every_page_in_order_with_a_bookmark_each(course_pdf, root):
    result, reader = course_pdf
    order = build_pdf.page_order(root)
    assert [o.title for o in reader.outline] == result["titles"] and len(reader.outline) == len(order)
    assert len(reader.pages) >= len(order) + 20, f"only {len(reader.pages)} pages for {len(order)} book pages"
    text = re.sub(r"\s+", "", _flat(" ".join(p.extract_text() for p in reader.pages)))  # lines break anywhere
    missing = [t for t in _lesson_titles(root).values() if re.sub(r"\s+", "", t) not in text]
    assert not missing, f"lesson titles missing from the PDF's text: {missing}"


def test_the_pdf_prints_answers_and_no_dead_controls(course_pdf):
    _, reader = course_pdf
    text = _flat(" ".join(p.extract_text() for p in reader.pages))
    assert text.count("Answer key") >= 14, "each lesson's self-checks are followed by their answer key"
    assert text.count("Revisit:") >= 100, "the answer keys give each question's rationale and where to revisit"
    for dead in ("Forget my answers", "Toggle primary sidebar", "Enlarge figure"):
        assert dead not in text, f"'{dead}' labels a control, which does nothing on paper, but it is printed"


@pytest.mark.parametrize("page_name", ["notebooks/07_reading_trial_results", "book/data", "notebooks/00_how_to_use",
                                       "notebooks/03_crosstalk_resistance"])
def test_printed_code_and_tables_are_not_cut_at_the_margin(browser, site, page_name):
    page, _, _ = open_offline(browser, f"{site}/{page_name}.html", width=1000)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    cut = page.evaluate("""() => [...document.querySelectorAll('main pre, main table')]
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
        .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 60))""")
    closed = page.evaluate("document.querySelectorAll('main details:not([open])').length")
    # a question's option circles stay: on paper they are a worksheet's boxes to tick
    controls = page.evaluate("""() => [...document.querySelectorAll(
        'main button, main select, main input:not(.hq-quiz input), main [role=slider]')]
        .filter(e => e.getClientRects().length).map(e => e.tagName + ' ' + (e.textContent || e.name).trim().slice(0, 30))""")
    page.close()
    assert not cut, f"{len(cut)} code blocks or tables wider than the printed page: {cut[:3]}"
    assert closed == 0, f"{closed} answer blocks print closed"
    assert not controls, f"controls printed, which do nothing on paper: {controls[:5]}"
