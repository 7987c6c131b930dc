"""Data tests: provenance on every row, cross-table consistency, and agreement with the source review."""
from __future__ import annotations

import re

import pandas as pd
import pytest


PROVENANCE_TABLES = ["trial_results", "other_outcomes", "ongoing_trials"]
NUMERIC_RESULT_COLUMNS = ["n", "mpfs_exp", "mpfs_ctrl", "mpfs_exp_ci_low", "mpfs_exp_ci_high", "mpfs_ctrl_ci_low",
                          "mpfs_ctrl_ci_high", "pfs_hr", "pfs_hr_low", "pfs_hr_high", "mos_exp", "mos_ctrl", "os_hr",
                          "os_hr_low", "os_hr_high", "median_follow_up"]


def _refs(cell) -> list[int]:
    return [] if pd.isna(cell) or cell == "" else [int(x) for x in str(cell).split(";")]


@pytest.mark.parametrize("name", PROVENANCE_TABLES)
def test_every_row_says_where_it_is_printed(tables, name):
    frame = tables[name]
    assert frame["printed_in"].notna().all() and frame["location"].notna().all()
    assert (frame["location"].str.len() > 5).all(), "a location must say more than a word"


@pytest.mark.parametrize("name", ["trial_results", "other_outcomes", "drugs", "pathway_nodes", "pathway_edges",
                                  "drug_targets", "ongoing_trials", "errata"])
def test_refs_cite_the_review_bibliography_or_notes_explain(tables, name):
    frame = tables[name]
    known = set(tables["references"]["ref_number"].astype(int))
    for _, row in frame.iterrows():
        refs = _refs(row["refs"])
        assert set(refs) <= known, f"{name}: {dict(row)} cites a reference the review does not have"
        if not refs:
            explained = any(pd.notna(row.get(c)) and str(row.get(c)).strip() for c in ("notes", "evidence"))
            assert explained or name in ("pathway_nodes", "errata"), f"{name}: row without refs and without a note: {dict(row)}"


def test_text_rows_and_table_rows_both_exist(tables):
    results = tables["trial_results"]
    counts = results["printed_in"].value_counts()
    assert counts.get("Table 1", 0) == 13  # the 13 cohort lines of Table 1
    assert counts.get("Table 2", 0) >= 17
    assert counts.get("Text", 0) >= 20


def test_trial_spellings_are_shared_across_tables(tables):
    trials = set(tables["trial_results"]["trial"])
    assert set(tables["other_outcomes"]["trial"]) <= trials
    outcome_ids = set(tables["other_outcomes"]["outcome_id"])
    for _, row in tables["trial_results"].dropna(subset=["other_endpoints"]).iterrows():
        for oid in row["other_endpoints"].split(";"):
            assert oid in outcome_ids, f"{row['result_id']} links to unknown outcome {oid}"
            linked = tables["other_outcomes"].set_index("outcome_id").loc[oid, "trial"]
            assert linked == row["trial"], f"{row['result_id']} links to {oid} of another trial ({linked})"


def test_each_trial_has_one_phase_per_place_and_a_single_spelling(tables):
    results = tables["trial_results"]
    # the normalised name maps to one trial; printed spellings may vary and are kept in trial_as_printed
    assert results.groupby("trial")["design"].nunique().max() == 1


def test_hazard_ratio_intervals_contain_their_estimate(tables):
    r = tables["trial_results"]
    for hr, lo, hi in (("pfs_hr", "pfs_hr_low", "pfs_hr_high"), ("os_hr", "os_hr_low", "os_hr_high")):
        sub = r.dropna(subset=[hr, lo, hi])
        bad = sub[(sub[lo] > sub[hr]) | (sub[hr] > sub[hi])]
        assert bad.empty, bad[["result_id", hr, lo, hi]]


def test_errata_cover_every_text_table_disagreement_in_the_data(tables):
    """Where the data hold a table row and a text row for the same trial and cohort with different numbers,
    the errata table must name that trial: a disagreement is taught, never left silent."""
    r = tables["trial_results"]
    cols = ["mpfs_exp", "mpfs_ctrl", "mos_exp", "mos_ctrl", "pfs_p", "os_p", "pfs_hr"]
    errata_topics = set(tables["errata"]["trial_or_topic"])
    missing = []
    for (trial, cohort), g in r.groupby(["trial", "cohort"]):
        tab, txt = g[g["printed_in"] != "Text"], g[g["printed_in"] == "Text"]
        if tab.empty or txt.empty:
            continue
        for c in cols:
            a, b = tab[c].dropna(), txt[c].dropna()
            if not a.empty and not b.empty and set(a.astype(str)) != set(b.astype(str)):
                if trial not in errata_topics:
                    missing.append((trial, cohort, c, list(a), list(b)))
    assert not missing, f"text/table disagreements with no erratum: {missing}"


