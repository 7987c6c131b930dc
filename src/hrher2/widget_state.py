"""A notebook's saved widget state: which models the displayed views need.

A model refers to another as ``"IPY_MODEL_<id>"`` (children, layout, style) or, inside an Output widget's saved
outputs, as a widget view ``{"model_id": "<id>"}``. The book (``book/_ext/course_site.py``) and the slide decks and
handouts (``scripts/build_slides.py``) keep only what is reachable from the views they show, by this one rule.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable

__all__ = ["reachable_models", "prune_widget_state"]

_REF = re.compile(r'IPY_MODEL_([\w-]+)|"model_id": "([^"]+)"')


def reachable_models(models: dict, roots: Iterable[str]) -> set[str]:
    """Ids of the models reachable from ``roots`` (ids not in ``models`` are ignored)."""
    keep, todo = set(), list(roots)
    while todo:
        key = todo.pop()
        if key in keep or key not in models:
            continue
        keep.add(key)
        todo.extend(a or b for a, b in _REF.findall(json.dumps(models[key])))
    return keep


def prune_widget_state(state: dict, view_ids: Iterable[str]) -> dict:
    """The saved widget state (``{"state": {id: model}, ...}``) keeping only the models the views reach (pure)."""
    models = state.get("state", {})
    keep = reachable_models(models, view_ids)
    return {**state, "state": {k: v for k, v in models.items() if k in keep}}
