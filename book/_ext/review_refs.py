"""Numbers the review's bibliography as the review does.

``data/references.csv`` maps each of the review's reference numbers to a BibTeX key. This extension registers a
pybtex formatting style, ``review_numbered``, that sorts the entries by that number and labels each with it, so
entry [13] on the references page is the review's ref 13. Entries the table does not number keep the plain style's
order after them (none should: the references page filters to the table's keys).

It also gives entry N the anchor ``review-ref-N`` and turns every "ref N" ("refs N and M", "refs N, M") in a page's
text into links to those anchors, so "see the title of ref 13" leads to the review's ref 13.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from docutils import nodes
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle

CSV = Path(__file__).resolve().parents[2] / "data" / "references.csv"


def review_numbers(path: Path = CSV) -> dict[str, int]:
    """BibTeX key -> the review's reference number."""
    with path.open(newline="", encoding="utf-8") as f:
        return {row["bibkey"]: int(row["ref_number"]) for row in csv.DictReader(f)}


class ReviewNumberedStyle(PlainStyle):
    """Plain formatting; order and labels are the review's reference numbers."""

    default_sorting_style = "none"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._numbers = review_numbers()
        # pybtex's Style sets sort and format_labels as instance attributes; replace them with the review's order.
        self.sort = self._sort_by_number
        self.format_labels = self._number_labels

    def _sort_by_number(self, entries):
        entries = list(entries)
        big = len(self._numbers) + 1
        return sorted(entries, key=lambda e: self._numbers.get(e.key, big))

    def _number_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield str(self._numbers.get(entry.key, "?"))


register_plugin("pybtex.style.formatting", "review_numbered", ReviewNumberedStyle)


REFS_DOC = "book/references"
_REFS = re.compile(r"\b([Rr]efs?\.? )(\d+(?:(?:, | and |, and |[–-])\d+)*)\b")
_NUM = re.compile(r"\d+")


def _anchor_entries(doctree, numbers: set[int]) -> None:
    """On the references page, add ``review-ref-N`` to the ids of the numbered list's entry N."""
    for node in doctree.findall(nodes.citation):
        labels = list(node.findall(nodes.label))
        if not labels:
            continue
        text = labels[0].astext().strip("[] ")
        if text.isdigit() and int(text) in numbers:
            node["ids"].append(f"review-ref-{int(text)}")


def _link_refs(app, doctree, docname: str, numbers: set[int]) -> None:
    target = app.builder.get_relative_uri(docname, REFS_DOC)
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split():
            html = raw.astext()
            new = link_refs_in_html(html, target, numbers)
            if new != html:
                raw.replace(raw.children[0], nodes.Text(new))
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or isinstance(parent, (nodes.reference, nodes.literal, nodes.literal_block, nodes.raw,
                                                 nodes.label, nodes.title)):
            continue
        if any(isinstance(a, (nodes.reference, nodes.citation)) for a in _ancestors(parent)):
            continue
        source = str(text)
        if not _REFS.search(source):
            continue
        new, pos = [], 0
        for m in _REFS.finditer(source):
            new.append(nodes.Text(source[pos:m.start()]))
            nums = list(_NUM.finditer(m.group(2)))
            if any(int(n.group()) not in numbers for n in nums):
                new.append(nodes.Text(m.group()))
                pos = m.end()
                continue
            inner, ipos = m.group(2), 0
            for i, n in enumerate(nums):
                label = (m.group(1) + n.group()) if i == 0 else n.group()
                if i > 0:
                    new.append(nodes.Text(inner[ipos:n.start()]))
                ref = nodes.reference(label, label, internal=True,
                                      refuri=f"{target}#review-ref-{int(n.group())}")
                ref["classes"].append("review-ref")
                new.append(ref)
                ipos = n.end()
            pos = m.end()
        new.append(nodes.Text(source[pos:]))
        parent.replace(text, [n for n in new if not (isinstance(n, nodes.Text) and not str(n))])


_TAG = re.compile(r"(<[^>]*>)")


def link_refs_in_html(html: str, target: str, numbers: set[int]) -> str:
    """The same links inside a raw HTML output (text between tags only; not inside a, script, style)."""
    out, skip = [], 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            low = part.lower()
            if re.match(r"<(a|script|style|textarea)\b", low):
                skip += 1
            elif re.match(r"</(a|script|style|textarea)\s*>", low):
                skip = max(0, skip - 1)
            out.append(part)
            continue
        if skip or not _REFS.search(part):
            out.append(part)
            continue

        def repl(m):
            nums = list(_NUM.finditer(m.group(2)))
            if any(int(n.group()) not in numbers for n in nums):
                return m.group()
            inner, ipos, res = m.group(2), 0, []
            for i, n in enumerate(nums):
                label = (m.group(1) + n.group()) if i == 0 else n.group()
                res.append(inner[ipos:n.start()] if i else "")
                res.append(f'<a class="reference internal review-ref" href="{target}#review-ref-{int(n.group())}">'
                           f"{label}</a>")
                ipos = n.end()
            return "".join(res)

        out.append(_REFS.sub(repl, part))
    return "".join(out)


def _ancestors(node):
    while node is not None:
        yield node
        node = node.parent


def _on_doctree_resolved(app, doctree, docname):
    if app.builder.format != "html":
        return
    numbers = set(review_numbers().values())
    if docname == REFS_DOC:
        _anchor_entries(doctree, numbers)
    else:
        _link_refs(app, doctree, docname, numbers)


def setup(app):
    app.connect("doctree-resolved", _on_doctree_resolved, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
