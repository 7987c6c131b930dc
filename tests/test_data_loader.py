"""The loader validates on load and explains a malformed file in one message naming file, row and column."""
from __future__ import annotations

import csv

import pytest

from hrher2 import data
from hrher2.data import DataError


def _rewrite(path, edit):
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return rows


def test_every_table_loads_with_schema_types(tables):
    assert set(tables) == set(data.table_names())
    results = tables["trial_results"]
    assert str(results["mpfs_exp"].dtype) == "float64"
    assert str(results["n"].dtype) == "Int64"
    assert len(results) > 0


def test_not_a_number_is_named_by_file_row_and_column(data_copy):
    rows = _rewrite(data_copy / "trial_results.csv",
                    lambda rows: rows[5].__setitem__(rows[0].index("mpfs_exp"), "abc"))
    with pytest.raises(DataError) as err:
        data.load("trial_results", data_copy)
    message = str(err.value)
    assert "trial_results.csv row 6, column mpfs_exp: 'abc' is not a number" in message
    assert rows[5][0]  # the broken copy still holds the row: nothing was lost


def test_value_outside_the_allowed_set(data_copy):
    _rewrite(data_copy / "trial_results.csv", lambda rows: rows[2].__setitem__(rows[0].index("printed_in"), "Figure 9"))
    with pytest.raises(DataError, match=r"trial_results.csv row 3, column printed_in: 'Figure 9' is not one of the "
                                         r"allowed values \(Table 1, Table 2, Table 3, Text\)"):
        data.load("trial_results", data_copy)


def test_missing_column_is_named(data_copy):
    def drop(rows):
        i = rows[0].index("refs")
        for r in rows:
            del r[i]
    _rewrite(data_copy / "drugs.csv", drop)
    with pytest.raises(DataError, match=r"drugs.csv: column 'refs' is missing from the header"):
        data.load("drugs", data_copy)


def test_duplicate_key_is_named(data_copy):
    _rewrite(data_copy / "references.csv", lambda rows: rows.append(list(rows[1])))
    with pytest.raises(DataError, match=r"references.csv row \d+, column ref_number: '1' repeats a value that must be unique"):
        data.load("references", data_copy)


def test_a_repeated_id_is_one_line_not_a_second_garbled_one(data_copy):
    """A repeated drug name (the table's key) is one problem: before, a second line read "row 5: None repeats..."."""
    _rewrite(data_copy / "drugs.csv", lambda rows: rows.insert(4, list(rows[3])))
    with pytest.raises(DataError) as err:
        data.load("drugs", data_copy)
    lines = str(err.value).splitlines()
    assert len(lines) == 1 and "row 5, column drug:" in lines[0] and "repeats a value that must be unique" in lines[0]
    assert "None" not in str(err.value)


def test_a_short_row_is_one_line_in_words(data_copy):
    """A row cut short (a lost comma) is one line that says so, not one "constraint 'required'" line per cell."""
    _rewrite(data_copy / "drugs.csv", lambda rows: rows.__setitem__(3, rows[3][:4]))
    with pytest.raises(DataError) as err:
        data.load("drugs", data_copy)
    said = str(err.value)
    assert said == ("drugs.csv row 4: the row has 4 cell(s) where the header has 14 columns (is a comma missing, or a "
                    "value with a comma not in double quotes?).")


def test_an_empty_file_is_one_line_naming_the_header_it_needs(data_copy):
    (data_copy / "drugs.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError) as err:
        data.load("drugs", data_copy)
    said = str(err.value)
    assert len(said.splitlines()) == 1 and said.startswith("drugs.csv: the file is empty; it should start with a "
                                                           "header row naming the columns drug, aliases, drug_class")


def test_a_file_not_saved_as_utf8_is_named_with_its_line(data_copy):
    """A spreadsheet's Latin-1 export: the file and line are named, and how to save it, not a UnicodeDecodeError."""
    path = data_copy / "drugs.csv"
    text = path.read_text(encoding="utf-8").replace("trastuzumab", "trastuzumab é", 1)
    line = text[:text.index("é")].count("\n") + 1
    path.write_bytes(text.encode("latin-1", errors="replace"))
    with pytest.raises(DataError) as err:
        data.load("drugs", data_copy)
    assert str(err.value).startswith(f"drugs.csv line {line}: the file is not saved as UTF-8 text")
    assert "CSV UTF-8" in str(err.value)


def test_missing_file_and_unknown_table(data_copy):
    (data_copy / "errata.csv").unlink()
    with pytest.raises(DataError, match=r"errata.csv: the file for table 'errata' is missing"):
        data.load("errata", data_copy)
    with pytest.raises(DataError, match=r"there is no table called 'trials'"):
        data.load("trials", data_copy)


def test_broken_schema_json_is_reported_with_its_line(data_copy):
    (data_copy / "datapackage.json").write_text('{"resources": [\n  {"name": oops}\n]}', encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage.json line 2, column \d+: not valid JSON"):
        data.load("trial_results", data_copy)


def test_many_problems_are_summarised_not_dumped(data_copy):
    def spoil(rows):
        col = rows[0].index("mpfs_exp")
        for r in rows[1:]:
            r[col] = "x"
    rows = _rewrite(data_copy / "trial_results.csv", spoil)
    with pytest.raises(DataError) as err:
        data.load("trial_results", data_copy)
    lines = str(err.value).splitlines()
    assert len(lines) == 6 and lines[-1].startswith(f"... and {len(rows) - 1 - 5} more problem(s)")


def test_load_returns_a_copy_and_reloads_after_a_change(data_copy):
    first = data.load("references", data_copy)
    first.loc[0, "first_author"] = "changed in memory"
    assert data.load("references", data_copy).loc[0, "first_author"] != "changed in memory"
    _rewrite(data_copy / "references.csv", lambda rows: rows[1].__setitem__(2, "Edited"))
    assert data.load("references", data_copy).loc[0, "first_author"] == "Edited"


def test_environment_variable_selects_the_data_folder(data_copy, monkeypatch):
    monkeypatch.setenv("HRHER2_DATA", str(data_copy))
    assert data.data_dir() == data_copy
    assert data.data_dir("/elsewhere").as_posix() == "/elsewhere"


def test_inventory_counts_rows(tables):
    inv = data.inventory(tables)
    assert dict(zip(inv["table"], inv["rows"])) == {k: len(v) for k, v in tables.items()}


def test_validation_is_remembered_only_for_identical_bytes(data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("HRHER2_CACHE", str(cache))
    data.validate("references", data_copy)
    markers = list(cache.glob("references-*"))
    assert len(markers) == 1
    data.validate("references", data_copy)  # remembered: no new marker
    assert list(cache.glob("references-*")) == markers
    # a change to the file changes the fingerprint, so the broken file is checked and rejected
    _rewrite(data_copy / "references.csv", lambda rows: rows[1].__setitem__(0, "x"))
    with pytest.raises(DataError, match="references.csv row 2, column ref_number"):
        data.validate("references", data_copy)
    assert list(cache.glob("references-*")) == markers  # nothing remembered for a failure


def test_a_changed_referenced_table_is_checked_again(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("HRHER2_CACHE", str(tmp_path / "cache"))
    data.validate("pathway_edges", data_copy)
    # remove a node that edges point at: the edges table itself is unchanged but must fail its foreign key now
    _rewrite(data_copy / "pathway_nodes.csv", lambda rows: rows.__delitem__(1))
    with pytest.raises(DataError, match="pathway_edges.csv row"):
        data.validate("pathway_edges", data_copy)
