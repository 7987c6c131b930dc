"""The claims ledger (data/claims.csv): it validates, every support it names exists, every lesson is audited, and a
claim marked as unsupported points to a lesson cell that tells the learner so."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from conftest import DATA, ROOT
from hrher2 import data

LESSONS = [f"{n:02d}" for n in range(14)]
# How a lesson tells the learner that a statement has no source: in the claim's own cell, or, for the general
# statistical background of a lesson, once in its References cell ("... the course cites no methods text for them").
NO_SOURCE = re.compile(r"no\s+source|cites\s+no\s+(?:methods\s+text|source)|rests\s+on\s+the\s+review\s+alone",
                       re.IGNORECASE)
BACKGROUND = re.compile(r"background.*?cites\s+no\s+methods\s+text", re.IGNORECASE | re.DOTALL)


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return data.load("claims", DATA)


@pytest.fixture(scope="module")
def notebooks() -> dict[str, dict]:
    found = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        found[path.name[:2]] = json.loads(path.read_text(encoding="utf-8"))
    return found


def _bib_keys() -> set[str]:
    keys = set(pd.read_csv(DATA / "references.csv")["bibkey"])
    for bib in (DATA / "references.bib", ROOT / "book" / "review.bib", ROOT / "book" / "since_review.bib"):
        keys |= set(re.findall(r"@\w+\{([^,\s]+),", bib.read_text(encoding="utf-8")))
    return keys


def _primary_keys(tables) -> dict[str, set[str]]:
    keys = {}
    for name in tables:
        if name == "claims":
            continue
        pk = data.schema(name, DATA)["schema"]["primaryKey"]
        frame = tables[name]
        keys[name] = {"|".join(str(v) for v in row) for row in frame[pk].itertuples(index=False)}
    return keys


def test_ledger_validates_against_its_schema():
    data.validate("claims", DATA)  # raises DataError with row and column on any schema violation


def test_claim_ids_carry_their_lesson(claims):
    assert (claims["claim_id"].str[1:3] == claims["lesson"]).all()


def test_every_support_exists(claims, tables):
    pks = _primary_keys(tables)
    bib = _bib_keys()
    errata_ids = set(tables["errata"]["erratum_id"])
    problems = []
    for _, row in claims.iterrows():
        kind, support = row["support_kind"], row["support"]
        if kind == "none":
            if pd.notna(support) and str(support).strip():
                problems.append(f"{row['claim_id']}: support_kind 'none' but support '{support}'")
            if row["verdict"] != "unsupported-flagged-in-prose":
                problems.append(f"{row['claim_id']}: a claim without support must be flagged in the prose")
            continue
        if pd.isna(support) or not str(support).strip():
            problems.append(f"{row['claim_id']}: support_kind '{kind}' but no support named")
            continue
        if pd.isna(row["location"]) or not str(row["location"]).strip():
            problems.append(f"{row['claim_id']}: no location in the source")
        for item in str(support).split(";"):
            if ":" in item:
                table, key = item.split(":", 1)
                if table not in pks:
                    problems.append(f"{row['claim_id']}: unknown table '{table}'")
                elif key not in pks[table]:
                    problems.append(f"{row['claim_id']}: {table} has no row '{key}'")
            elif re.fullmatch(r"E[0-9]{2}", item):
                if item not in errata_ids:
                    problems.append(f"{row['claim_id']}: no erratum {item}")
            elif item not in bib:
                problems.append(f"{row['claim_id']}: '{item}' is not a bibliography key")
        if kind == "review" and "Liang2024review" not in str(support).split(";"):
            problems.append(f"{row['claim_id']}: support_kind 'review' must name Liang2024review")
    assert not problems, "\n".join(problems)


def test_the_first_support_matches_its_kind(claims):
    first = claims.loc[claims["support_kind"] != "none"].set_index("claim_id")["support"].str.split(";").str[0]
    kinds = claims.set_index("claim_id")["support_kind"]
    for cid, item in first.items():
        kind = kinds[cid]
        if kind == "data row":
            assert ":" in item, f"{cid}: a data-row support is written table:id, got '{item}'"
        elif kind == "erratum":
            assert re.fullmatch(r"E[0-9]{2}", item), f"{cid}: an erratum support is an id like E47, got '{item}'"
        else:
            assert ":" not in item and not re.fullmatch(r"E[0-9]{2}", item), f"{cid}: '{item}' is not a bib key"


def test_every_lesson_is_audited(claims, notebooks):
    assert set(notebooks) == set(LESSONS), f"lessons on disk: {sorted(notebooks)}"
    missing = sorted(set(LESSONS) - set(claims["lesson"]))
    assert not missing, f"lessons with no row in data/claims.csv: {', '.join(missing)}"


def test_each_claim_points_to_a_markdown_prose_cell(claims, notebooks):
    for _, row in claims.iterrows():
        cells = notebooks[row["lesson"]]["cells"]
        assert row["cell"] < len(cells), f"{row['claim_id']}: lesson {row['lesson']} has no cell {row['cell']}"
        cell = cells[row["cell"]]
        assert cell["cell_type"] == "markdown", f"{row['claim_id']}: cell {row['cell']} is not a markdown cell"


def test_unsupported_claims_are_flagged_in_the_lesson(claims, notebooks):
    flagged = claims[claims["verdict"] == "unsupported-flagged-in-prose"]
    assert len(flagged), "the ledger has no flagged claim, so this check would test nothing"
    references = {lesson: "".join("".join(c["source"]) for c in nb["cells"]
                                  if c["cell_type"] == "markdown" and "## References" in "".join(c["source"]))
                  for lesson, nb in notebooks.items()}
    for _, row in flagged.iterrows():
        text = "".join(notebooks[row["lesson"]]["cells"][row["cell"]]["source"])
        assert NO_SOURCE.search(text) or BACKGROUND.search(references[row["lesson"]]), (
            f"{row['claim_id']}: lesson {row['lesson']} cell {row['cell']} does not tell the learner that no source "
            "was found (nor does the lesson's References cell, for general background)")


def test_changed_claims_say_what_changed(claims):
    changed = claims[claims["verdict"] != "supported"]
    assert changed["note"].notna().all() and (changed["note"].str.len() > 10).all()
