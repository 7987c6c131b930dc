"""Local Sphinx extension: the book's pages open fast on a phone on a slow connection (issue: Lighthouse mobile).

What a phone must fetch and work through before it can show a lesson's text is kept to the minimum:

- **Scripts** (``defer_scripts``, on each page): every script file a page loads is deferred, except
  ``documentation_options.js``, which an inline script in the head uses at once (``RENDER_BLOCKING_ALLOWED``). The
  theme's and the course's scripts all start on DOMContentLoaded, which deferred scripts still precede, in order.
  The search page is left as Sphinx writes it. (``book/_templates/layout.html`` leaves the search scripts and the
  search index out of every other page; ``live_charts`` loads Vega only when a chart comes near; the widgets need
  no script at all.)
- **Figures** (``lazy_figures``, on each page): a page's figure images after the first load as the reader nears
  them, each with its size set so that nothing shifts.
- **Stylesheets** (``bundle_stylesheets``, after the build): a page's local stylesheets (the theme's, the
  extensions' and the course's, in their order) become one file, ``_static/styles/course-bundle-<hash>.css``: one
  request before the first paint instead of fourteen; and the theme's preloads of its deferred scripts go, so that
  nothing competes with the stylesheet for the connection. The bundle leaves out the rules no page of the book can use
  (``prune_css``): a rule is dropped only when each of its selectors names a class that appears in no page and in no
  script the site ships (so classes that scripts add, like Bootstrap's ``show``, are kept); rules inside ``:not()``,
  ``:is()`` and the like, element and attribute selectors, and every at-rule but ``@media``/``@supports``/``@layer``
  (which are pruned inside) are kept as they are. Font Awesome's 2,000 icon classes and Bootstrap's utilities are
  most of what goes; and Font Awesome's fonts are cut down to the icons kept (``subset_icon_fonts``).

Measured with ``benchmarks/lighthouse.py`` (``make bench``); ``tests/test_phone_load.py`` keeps what is not a timing.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

#: The one theme script a page must run before its text is drawn: an inline script in the head sets
#: ``DOCUMENTATION_OPTIONS.pagename`` right after it. Every other script file of a page loads deferred.
RENDER_BLOCKING_ALLOWED = ("documentation_options.js",)


def defer_scripts(scripts: list) -> list:
    """The page's script files with every one that would block the first paint (an external script that is neither
    ``async`` nor ``defer``, other than RENDER_BLOCKING_ALLOWED) made ``defer``: they still run in their order, after
    the page is parsed and before DOMContentLoaded, which is when the theme's and the course's scripts start (pure)."""
    out = []
    for js in scripts:
        attrs = getattr(js, "attributes", None)
        name = getattr(js, "filename", None) or ""
        blocking = (attrs is not None and name and not attrs.get("body") and "async" not in attrs
                    and "defer" not in attrs and attrs.get("type", "text/javascript") == "text/javascript"
                    and not name.split("?")[0].endswith(RENDER_BLOCKING_ALLOWED))
        out.append(type(js)(name, priority=js.priority, **{**attrs, "defer": "defer"}) if blocking else js)
    return out


_DATA_IMG = re.compile(r'<img (?=[^>]*\bsrc="data:image/svg\+xml,)[^>]*>')
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)(pt|px)?"[^>]*?\bheight="([\d.]+)(pt|px)?"')


def lazy_figures(body: str) -> str:
    """Every figure image of a page after its first is fetched and drawn only as the reader nears it
    (``loading="lazy"``, ``decoding="async"``): a lesson's figures are inline SVGs, and drawing them all at once was
    most of a long lesson's start-up work on a phone. Each gets its own width and height (from the SVG), so its box
    is the right shape before it is drawn and nothing moves when it is (pure)."""
    from urllib.parse import unquote

    seen = 0

    def repl(m):
        nonlocal seen
        tag = m.group(0)
        seen += 1
        if seen == 1 or " loading=" in tag:
            return tag
        src = re.search(r'src="data:image/svg\+xml,([^"]{0,2000})', tag)
        size = _SVG_SIZE.search(unquote(src.group(1))) if src else None
        extra = ' loading="lazy" decoding="async"'
        if size:
            scale = 4 / 3 if size.group(2) == "pt" else 1  # 1 pt = 4/3 CSS px
            extra += f' width="{round(float(size.group(1)) * scale)}" height="{round(float(size.group(3)) * scale)}"'
        return tag[:4] + extra + tag[4:]

    return _DATA_IMG.sub(repl, body)


def _lazy_figures(app, pagename, templatename, context, doctree):
    if context.get("body") and "data:image/svg+xml," in context["body"]:
        context["body"] = lazy_figures(context["body"])


def _defer_scripts(app, pagename, templatename, context, doctree):
    if pagename != "search" and context.get("script_files"):  # the search page runs as Sphinx wrote it
        context["script_files"] = defer_scripts(context["script_files"])


_STYLESHEET = re.compile(r'[ \t]*<link\b(?=[^>]*\brel="stylesheet")[^>]*\bhref="([^"]+)"[^>]*>\n?')
#: The theme preloads its two (deferred) scripts: on a slow connection they then compete with the stylesheet and the
#: page for the first paint, and they are found in the head at once anyway.
_SCRIPT_PRELOAD = re.compile(r'[ \t]*<link rel="preload" as="script" href="[^"]*"\s*/?>\n?')
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]([^'"]+)['"]\s*\)?\s*;""")
_CSS_DROP = re.compile(r'@charset\s+"[^"]*"\s*;|/\*#\s*sourceMappingURL=[^*]*\*/')


