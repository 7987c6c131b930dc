"""Load the course tables from ``data/`` and validate them against the declarative schema.

The schema is ``data/datapackage.json`` (a Frictionless Data Package): it is the only place where columns, types,
allowed values and keys are defined. :func:`load` validates a table against it before returning a DataFrame, and a
malformed file raises :class:`DataError` with one clear message naming the file, the row and the column::

    trial_results.csv row 17, column mpfs_exp: 'abc' is not a number

Nothing here reads a file the caller did not ask for: the data folder is an argument (default: the course's own
``data/`` folder next to ``src/``, or the folder named by the environment variable ``HRHER2_DATA``).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = ["DataError", "DEFAULT_DATA_DIR", "data_dir", "schema", "table_names", "validate", "load", "load_all", "inventory"]

#: The course's data folder (src/hrher2/../../data).
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
PACKAGE_FILE = "datapackage.json"


class DataError(ValueError):
    """A course table is missing or malformed. The message says which file, row and column, and what is wrong."""


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder to use: ``path`` if given, else ``$HRHER2_DATA``, else the course's ``data/``."""
    if path is not None:
        return Path(path)
    env = os.environ.get("HRHER2_DATA")
    return Path(env) if env else DEFAULT_DATA_DIR


def _read_package(folder: Path) -> dict:
    pkg_path = folder / PACKAGE_FILE
    if not pkg_path.is_file():
        raise DataError(f"{pkg_path}: the data package description is missing, so no table can be checked.")
    try:
        return json.loads(pkg_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{pkg_path} line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}).") from None


