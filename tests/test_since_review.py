"""Evidence published after the review (issue 11): provenance and dates of every row, congress and journal reports
told apart, the one 'checked up to' date, and no page that calls a reported trial ongoing without pointing to
lesson 13."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from hrher2 import data, docs, later_evidence

ROOT = Path(__file__).resolve().parents[1]
#: The review: "revised manuscript accepted: 21 November 2023" (review.md, header).
REVIEW_ACCEPTED = "2023-11-21"
LESSON13 = "13_since_the_review"


@pytest.fixture(scope="module")
def since(tables):
    return tables["since_review"]


@pytest.fixture(scope="module")
def registry(tables):
    return tables["registry_checks"]


def _bib_entries(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in re.finditer(r"@\w+\{([^,]+),.*?\n\}", text, re.S)}


def test_the_table_has_rows_for_the_trials_the_issue_names(since):
    assert len(since) >= 10
    for trial in ("DESTINY-Breast09", "PATINA", "HER2CLIMB-02", "DESTINY-Breast12", "PHILA"):
        assert trial in set(since["trial"]), f"no row for {trial}"


def test_every_row_names_its_source_date_and_where_the_values_stand(since):
    for col in ("source_kind", "source_name", "citation", "doi_or_abstract", "bibkey", "published", "location",
                "confidence", "confidence_note", "analysis", "analysis_type"):
        assert since[col].notna().all(), f"a row has no {col}"
    assert (since["location"].str.len() > 10).all(), "a location must say where in the source, not one word"
    assert (since["confidence_note"].str.len() > 10).all()
    values = since[later_evidence.VALUE_COLUMNS[:-2]].notna().any(axis=1)
    empty = since[~values]
    assert empty["notes"].notna().all(), f"rows with no value must say why: {list(empty['result_id'])}"


def test_rows_are_from_after_the_review_or_say_why_not(since):
    for r in since.itertuples():
        assert str(r.published) >= "2023-10", f"{r.result_id}: published {r.published}, before the review's revision"
        if str(r.published) < REVIEW_ACCEPTED:
            assert pd.notna(r.notes) and "review does not cite" in r.notes, (
                f"{r.result_id} was published before the review was accepted: notes must say the review does not "
                "cite it")


def test_lower_confidence_says_which_secondary_report(since):
    for r in since[since["confidence"] != "high"].itertuples():
        assert re.search(r"secondary|report|summary|news|copy|mirror|only", r.confidence_note, re.I), (
            f"{r.result_id}: a {r.confidence} confidence must name the copy or secondary report it rests on")


def test_hazard_ratio_intervals_contain_their_estimate(since):
    hr = since.dropna(subset=["hr", "hr_low", "hr_high"])
    assert ((hr["hr_low"] <= hr["hr"]) & (hr["hr"] <= hr["hr_high"])).all()
    half = since[since["hr"].notna() & (since["hr_low"].isna() != since["hr_high"].isna())]
    assert half.empty, f"a confidence interval with one limit only: {list(half['result_id'])}"


def test_every_source_is_in_the_bibliography_marked_as_since_the_review(since, registry):
    bib = _bib_entries(ROOT / "book" / "since_review.bib")
    keys = set(since["bibkey"]) | set(registry["bibkey"].dropna())
    assert keys <= set(bib), f"missing from book/since_review.bib: {sorted(keys - set(bib))}"
    for key, entry in bib.items():
        assert "keywords = {since-review}" in entry, f"{key}: the references page lists entries by this keyword"
    review_bib = set(_bib_entries(ROOT / "book" / "review.bib")) | set(_bib_entries(ROOT / "data" / "references.bib"))
    assert not set(bib) & review_bib, "a key is defined twice"


def test_a_congress_report_and_the_journal_report_of_one_result_are_told_apart(since):
    pairs = 0
    for _, group in since.groupby(["trial", "endpoint", "cohort"]):
        kinds = set(group["source_kind"])
        if {"congress abstract", "journal article"} <= kinds:
            pairs += 1
            congress = group[group["source_kind"] == "congress abstract"]
            journal = group[group["source_kind"] == "journal article"]
            assert set(congress["bibkey"]).isdisjoint(journal["bibkey"])
            assert set(congress["doi_or_abstract"]).isdisjoint(journal["doi_or_abstract"])
            assert set(congress["source_name"]).isdisjoint(journal["source_name"])
    assert pairs >= 2, "expected at least two results reported both at a congress and in a journal"
    compared = later_evidence.report_pairs(since)
    assert compared["first_id"].ne(compared["second_id"]).all()


def test_relates_to_names_things_that_exist(tables, since):
    known = (set(tables["trial_results"]["trial"]) | set(tables["ongoing_trials"]["nct_id"])
             | set(tables["errata"]["erratum_id"]))
    for r in since.dropna(subset=["relates_to"]).itertuples():
        for item in r.relates_to.split(";"):
            assert item in known, f"{r.result_id}: relates_to names {item!r}, which no table holds"


def test_registry_checks_cover_table_3_and_point_to_rows(tables, since, registry):
    assert set(registry["nct_id"]) == set(tables["ongoing_trials"]["nct_id"])
    ids = set(since["result_id"])
    for r in registry.itertuples():
        if r.results_reported == "yes":
            assert pd.notna(r.results_summary) and pd.notna(r.bibkey), f"{r.nct_id}: results without a source"
        for rid in ("" if pd.isna(r.since_review_ids) else r.since_review_ids).split(";"):
            assert not rid or rid in ids, f"{r.nct_id} points to unknown row {rid}"
        if pd.isna(r.status_found):
            assert pd.notna(r.notes), f"{r.nct_id}: no status found, and no note of what was searched"


def test_one_date_says_how_far_the_evidence_was_checked(since, registry):
    date = data.evidence_checked_up_to()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
    assert str(since["published"].max()) <= date and str(registry["checked_on"].max()) <= date
    text = docs.since_review_md(since, registry, date)
    assert f"Evidence checked up to **{date}**" in text


def test_the_generated_page_lists_every_row_newest_first(since, registry):
    text = docs.since_review_md(since, registry, data.evidence_checked_up_to())
    for rid in since["result_id"]:
        assert f"`{rid}`" in text
    dates = re.findall(r"^### (\d{4}-\d{2}(?:-\d{2})?) ·", text, re.M)
    assert dates == sorted(dates, reverse=True) and len(dates) == since["bibkey"].nunique() or len(dates) >= 1


# ------------------------------------------------------------------ no page calls a reported trial ongoing
_ONGOING = re.compile(r"\b(ongoing|still running|still recruiting|not yet reported|has not (yet )?reported|"
                      r"will report|results? (are|is) awaited|awaiting (its )?results|is running)\b", re.I)


def _paragraphs(text: str):
    """Paragraphs, with each list item its own paragraph."""
    for block in re.split(r"\n\s*\n", text):
        items = re.split(r"\n(?=\s*(?:[-*]|\d+\.)\s)", block)
        yield from items


def _pages():
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "markdown":
                yield f"{nb.name} cell {i}", "".join(cell["source"])
    for md in sorted((ROOT / "book").glob("*.md")):
        yield md.name, md.read_text(encoding="utf-8")


def test_no_page_calls_a_reported_trial_ongoing_without_pointing_to_lesson_13(since, registry):
    reported = later_evidence.reported_trials(since, registry)
    names = set(reported["trial"]) | set(reported["nct_id"].dropna())
    aliases = {n.split(" (")[0] for n in names}
    problems = []
    for where, text in _pages():
        if where.startswith(LESSON13) or where == "since_review.md":
            continue
        for para in _paragraphs(text):
            if not _ONGOING.search(para):
                continue
            hit = [n for n in aliases if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", para)]
            if hit and LESSON13 not in para and "since_review" not in para:
                problems.append(f"{where}: {', '.join(hit)} in {para.strip()[:120]!r}")
    assert not problems, "pages that speak of a reported trial as ongoing without a pointer to lesson 13:\n" + \
        "\n".join(problems)


def test_the_check_above_can_fail(since, registry):
    """The detector finds a planted sentence (so the test above is not vacuous)."""
    para = "DESTINY-Breast09 is still running and its results are awaited."
    assert _ONGOING.search(para)
    assert "DESTINY-Breast09" in set(later_evidence.reported_trials(since, registry)["trial"])


# ------------------------------------------------------------------ lesson 13's numbers come from data/
def _numbers_in_data(tables) -> set[str]:
    out = set()
    for name in ("since_review", "registry_checks", "trial_results", "other_outcomes"):
        frame = tables[name]
        for col in frame.columns:
            for v in frame[col].dropna():
                for tok in re.findall(r"\d+(?:\.\d+)?", str(v)):
                    out.add(tok)
                    out.add(f"{float(tok):g}")
    return out


def test_every_number_in_lesson_13s_prose_is_in_data(tables):
    nb = ROOT / "notebooks" / f"{LESSON13}.ipynb"
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    known = _numbers_in_data(tables)
    missing = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        text = re.sub(r"\(([^()]*\.ipynb|[^()]*\.md)\)|`[^`]*`|NCT\d{8}|E\d{2}|lesson \d{2}|lessons \d{2}( and \d{2})?"
                      r"|\b(19|20)\d{2}\b|^#+ \d+\.|\b\d+ minutes\b", " ", text, flags=re.M)
        for tok in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])", text):
            if tok in {"0", "1", "2", "3", "4", "5"}:  # counts and section numbers, not values
                continue
            if tok not in known and f"{float(tok):g}" not in known:
                missing.append(f"cell {i}: {tok}")
    assert not missing, f"numbers in lesson 13's prose that no data row holds: {missing}"
