// JupyterLab draws the course's live charts with the Vega-Lite they were written for.
//
// hrher2.live.show emits an Altair chart as a Vega-Lite 6 spec under application/vnd.vegalite.v6+json. JupyterLab
// itself renders only the v5 MIME type (with Vega-Lite 5), so this MIME renderer draws v6 with the same Vega 6,
// Vega-Lite 6 and vega-embed 7 releases the book vendors (package.json pins them to the root package.json's), so a
// chart looks and behaves the same in both. The Vega code is a separate chunk, loaded when the first chart is drawn.
// Options come from the output's metadata (embed_options), as for JupyterLab's own Vega renderer; the chart's own
// bindings (sliders, menus, radio buttons) keep their arrow keys through deploy/lab/overrides.json.
import { Widget } from '@lumino/widgets';

export const MIME_TYPE = 'application/vnd.vegalite.v6+json';
const CLASS = 'hrher2-RenderedVegaLite6';

class RenderedVegaLite6 extends Widget {
  constructor(options) {
    super();
    this._mimeType = options.mimeType;
    this._result = null;
    this.addClass(CLASS);
  }

  async renderModel(model) {
    const spec = JSON.parse(JSON.stringify(model.data[this._mimeType]));
    const meta = (model.metadata && model.metadata[this._mimeType]) || {};
    const options = { ...(meta.embed_options || {}), actions: false, renderer: 'svg', mode: 'vega-lite' };
    const { default: embed } = await import(/* webpackChunkName: "vega" */ 'vega-embed');
    if (this._result) {
      this._result.finalize();
      this.node.textContent = '';
    }
    try {
      this._result = await embed(this.node, spec, options);
    } catch (err) {
      this._result = null;
      const note = document.createElement('p');
      note.setAttribute('role', 'alert');
      note.textContent = 'This live chart could not be drawn: ' + (err && err.message ? err.message : err);
      this.node.replaceChildren(note);
    }
  }

  dispose() {
    if (this._result) {
      this._result.finalize();
      this._result = null;
    }
    super.dispose();
  }
}

export const rendererFactory = {
  safe: true,
  mimeTypes: [MIME_TYPE],
  createRenderer: (options) => new RenderedVegaLite6(options)
};

export default {
  id: 'hrher2-lab:vegalite6',
  rendererFactory,
  rank: 57,
  dataFileTypes: []
};