def _local(url: str) -> bool:
    return not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#)", url, re.I)


def css_for_bundle(path: Path, bundle_dir: Path, seen: frozenset = frozenset()) -> str:
    """One stylesheet's text as it must read from ``bundle_dir``: its relative url()s re-pointed, its @imports
    inlined (in place, as the browser would apply them), @charset and source-map comments dropped."""
    text = path.read_text(encoding="utf-8")

    def imported(m):
        target = (path.parent / m.group(1)).resolve()
        if not _local(m.group(1)) or target in seen or not target.is_file():
            return m.group(0)
        return css_for_bundle(target, bundle_dir, seen | {path.resolve()})

    def url(m):
        target = m.group(2).strip()
        if not _local(target):
            return m.group(0)
        rel = os.path.relpath((path.parent / target).resolve(), bundle_dir.resolve()).replace(os.sep, "/")
        return f'url("{rel}")'

    text = _CSS_IMPORT.sub(imported, _CSS_DROP.sub("", text))
    return _CSS_URL.sub(url, text)


BUNDLE_HEAD = '@charset "UTF-8";\n/* course bundle of: '
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_SRC = re.compile(r'src:\s*[^;}]*url\("([^"]+\.ttf)"\)[^;}]*')
_CONTENT = re.compile(r'content:\s*"([^"]*)"')


