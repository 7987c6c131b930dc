"""What a caller passes to a view or a live chart, checked before it is used, and answered in one plain sentence
when it cannot be used: which setting, what it needs, what it got. Nothing a learner types ends in a traceback.

:func:`answers_in_words` wraps a public view (which returns HTML) or live chart (which returns a chart). From the
function's signature it checks, before the call:

- ``tables``: the course tables as a dict of tables;
- a parameter annotated ``pd.DataFrame``: a table (:data:`TABLE_OF` names the course table each such name takes);
- ``float`` / ``int``: a finite number (not True/False); ``str``: text; ``... | None``: also None;
- a list parameter (``trials``, ``classes``, ``phases``, ``statuses``, ``options``): None, one name, or a list of
  names (one name is read as a list of one, so ``trials="CLEOPATRA"`` means CLEOPATRA, not C, L, E, ...).

Then it calls the function. A :class:`ValueError` the function raises is already a sentence in words (the compute
functions write them so) and is shown as it is; a ``KeyError`` (or a table row without the attribute asked for)
names the column that was missing, and the table that lacks it. Any other exception is a bug:
it is shown as :data:`UNEXPECTED` so the reader still gets a sentence, and the property test
(``tests/test_bad_input.py``) fails on that sentence, so the bug is found.
"""
from __future__ import annotations

import functools
import inspect
import math
import numbers
from collections.abc import Mapping

import pandas as pd


__all__ = ["answers_in_words", "describe", "TABLE_OF", "UNEXPECTED", "LIST_PARAMETERS"]

# a parameter's name -> the course table it takes
TABLE_OF = {"results": "trial_results", "outcomes": "other_outcomes", "drugs": "drugs", "errata": "errata",
            "references": "references", "nodes": "pathway_nodes", "edges": "pathway_edges",
            "drug_targets": "drug_targets", "ongoing": "ongoing_trials"}
LIST_PARAMETERS = ("trials", "classes", "phases", "statuses", "options")
UNEXPECTED = "could not be shown with these settings (a fault in the course code: please tell your teacher)"


class _Unusable(Exception):
    """Internal: an argument that cannot be used; its text is the sentence shown."""


def describe(value) -> str:
    """A value as a reader would name it, short."""
    if value is None:
        return "nothing (None)"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Real) and not math.isfinite(value):
        return "a missing number" if math.isnan(value) else "infinity"
    if isinstance(value, pd.DataFrame):
        return f"a table of {len(value)} rows"
    if isinstance(value, (str, numbers.Number)):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "...'"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, Mapping):
        return f"a dict of {len(value)} item(s)"
    return f"a {type(value).__name__} object"


def _check_table(frame, table: str | None, setting: str, what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        wanted = f"the {table} table" if table else "a table"
        raise _Unusable(f"The {what} needs {wanted} (a pandas DataFrame) for {setting}, not {describe(frame)}.")


def _check_tables(tables, what: str) -> None:
    if not isinstance(tables, Mapping):
        raise _Unusable(f"The {what} needs the course tables as a dict (use data.load_all()), not {describe(tables)}.")
    for name, frame in tables.items():
        if isinstance(name, str) and name in _KNOWN_TABLES():
            _check_table(frame, name, f"tables[{name!r}]", what)


@functools.lru_cache(maxsize=1)
def _KNOWN_TABLES() -> frozenset:
    from .data import table_names

    return frozenset(table_names())


def _as_names(value, setting: str, what: str):
    if value is None or isinstance(value, str):
        return value if value is None else [value]
    if isinstance(value, (list, tuple, set, frozenset, pd.Series)):
        bad = [v for v in value if not isinstance(v, str)]
        if bad:
            raise _Unusable(f"The {what} needs names (text) in {setting}, not {describe(bad[0])}.")
        return type(value)(value) if not isinstance(value, pd.Series) else list(value)
    raise _Unusable(f"The {what} needs one name or a list of names for {setting}, not {describe(value)}.")


def _check_scalar(value, hint: str, setting: str, what: str) -> None:
    optional = "None" in hint
    if value is None and optional:
        return
    kinds = {k.strip() for k in hint.split("|")} - {"None"}
    if kinds & {"float", "int"}:
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise _Unusable(f"The {what} needs a number for {setting}, not {describe(value)}.")
    elif kinds == {"str"} and not isinstance(value, str):
        raise _Unusable(f"The {what} needs a word or name (text) for {setting}, not {describe(value)}.")


def _check_arguments(fn, bound: inspect.BoundArguments, what: str) -> None:
    hints = fn.__annotations__  # strings: the modules use `from __future__ import annotations`
    for setting, value in list(bound.arguments.items()):
        hint = str(hints.get(setting, ""))
        if setting == "tables":
            _check_tables(value, what)
        elif "DataFrame" in hint:
            if value is None and "None" in hint:
                continue
            _check_table(value, TABLE_OF.get(setting), setting, what)
        elif setting in LIST_PARAMETERS:
            bound.arguments[setting] = _as_names(value, setting, what)
        elif hint:
            _check_scalar(value, hint, setting, what)


def _key_sentence(key, bound: inspect.BoundArguments, what: str) -> str:
    """Name the missing column and the table that lacks it: first a table whose course schema declares it."""
    frames = [(f"the table passed as {setting}", TABLE_OF.get(setting), v) for setting, v in bound.arguments.items()
              if isinstance(v, pd.DataFrame)]
    tables = bound.arguments.get("tables")
    if isinstance(tables, Mapping):
        frames += [(f"tables[{name!r}]", name, v) for name, v in tables.items() if isinstance(v, pd.DataFrame)]
    lacking = [(where, table) for where, table, frame in frames if key not in frame.columns]
    declared = [where for where, table in lacking if table in _KNOWN_TABLES() and key in _declared_columns(table)]
    for where in declared or [where for where, _ in lacking]:
        return f"The {what} needs a column {key!r} in {where}, and it has none."
    return f"The {what} cannot find {key!r} in what was passed in."


def _declared_columns(table: str) -> list[str]:
    from .data import schema

    return [f["name"] for f in schema(table)["schema"]["fields"]]


def answers_in_words(what: str, answer):
    """Decorator: check the arguments of a view or chart named ``what`` ("forest plot"); on input it cannot use,
    return ``answer(sentence)`` (a view's message HTML, a chart's message chart) instead of raising."""

    def wrap(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def checked(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                known = ", ".join(signature.parameters)
                return answer(f"The {what} takes these settings: {known}; "
                              f"{describe(list(kwargs) or list(args))} do not fit them.")
            try:
                _check_arguments(fn, bound, what)
                return fn(*bound.args, **bound.kwargs)
            except (_Unusable, ValueError) as exc:  # DataError is a ValueError: already a sentence in words
                return answer(str(exc))
            except KeyError as exc:
                return answer(_key_sentence(exc.args[0] if exc.args else "?", bound, what))
            except Exception as exc:
                if isinstance(exc, AttributeError) and type(exc.obj).__name__ == "Pandas":  # an itertuples() row
                    return answer(_key_sentence(exc.name, bound, what))  # without that column
                # a fault in the course code: still a sentence for the reader (the tests fail on it)
                return answer(f"The {what} {UNEXPECTED}.")

        return checked

    return wrap
