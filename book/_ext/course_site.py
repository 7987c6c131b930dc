"""Small local Sphinx extension for the course site.

- Removes duplicate <script> entries. sphinx-thebe registers its inline configuration on every
  ``env-before-read-docs``, so a rebuild that re-reads pages declares ``const THEBE_JS_URL`` twice and the
  browser reports a SyntaxError. One copy of each script is kept.
"""
from __future__ import annotations


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        # an inline script's filename is '' or None depending on who added it: treat both as the same
        name = js.filename if hasattr(js, "filename") else str(js)
        key = (name or "", tuple(sorted((getattr(js, "attributes", None) or {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
