"""Small local Sphinx extension for the course site.

- Gives bibliography entries an ARIA role that list semantics allow.
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


def _aria_roles(app, pagename, templatename, context, doctree):
    """docutils marks citations role="doc-biblioentry" inside role="list": the role is deprecated and a list must
    hold list items (axe: aria-required-children, critical). Use role="listitem"."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _aria_roles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