def subset_icon_fonts(css: str, styles: Path) -> str:
    """The icon fonts cut down to the icons the bundle still has rules for: each @font-face with a TrueType source
    (Font Awesome's three) gets a WOFF file holding only the glyphs that the kept rules' ``content`` strings name,
    written beside the original as ``<name>.subset-<hash>.woff`` (the hash of the source and the glyphs, so the same
    build writes the same file), and its ``src`` points there only. Font Awesome's solid font goes from 153 kB to a
    few kB. A face whose source is missing is left as it is."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = sorted({ord(ch) for text in _CONTENT.findall(css) for ch in text if ord(ch) > 0x7F})

    def face(m):
        block = m.group(0)
        src = _FONT_SRC.search(block)
        if not src or not wanted:
            return block
        ttf = (styles / src.group(1)).resolve()
        if not ttf.is_file():
            return block
        data = ttf.read_bytes()
        digest = hashlib.sha1(data + repr(wanted).encode()).hexdigest()[:10]
        out = ttf.with_name(f"{ttf.stem}.subset-{digest}.woff")
        if not out.exists():
            font = TTFont(io.BytesIO(data), recalcTimestamp=False)
            options = subset.Options()
            options.flavor = "woff"
            sub = subset.Subsetter(options)
            sub.populate(unicodes=wanted)
            sub.subset(font)
            font.flavor = "woff"
            font.save(str(out))
        rel = os.path.relpath(out, styles.resolve()).replace(os.sep, "/")
        return block[:src.start()] + f'src:url("{rel}") format("woff")' + block[src.end():]

    return _FONT_FACE.sub(face, css)


def bundle_text(files: list[Path], styles: Path, vocabulary: set[str], outdir: Path) -> str:
    """The bundle of ``files`` (in order) as it reads from ``styles``: it names the files (from the site's root) in
    a comment, then holds their rules, re-pointed, with the ones no page can use left out, and the icon fonts cut
    down to the icons kept (pure but for reading the files and writing the cut-down fonts)."""
    named = ", ".join(f.relative_to(outdir.resolve()).as_posix() for f in files)
    rules = prune_css("\n".join(css_for_bundle(f, styles) for f in files), vocabulary)
    return BUNDLE_HEAD + named + " */\n" + subset_icon_fonts(rules, styles)


def bundle_stylesheets(outdir: Path) -> dict:
    """After the build: every page's local stylesheets (the theme's, the extensions' and the course's, in their
    order) become one file, ``_static/styles/course-bundle-<hash>.css``, linked where the first of them was. A phone
    on a slow connection then makes one request before it can draw the text, not fourteen. Returns {bundle: pages}."""
    bundles: dict[str, list[str]] = {}
    made: dict[tuple, str] = {}
    styles = outdir / "_static" / "styles"
    vocabulary = class_vocabulary(outdir)
    for page in sorted(outdir.rglob("*.html")):
        rel = page.relative_to(outdir)
        if rel.parts[0] in ("_static", "_sources", "_images"):
            continue
        text = page.read_text(encoding="utf-8")
        head = text.find("</head>")
        found = [m for m in _STYLESHEET.finditer(text, 0, head if head > 0 else len(text))
                 if _local(m.group(1)) and " media=" not in m.group(0)]
        files = [(page.parent / m.group(1).split("?")[0]).resolve() for m in found]
        if len(found) < 2 or not all(f.is_file() for f in files):
            continue
        key = tuple(files)
        if key not in made:
            made[key] = bundle_text(files, styles, vocabulary, outdir)
        body = made[key]
        name = f"course-bundle-{hashlib.sha1(body.encode('utf-8')).hexdigest()[:12]}.css"
        if name not in bundles:
            (styles / name).write_text(body, encoding="utf-8")
            bundles[name] = []
        href = os.path.relpath(styles / name, page.parent).replace(os.sep, "/")
        first = found[0]
        out, at = [text[:first.start()], f'<link rel="stylesheet" type="text/css" href="{href}" />\n'], first.end()
        for m in found[1:]:
            out.append(text[at:m.start()])
            at = m.end()
        out.append(text[at:])
        page.write_text(_SCRIPT_PRELOAD.sub("", "".join(out)), encoding="utf-8")
        bundles[name].append(rel.as_posix())
    return bundles


def _bundle_stylesheets(app, exception):
    if exception is None and app.builder.format == "html":
        bundles = bundle_stylesheets(Path(app.outdir))
        pages = sum(len(v) for v in bundles.values())
        from sphinx.util import logging

        logging.getLogger(__name__).info(f"fast_pages: {pages} pages share {len(bundles)} stylesheet bundle(s)")


_CLASS_WORD = re.compile(r"-?[A-Za-z_][\w-]*")
_IN_PARENS = re.compile(r"\([^()]*\)")
_IN_BRACKETS = re.compile(r"\[[^\]]*\]")
_SELECTOR_CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")


def class_vocabulary(outdir: Path) -> set[str]:
    """Every word that could be a class on a page of the built book: each word of every class attribute of every page,
    and every word in every script the site ships, in a file or in a page (classes that scripts add, toggle or build
    appear there as text)."""
    words: set[str] = set()
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for attr in re.findall(r'class\s*=\s*"([^"]*)"|class\s*=\s*\'([^\']*)\'', text):
            words.update((attr[0] or attr[1]).split())
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.S):  # a page's own scripts (quiz.js)
            words.update(_CLASS_WORD.findall(script))
    for script in (outdir / "_static").rglob("*.js"):
        words.update(_CLASS_WORD.findall(script.read_text(encoding="utf-8", errors="ignore")))
    return words


def selector_may_match(selector: str, vocabulary: set[str]) -> bool:
    """False only when the selector names (outside any :not()/:is()/... and any [attribute]) a class that is in no
    page and no script: it can then match nothing on this site."""
    plain = selector
    while _IN_PARENS.search(plain):
        plain = _IN_PARENS.sub("", plain)
    plain = _IN_BRACKETS.sub("", plain)
    return all(name in vocabulary for name in _SELECTOR_CLASS.findall(plain))


def prune_css(text: str, vocabulary: set[str]) -> str:
    """The stylesheet without the rules whose every selector can match nothing (``selector_may_match``)."""
    import tinycss2

    def prune(rules):
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors = [s.strip() for s in _split_selectors(tinycss2.serialize(rule.prelude))]
                keep = [s for s in selectors if selector_may_match(s, vocabulary)]
                if not keep:
                    continue
                out.append(", ".join(keep) + " {" + tinycss2.serialize(rule.content) + "}")
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer") and rule.content:
                inner = prune(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
                if inner:
                    out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
            elif rule.type == "at-rule":
                out.append(tinycss2.serialize([rule]))
        return out

    sheet = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    return "\n".join(prune(sheet)) + "\n"


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside parentheses or brackets)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p for p in parts if p.strip()]


def setup(app):
    app.connect("html-page-context", _defer_scripts, priority=904)
    app.connect("html-page-context", _lazy_figures, priority=905)  # after the widgets are drawn (course_site)
    app.connect("build-finished", _bundle_stylesheets, priority=900)  # after the theme rewrites pygments.css
    return {"parallel_read_safe": True, "parallel_write_safe": True}
