"""Live (kernel-free) charts on the static book pages.

How a live chart gets to the page (the choice, and why):

- Lessons display :func:`hrher2.live.show` objects. Their output is a MIME bundle with the Vega-Lite spec under
  ``application/vnd.vegalite.v6+json`` (plus ``text/plain``). In JupyterLab the course's extension
  (``lab/extension/src/vegalite6.js``, installed by ``make setup``) draws that MIME type with the same Vega releases
  this page vendors, so the cell is one figure, drawn alike in both, with no internet. (Altair's default HTML renderer
  is never used: it loads Vega from a CDN.)
- MyST-NB does not render that MIME type, so this extension registers a MyST-NB MIME-render plugin for it, with a
  priority above HTML for the HTML builders. The plugin writes the spec into the page (``<script
  type="application/json">``) inside a ``div.hrher2-live`` and registers, for that page only, a small
  inline script that, when a chart comes near the view, loads the vendored
  ``vendor/vega/{vega,vega-lite,vega-embed}.min.js`` (copied from node_modules by scripts/vendor_js.py) and calls
  ``vegaEmbed`` on it. Pages without a live chart load none of it; a page whose charts are further down loads Vega
  only when the reader gets there (or prints).
"""
from __future__ import annotations

import hashlib
import html
import json

from docutils import nodes

from hrher2.live import VEGALITE_MIME  # defined once, where the charts are made

VEGA_JS = ("vendor/vega/vega.min.js", "vendor/vega/vega-lite.min.js", "vendor/vega/vega-embed.min.js")

#: Drawing on approach. The Vega stack (~260 kB compressed, the page's costliest script to start on a phone) is not
#: in the page's head: this script loads it, once, when the first chart comes within about a screen of the view
#: (IntersectionObserver), and draws each chart as it comes near; before printing it draws them all
#: (``window.hrher2DrawLive()`` returns a promise for that: scripts/build_pdf.py waits on it). Until a chart is
#: drawn its box shows the chart's description, which is also what a print made before it is drawn carries.
_RENDER_JS = r"""
(function () {
  var SOURCES = %(sources)s;
  var loading = null;
  function load() {
    if (loading) { return loading; }
    var root = document.documentElement.getAttribute('data-content_root') || '';
    loading = SOURCES.reduce(function (chain, src) {
      return chain.then(function () {
        return new Promise(function (resolve, reject) {
          var tag = document.createElement('script');
          tag.src = root + '_static/' + src;
          tag.onload = resolve;
          tag.onerror = function () { reject(new Error('could not load ' + src)); };
          document.head.appendChild(tag);
        });
      });
    }, Promise.resolve());
    return loading;
  }
  function draw(box) {
    if (box.hrher2Drawn) { return box.hrher2Drawn; }
    var view = box.querySelector('.hrher2-live-view');
    box.setAttribute('data-state', 'loading');
    box.hrher2Drawn = load().then(function () {
      if (typeof vegaEmbed !== 'function') { throw new Error('no vegaEmbed'); }
    }).then(function () {
      var spec = JSON.parse(box.querySelector('script.hrher2-live-spec').textContent);
      var options = JSON.parse(box.getAttribute('data-embed') || '{}');
      box.setAttribute('data-state', 'drawing');
      return vegaEmbed(view, spec, options).then(function (result) {
        window.hrher2Live = window.hrher2Live || {};
        window.hrher2Live[box.id] = result.view;
        box.setAttribute('data-state', 'ready');
      }, function (err) {
        box.setAttribute('data-state', 'failed');
        view.textContent = 'This live chart could not be drawn: ' + err.message;
        console.error(err);
      });
    }, function () {
      box.setAttribute('data-state', 'failed');
      view.textContent = 'This live chart could not load its drawing library.';
    });
    return box.hrher2Drawn;
  }
  function boxes() { return Array.prototype.slice.call(document.querySelectorAll('div.hrher2-live')); }
  window.hrher2DrawLive = function () { return Promise.all(boxes().map(draw)); };
  function start() {
    if (!('IntersectionObserver' in window)) { window.hrher2DrawLive(); return; }
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { near.unobserve(entry.target); draw(entry.target); }
      });
    }, {rootMargin: '100%% 0px'});
    boxes().forEach(function (box) { near.observe(box); });
    window.addEventListener('beforeprint', window.hrher2DrawLive);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
""" % {"sources": json.dumps(list(VEGA_JS))}

_STYLE = """<style>
.hrher2-live .vega-embed{display:flex;flex-direction:column}
.hrher2-live .vega-bindings{order:-1;display:flex;flex-wrap:wrap;gap:.25rem 1.2rem;margin:.5rem 0;font-size:.9rem}
.hrher2-live .vega-bind-name{font-weight:600;margin-right:.3rem}
.hrher2-live .vega-bind input[type=range]{vertical-align:middle}
.hrher2-live .hrher2-live-view{max-width:100%}
.hrher2-live[data-state=ready] .hrher2-live-pending{display:none}
.hrher2-live-pending{font-size:.9rem;color:var(--pst-color-text-muted,#555);margin:.4rem 0}
</style>"""


def _pending(spec: dict) -> str:
    """What a chart's box says until the chart is drawn (and on paper, if printed before): what the chart shows."""
    said = str(spec.get("description", "")).strip().rstrip(".")
    return f"Live chart: {said}. It is drawn when it comes into view." if said else "Live chart: drawn when it comes into view."


class LiveChartMime:
    """MyST-NB MIME-render plugin: a Vega-Lite spec becomes a div that the vendored vega-embed draws."""

    mime_priority_overrides = [(builder, VEGALITE_MIME, 5) for builder in ("html", "dirhtml", "singlehtml")]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != VEGALITE_MIME:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        meta = (data.output_metadata or {}).get(data.mime_type, {})
        embed = {"actions": False, "renderer": "svg", **(meta.get("embed_options") or {})}
        text = json.dumps(spec, separators=(",", ":"), ensure_ascii=False)
        uid = "live-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        lead = meta.get("lead", "")
        lead_html = f'<p class="hrher2-live-lead"><em>{html.escape(lead)}</em></p>' if lead else ""
        body = (f'{_STYLE}<div class="hrher2-live" id="{uid}" data-embed="{html.escape(json.dumps(embed))}">'
                f'{lead_html}<p class="hrher2-live-pending">{html.escape(_pending(spec))}</p>'
                '<div class="hrher2-live-view"></div>'
                f'<script type="application/json" class="hrher2-live-spec">{text.replace("</", "<" + chr(92) + "/")}'
                "</script></div>")
        renderer.add_js_file("hrher2_live", None, {"body": _RENDER_JS})  # it loads VEGA_JS when a chart is near
        return [nodes.raw(text=body, format="html", classes=["output", "live-chart"])]


def setup(app):
    from myst_nb.core import render

    plugins = render.load_mime_renders()  # the cached list MyST-NB consults: register the plugin once
    if LiveChartMime not in plugins:
        plugins.append(LiveChartMime)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
