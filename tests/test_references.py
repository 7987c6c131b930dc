"""Numbered references, as a reader follows them: entry N of the review's list is the review's ref N, and every
"ref N" in a lesson leads to entry N."""
import csv
import re

from conftest import open_offline

REFS = re.compile(r"\b[Rr]efs?\.? (\d+)\b")


def _numbers(root):
    with (root / "data" / "references.csv").open(newline="", encoding="utf-8") as f:
        return {int(r["ref_number"]): r for r in csv.DictReader(f)}


def _norm(s):
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def test_review_list_keeps_the_review_numbers(site, browser, root):
    numbers = _numbers(root)
    page, _, _ = open_offline(browser, f"{site}/book/references.html")
    for n, row in numbers.items():
        entry = page.locator(f"#review-ref-{n}")
        assert entry.count() == 1, f"ref {n} has no entry on the references page"
        block = entry.locator("xpath=..")
        label = block.locator(".label").inner_text().strip("[] \n")
        assert label == str(n), f"entry for ref {n} is labelled [{label}]"
        assert _norm(row["title"])[:40] in _norm(block.inner_text()), f"entry [{n}] is not {row['bibkey']}"
    heading = page.get_by_text("The review this course is built on")
    assert "Endocrine therapy plus HER2-targeted therapy" in heading.locator("xpath=following-sibling::*[1]").inner_text()
    page.close()


def test_every_ref_n_in_a_lesson_links_to_entry_n(site, browser, root, built_book):
    # text drawn inside a chart (SVG marks and axis labels) cannot hold a link, and code and its printed values are
    # code; the prose and tables around them carry the links
    numbers = _numbers(root)
    unlinked = []
    for html in sorted((built_book / "notebooks").glob("*.html")):
        page, _, _ = open_offline(browser, f"{site}/notebooks/{html.name}")
        found = page.evaluate("""() => {
          const out = []; const w = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
          while (w.nextNode()) { const t = w.currentNode; if (t.parentElement.closest('svg, script, style, pre, code')) continue;
            const a = t.parentElement.closest('a');
            out.push([t.textContent, a ? a.href : null]); }
          return out; }""")
        for text, href in found:
            for m in REFS.finditer(text):
                n = int(m.group(1))
                if n not in numbers:
                    continue
                if not href or not href.endswith(f"references.html#review-ref-{n}"):
                    unlinked.append(f"{html.name}: '{m.group()}' -> {href}")
        page.close()
    assert not unlinked, f"{len(unlinked)} 'ref N' not linked to entry N, e.g. {unlinked[:5]}"
    # follow one as a reader does
    page, _, _ = open_offline(browser, f"{site}/notebooks/03_crosstalk_resistance.html")
    link = page.locator("a.review-ref", has_text="ref 13").first
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("#review-ref-13")
    target = page.locator("#review-ref-13").locator("xpath=..").inner_text()
    assert _norm(numbers[13]["title"])[:40] in _norm(target)
    page.close()


def test_jupyterlab_lists_the_same_references_as_the_book(built_book, root):
    """The references page opened in JupyterLab (scripts/lab_extension.py's lookup) lists, block by block, the
    entries the book lists, in the book's order, with the book's labels and text."""
    from bs4 import BeautifulSoup

    import lab_extension as ext  # scripts/ (pytest's pythonpath)
    lab = [[(e["label"], _norm(e["text"])[:60]) for e in block] for block in ext.bibliographies().values()]
    soup = BeautifulSoup((built_book / "book" / "references.html").read_text(encoding="utf-8"), "html.parser")
    book = []
    for group in soup.select("main div.citation-list, main div[role=list].citation-list"):
        book.append([(c.select_one(".label").get_text(strip=True).strip("[]"),
                      _norm(c.get_text(" ", strip=True).split("]", 1)[1])[:60]) for c in group.select(".citation")])
    assert [len(b) for b in lab] == [len(b) for b in book], "JupyterLab and the book list different numbers of entries"
    for i, (ours, theirs) in enumerate(zip(lab, book)):
        assert ours == theirs, f"bibliography block {i + 1} differs: first difference " \
            f"{next((a, b) for a, b in zip(ours, theirs) if a != b)}"