def test_bibliography_has_88_entries_matching_the_index(tables, root):
    import pybtex.database

    bib = pybtex.database.parse_file(str(root / "data" / "references.bib"))
    refs = tables["references"]
    assert len(bib.entries) == 88 == len(refs)
    assert sorted(refs["ref_number"].astype(int)) == list(range(1, 89))
    for _, row in refs.iterrows():
        entry = bib.entries[row["bibkey"]]
        assert int(entry.fields["refnumber"]) == row["ref_number"]
        assert str(row["year"]) == entry.fields.get("year", str(row["year"]))
        assert "doi" not in entry.fields, "no DOI is printed in the review's list: none may be invented"


def test_ongoing_drugs_are_in_the_drugs_table(tables):
    names = set(tables["drugs"]["drug"])
    for _, row in tables["ongoing_trials"].iterrows():
        for drug in row["drugs"].split(";"):
            assert drug.strip() in names, f"{row['nct_id']}: {drug!r} is not in drugs.csv"


def test_pathway_graph_is_connected_from_sources_to_outcomes(tables):
    nodes, edges = tables["pathway_nodes"], tables["pathway_edges"]
    out = {n: set() for n in nodes["node_id"]}
    inc = {n: set() for n in nodes["node_id"]}
    for s, t in zip(edges["source"], edges["target"]):
        out[s].add(t)
        inc[t].add(s)
    outcomes = set(nodes.loc[nodes["pathway"] == "outcome", "node_id"])
    assert outcomes, "the graph needs at least one outcome node (proliferation / survival)"

    def closure(start, nxt):
        seen, stack = set(start), list(start)
        while stack:
            for m in nxt[stack.pop()]:
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        return seen

    sources = {n for n, ins in inc.items() if not ins}
    assert closure(sources, out) == set(out), "some node cannot be reached from any source"
    assert closure(outcomes, inc) == set(out), "some node has no path to an outcome"
    crosstalk = set(edges["crosstalk"])
    assert {"HER2 to ER", "ER to HER2"} <= crosstalk, "both directions of HER2-ER crosstalk must be drawn"


# ---- agreement with the source review (runs where the review sits beside the clone, as in CI) ----

def _numbers(text: str) -> set[float]:
    return {float(x) for x in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text)}


def test_every_number_in_trial_results_is_printed_in_the_review(tables, review_text):
    printed = _numbers(review_text)
    r = tables["trial_results"]
    for col in NUMERIC_RESULT_COLUMNS:
        for rid, value in r[["result_id", col]].dropna().itertuples(index=False):
            assert float(value) in printed, f"{rid}, {col} = {value}: this number is not printed in the review"
    for col in ("pfs_p", "os_p"):
        for rid, value in r[["result_id", col]].dropna().itertuples(index=False):
            assert float(value.lstrip("<>=")) in printed, f"{rid}, {col} = {value} is not printed in the review"


def test_every_number_in_other_outcomes_is_printed_in_the_review(tables, review_text):
    printed = _numbers(review_text)
    o = tables["other_outcomes"]
    for col in ("value", "count", "ci_low", "ci_high"):
        for oid, value in o[["outcome_id", col]].dropna().itertuples(index=False):
            assert float(value) in printed, f"{oid}, {col} = {value}: not printed in the review"


def test_table3_trials_are_exactly_those_printed(tables, review_text):
    table3 = review_text.split("**Table 3.**", 1)[1].split("ABC, advanced breast cancer", 1)[0]
    printed_ids = set(re.findall(r"^(NCT\d{8})\t", table3, flags=re.M))
    assert len(printed_ids) == 13
    assert set(tables["ongoing_trials"]["nct_id"]) == printed_ids


def test_table1_trials_and_cohort_sizes_are_those_printed(tables, review_text):
    table1 = review_text.split("**Table 1.**", 1)[1].split("single-agent anti-HER2 therapy combined with ET", 1)[0]
    sizes = sorted(int(x) for x in re.findall(r"HER2\+ \((\d+)\)", table1))
    rows = tables["trial_results"].query("printed_in == 'Table 1'")
    assert sorted(rows["n"].astype(int)) == sizes


def test_reference_first_authors_are_in_the_review(tables, review_text):
    refs_part = review_text.split("**References**", 1)[1]
    for _, row in tables["references"].iterrows():
        assert row["first_author"].split()[0] in refs_part, row["first_author"]


# Hosts that copy documents without being their publisher: a reader should meet the publisher, the registry or PubMed.
_SHARING_SITES = ("scribd", "docplayer.", "studylib", "coek.info", "dokumen.", "pdfcoffee.", "vdocuments.",
                  "researchgate.", "slideshare.")


def test_evidence_links_name_a_publisher_registry_or_index_never_a_bare_address(root):
    """Every web address a data file gives as evidence has a host name (not a raw IP address, which says nothing
    about whose page it is and may not last) and is not a document-sharing copy."""
    bad = []
    for path in sorted((root / "data").glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"(?:https?://)?\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?/\S*", text):
            bad.append(f"{path.name}: a bare address {m.group(0)[:50]}")
        for m in re.finditer(r"\S*(" + "|".join(re.escape(s) for s in _SHARING_SITES) + r")\S*", text, re.I):
            bad.append(f"{path.name}: a document-sharing copy {m.group(0)[:50]}")
    assert not bad, bad
