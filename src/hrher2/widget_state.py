"""A notebook's saved widget state: which models the displayed views need.

A model refers to another as ``"IPY_MODEL_<id>"`` (children, layout, style) or, inside an Output widget's saved
outputs, as a widget view ``{"model_id": "<id>"}``. The slide decks (``scripts/build_slides.py``) keep only what is
reachable from the views they show, by this one rule.

A view can also be drawn from the saved state with no script at all (:func:`static_widget_html`): HTML and output
widgets as they are, each control as its setting in words. The book's pages (``book/_ext/course_site.py``) and the
handouts (``scripts/build_handouts.py``) show widgets that way: without a kernel a control cannot change anything, so
a page shows the default view and says which settings it is for, and loads no widget manager.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

__all__ = ["reachable_models", "prune_widget_state", "static_widget_html", "static_widget_page_html"]

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


SELECTION = {"DropdownModel", "RadioButtonsModel", "ToggleButtonsModel", "SelectModel", "SelectionSliderModel",
             "SelectionRangeSliderModel", "SelectMultipleModel"}
VALUE_CONTROLS = {"IntSliderModel", "FloatSliderModel", "FloatLogSliderModel", "IntRangeSliderModel",
                  "FloatRangeSliderModel", "BoundedIntTextModel", "BoundedFloatTextModel", "IntTextModel",
                  "FloatTextModel", "TextModel", "TextareaModel", "ComboboxModel", "DatePickerModel"}
BOOLEAN_CONTROLS = {"CheckboxModel", "ToggleButtonModel"}
BOXES = {"VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel", "AccordionModel", "TabModel", "StackModel"}


def _selected(s: dict) -> str:
    labels = s.get("_options_labels", [])
    index = s.get("index")
    if isinstance(index, list):
        return ", ".join(labels[i] for i in index if isinstance(i, int) and 0 <= i < len(labels)) or "none"
    if isinstance(index, int) and 0 <= index < len(labels):
        return labels[index]
    return "none"


def _output_html(outputs: list) -> str:
    parts = []
    for out in outputs:
        data = out.get("data", {})
        if "text/html" in data:
            value = data["text/html"]
            parts.append(value if isinstance(value, str) else "".join(value))
        elif "image/png" in data:
            parts.append(f'<img src="data:image/png;base64,{data["image/png"]}" alt="figure">')
        elif out.get("output_type") == "stream" or "text/plain" in data:
            text = out.get("text") or data.get("text/plain", "")
            parts.append(f"<pre>{html.escape(text if isinstance(text, str) else ''.join(text))}</pre>")
    return "".join(parts)


def static_widget_html(model_id: str, state: dict, depth: int = 0) -> tuple[str, list[str]]:
    """A widget view drawn from the saved widget state, with no script: HTML and output widgets as they are,
    controls as their settings. Returns (html for the content, ["Label: value", ...] for the controls)."""
    model = state.get(model_id)
    if model is None or depth > 30:
        return "", []
    name = model.get("model_name", "")
    s = model.get("state", {})
    label = (s.get("description") or "").strip().rstrip(":")
    if name in BOXES:
        parts, settings = [], []
        for child in s.get("children", []):
            body, sets = static_widget_html(str(child).removeprefix("IPY_MODEL_"), state, depth + 1)
            parts.append(body)
            settings.extend(sets)
        return "".join(parts), settings
    if name in ("HTMLModel", "HTMLMathModel"):
        return str(s.get("value", "")), []
    if name == "LabelModel":
        return f"<p>{html.escape(str(s.get('value', '')))}</p>", []
    if name == "OutputModel":
        return _output_html(s.get("outputs", [])), []
    if name in SELECTION:
        return "", [f"{label or 'Choice'}: {_selected(s)}"]
    if name in VALUE_CONTROLS:
        value = s.get("value")
        value = " to ".join(map(str, value)) if isinstance(value, list) else value
        if value is None or str(value).strip() == "":
            value = "(empty)"  # a text box left blank: say so, rather than print nothing after the label
        return "", [f"{label or 'Value'}: {value}"]
    if name in BOOLEAN_CONTROLS:
        return "", [f"{label or 'Option'}: {'on' if s.get('value') else 'off'}"]
    return "", []  # buttons, layouts, styles, anything unknown


def static_widget_page_html(model_id: str, state: dict) -> str:
    """One widget view as a page shows it without a kernel: a "Shown for" line naming the settings of its controls,
    then its content; "" when the view shows nothing without a kernel (pure)."""
    body, settings = static_widget_html(model_id, state)
    if not body and not settings:
        return ""
    shown = ""
    if settings:
        shown = '<p class="widget-settings">Shown for: ' + " · ".join(html.escape(x) for x in settings) + "</p>"
    return f'<div class="static-widget">{shown}{body}</div>'
