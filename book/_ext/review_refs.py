"""Numbers the review's bibliography as the review does.

``data/references.csv`` maps each of the review's reference numbers to a BibTeX key. This extension registers a
pybtex formatting style, ``review_numbered``, that sorts the entries by that number and labels each with it, so
entry [13] on the references page is the review's ref 13. Entries the table does not number keep the plain style's
order after them (none should: the references page filters to the table's keys).
"""
from __future__ import annotations

import csv
from pathlib import Path

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

    def sort(self, entries):
        entries = list(entries)
        big = len(self._numbers) + 1
        return sorted(entries, key=lambda e: self._numbers.get(e.key, big))

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield str(self._numbers.get(entry.key, "?"))


register_plugin("pybtex.style.formatting", "review_numbered", ReviewNumberedStyle)


def setup(app):
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