def schema(name: str, path: str | os.PathLike | None = None) -> dict:
    """The resource description (path, title, schema) of table ``name`` from ``datapackage.json``."""
    folder = data_dir(path)
    pkg = _read_package(folder)
    for res in pkg["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in pkg["resources"])
    raise DataError(f"{folder / PACKAGE_FILE}: there is no table called {name!r}. Known tables: {known}.")


def table_names(path: str | os.PathLike | None = None) -> list[str]:
    """Names of all tables the data package declares, in its order."""
    return [r["name"] for r in _read_package(data_dir(path))["resources"]]


_TYPE_WORDS = {"number": "a number", "integer": "a whole number", "string": "text", "boolean": "true/false"}


def _describe(err, resource: dict) -> str:
    """One line, in words, for one frictionless error."""
    fname = resource["path"]
    row = getattr(err, "row_number", None)
    col = getattr(err, "field_name", None) or getattr(err, "label", None)
    cell = getattr(err, "cell", None)
    code = err.type
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    where = fname + (f" row {row}" if row else "") + (f", column {col}" if col else "")
    if code == "type-error":
        want = _TYPE_WORDS.get(fields.get(col, {}).get("type", ""), fields.get(col, {}).get("type", "?"))
        return f"{where}: {cell!r} is not {want}."
    if code == "constraint-error":
        rules = fields.get(col, {}).get("constraints", {})
        note = str(getattr(err, "note", ""))
        if "required" in note:
            return f"{where}: the cell is empty, and this column must have a value."
        if "enum" in note and "enum" in rules:
            return f"{where}: {cell!r} is not one of the allowed values ({', '.join(map(str, rules['enum']))})."
        if "pattern" in note and "pattern" in rules:
            return f"{where}: {cell!r} does not have the form this column needs (pattern {rules['pattern']})."
        if "minimum" in note or "maximum" in note:
            bounds = ", ".join(f"{k} {rules[k]}" for k in ("minimum", "maximum") if k in rules)
            return f"{where}: {cell!r} is outside the allowed range ({bounds})."
        return f"{where}: {cell!r} breaks a rule of this column ({note})."
    if code == "missing-label":
        return f"{fname}: column {col!r} is missing from the header (the schema expects it at position {err.field_number})."
    if code in ("extra-label", "extra-cell"):
        return f"{where}: there is a column or cell the schema does not know ({err.note})."
    if code == "incorrect-label":
        return f"{fname}: header column {err.field_number} is {err.label!r}, but the schema expects {col!r} there."
    if code == "missing-cell":
        return f"{where}: the row has too few cells (is a comma missing?)."
    if code == "unique-error":
        return f"{where}: {cell!r} repeats a value that must be unique ({err.note})."
    if code == "primary-key":
        key = ", ".join(map(str, getattr(err, "cells", None) or [])) or "its key"
        return f"{fname} row {row}: {key} repeats the key of another row ({err.note})."
    if code == "foreign-key":
        return f"{where}: {err.note}."
    if code == "short-row":
        have = f"{err.cells} cell(s)" if err.cells else "fewer cells"
        return (f"{fname} row {row}: the row has {have} where the header has {err.expected} columns (is a comma "
                "missing, or a value with a comma not in double quotes?).")
    if code == "blank-row":
        return f"{fname} row {row}: the row is empty."
    return f"{where}: {err.message}"


def _one_line_a_problem(errors: list, resource: dict) -> list:
    """The validator's errors, one per problem a person would fix: a row with too few cells is one problem (not one
    per empty cell as well), and a repeated key column is one (not a second "primary key" line for the same row)."""
    short_rows = {getattr(e, "row_number", None) for e in errors if e.type == "missing-cell"}
    unique_rows = {getattr(e, "row_number", None) for e in errors if e.type == "unique-error"}
    kept, seen_short = [], set()
    for e in errors:
        row = getattr(e, "row_number", None)
        if row in short_rows and e.type in ("missing-cell", "constraint-error"):
            if e.type == "missing-cell" and row not in seen_short:
                seen_short.add(row)
                kept.append(_ShortRow(row, len(getattr(e, "cells", []) or []), len(resource["schema"]["fields"])))
            continue
        if e.type == "primary-key" and row in unique_rows:
            continue
        kept.append(e)
    return kept


@dataclass
class _ShortRow:
    row_number: int
    cells: int
    expected: int
    type: str = "short-row"


def _validation_key(folder: Path, res_desc: dict) -> str:
    """A fingerprint of everything a validation depends on: the schema, this table and the tables its foreign keys
    point at, and the validator's version."""
    from importlib.metadata import version

    digest = hashlib.sha256(version("frictionless").encode())
    digest.update((folder / PACKAGE_FILE).read_bytes())
    paths = {res_desc["path"]}
    pkg = _read_package(folder)
    for fk in res_desc["schema"].get("foreignKeys", []):
        ref = fk["reference"].get("resource")
        paths |= {r["path"] for r in pkg["resources"] if r["name"] == ref}
    for rel in sorted(paths):
        target = folder / rel
        digest.update(rel.encode() + (target.read_bytes() if target.is_file() else b"<missing>"))
    return digest.hexdigest()


def _cache_dir() -> Path | None:
    """Where fingerprints of tables that passed validation are remembered (``$HRHER2_CACHE``, else
    ``$XDG_CACHE_HOME/hrher2`` or ``~/.cache/hrher2``); ``HRHER2_CACHE=off`` turns the memory off."""
    setting = os.environ.get("HRHER2_CACHE")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hrher2"


@lru_cache(maxsize=8)
def _frictionless_package(descriptor: str, stamp: int):
    from frictionless import Package  # imported here: it is slow to import and only needed to check files

    return Package(descriptor)


def validate(name: str, path: str | os.PathLike | None = None, limit: int = 5) -> None:
    """Check table ``name`` against the schema with Frictionless; raise :class:`DataError` listing up to ``limit``
    problems.

    Frictionless takes seconds to start, and every lesson's kernel loads the tables, so a table whose exact bytes
    (with the schema's and those of the tables it references) already passed is not checked again: its fingerprint
    is remembered in a small cache folder (see :func:`_cache_dir`). Any change to a file changes the fingerprint.
    """
    folder = data_dir(path)
    res_desc = schema(name, folder)
    csv_path = folder / res_desc["path"]
    if not csv_path.is_file():
        raise DataError(f"{csv_path}: the file for table {name!r} is missing.")
    _check_header(csv_path, res_desc)
    cache = _cache_dir()
    key = _validation_key(folder, res_desc)
    marker = cache / f"{name}-{key}" if cache else None
    if marker is not None and marker.exists():
        return
    pkg_file = folder / PACKAGE_FILE
    package = _frictionless_package(str(pkg_file), pkg_file.stat().st_mtime_ns)
    report = package.get_resource(name).validate()
    if report.valid:
        if marker is not None:
            try:
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.touch()
            except OSError:
                pass  # a read-only home only costs speed
        return
    errors = _one_line_a_problem([e for task in report.tasks for e in task.errors] + list(report.errors), res_desc)
    lines = [_describe(e, res_desc) for e in errors[:limit]]
    more = f"\n... and {len(errors) - limit} more problem(s)." if len(errors) > limit else ""
    raise DataError("\n".join(lines) + more)


def _check_header(csv_path: Path, res_desc: dict) -> None:
    """Compare the header with the schema by name, so a missing or extra column is reported as such."""
    import csv

    expected = [f["name"] for f in res_desc["schema"]["fields"]]
    fname = res_desc["path"]
    raw = csv_path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DataError(f"{fname} line {line}: the file is not saved as UTF-8 text (byte {raw[exc.start]:#04x} is "
                        "not UTF-8); save it again as UTF-8 (in a spreadsheet: \"CSV UTF-8\").") from None
    if not text.strip():
        raise DataError(f"{fname}: the file is empty; it should start with a header row naming the columns "
                        f"{', '.join(expected)}.")
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    problems = [f"{fname}: column {c!r} is missing from the header (the schema expects it at position "
                f"{expected.index(c) + 1})." for c in missing]
    problems += [f"{fname}: column {c!r} is not in the schema (a typo, or a column to declare in {PACKAGE_FILE})."
                 for c in extra]
    if not problems and header != expected:
        problems.append(f"{fname}: the columns are in a different order from the schema; expected: {', '.join(expected)}.")
    if problems:
        raise DataError("\n".join(problems))


_DTYPES = {"integer": "Int64", "number": "float64", "string": "string", "boolean": "boolean"}


def _mtime(folder: Path, res: dict) -> tuple[float, float]:
    return ((folder / res["path"]).stat().st_mtime_ns, (folder / PACKAGE_FILE).stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _load_cached(name: str, folder: str, stamp: tuple, check: bool) -> pd.DataFrame:
    folder_p = Path(folder)
    if check:
        validate(name, folder_p)
    res = schema(name, folder_p)
    dtypes = {f["name"]: _DTYPES.get(f["type"], "string") for f in res["schema"]["fields"]}
    frame = pd.read_csv(folder_p / res["path"], dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8")
    frame.attrs["source"] = str(folder_p / res["path"])
    frame.attrs["title"] = res.get("title", name)
    return frame


def load(name: str, path: str | os.PathLike | None = None, check: bool = True) -> pd.DataFrame:
    """Table ``name`` as a DataFrame with the schema's types, validated first (``check=False`` skips that).

    Results are cached until the file changes; a copy is returned, so callers may modify it freely.
    """
    folder = data_dir(path)
    res = schema(name, folder)
    csv_path = folder / res["path"]
    if not csv_path.is_file():
        raise DataError(f"{csv_path}: the file for table {name!r} is missing.")
    return _load_cached(name, str(folder), _mtime(folder, res), check).copy()


def load_all(path: str | os.PathLike | None = None, check: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of the data package, validated, by name."""
    return {name: load(name, path, check) for name in table_names(path)}


def evidence_checked_up_to(path: str | os.PathLike | None = None) -> str:
    """The one date up to which the course checked evidence published after the review (``datapackage.json``,
    ``evidence_checked_up_to``); every book page shows it."""
    value = _read_package(data_dir(path)).get("evidence_checked_up_to")
    if not value:
        raise DataError(f"{data_dir(path) / PACKAGE_FILE}: no 'evidence_checked_up_to' date is set.")
    return str(value)


def inventory(tables: dict[str, pd.DataFrame], path: str | os.PathLike | None = None) -> pd.DataFrame:
    """One row per table: its name, file, title, number of rows and of columns (for a course overview)."""
    rows = []
    for name, frame in tables.items():
        res = schema(name, path)
        rows.append({"table": name, "file": res["path"], "what it holds": res.get("title", ""),
                     "rows": len(frame), "columns": frame.shape[1]})
    return pd.DataFrame(rows)
