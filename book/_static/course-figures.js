/* Figures a reader can enlarge (course site).
   Every figure on a lesson page (an SVG image in a <figure>, or a live Vega chart) is fitted to its column; on a
   phone that makes its labels small. Each gets an "Enlarge figure" button (and a static figure opens on a click
   too): a modal dialog shows it at least at its own full size, wider when the window allows, scrolling when it is
   larger than the screen. Escape or the Close button returns, and focus goes back to the button. A live chart is
   moved into the dialog, not copied, so its controls keep working there. */
(function () {
  var dialog, body, current;

  function naturalWidth(el) {
    if (el.tagName === 'IMG') { return el.naturalWidth || el.width; }
    var vb = el.viewBox && el.viewBox.baseVal;
    return (vb && vb.width) || el.width.baseVal.value;
  }

  function make() {
    dialog = document.createElement('dialog');
    dialog.className = 'hrher2-zoom';
    dialog.setAttribute('aria-label', 'Enlarged figure');
    var bar = document.createElement('div');
    bar.className = 'hrher2-zoom-bar';
    var hint = document.createElement('span');
    hint.textContent = 'Enlarged figure: scroll to see all of it. Escape closes.';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'hrher2-zoom-close';
    close.textContent = 'Close';
    close.addEventListener('click', function () { dialog.close(); });
    bar.appendChild(hint);
    bar.appendChild(close);
    body = document.createElement('div');
    body.className = 'hrher2-zoom-body';
    dialog.appendChild(bar);
    dialog.appendChild(body);
    dialog.addEventListener('close', restore);
    document.body.appendChild(dialog);
  }

  function size(el) {
    // at least the figure's own size; as wide as the window allows, up to twice that
    var w = naturalWidth(el), room = window.innerWidth - 48;
    el.style.width = Math.round(Math.max(w, Math.min(room, 2 * w))) + 'px';
    el.style.maxWidth = 'none';
    el.style.height = 'auto';
  }

  function open(target, button) {
    if (!dialog) { make(); }
    body.innerHTML = '';
    if (target.classList.contains('hrher2-live')) {
      var view = target.querySelector('.vega-embed') || target.querySelector('.hrher2-live-view');
      current = { node: view, parent: view.parentNode, next: view.nextSibling, button: button };
      body.appendChild(view);
      var svg = view.querySelector('svg.marks');
      if (svg) { size(svg); }
    } else {
      var img = target.querySelector('img');
      var copy = img.cloneNode(true);
      copy.removeAttribute('style');
      body.appendChild(copy);
      var cap = target.querySelector('figcaption');
      if (cap) { body.appendChild(cap.cloneNode(true)); }
      size(copy);
      current = { button: button };
    }
    dialog.showModal();
    body.scrollTop = 0;
    body.scrollLeft = 0;
  }

  function restore() {
    if (!current) { return; }
    if (current.node) {
      var svg = current.node.querySelector('svg.marks');
      if (svg) { svg.style.width = ''; svg.style.maxWidth = ''; svg.style.height = ''; }
      current.parent.insertBefore(current.node, current.next);
    }
    body.innerHTML = '';
    if (current.button) { current.button.focus(); }
    current = null;
  }

  function addButton(target) {
    if (target.getAttribute('data-zoom')) { return; }
    target.setAttribute('data-zoom', 'ready');
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'hrher2-enlarge';
    button.setAttribute('aria-haspopup', 'dialog');
    button.textContent = 'Enlarge figure';
    button.addEventListener('click', function () { open(target, button); });
    if (target.classList.contains('hrher2-live')) {
      target.insertBefore(button, target.firstChild);
    } else {
      target.insertBefore(button, target.firstChild);
      var img = target.querySelector('img');
      img.classList.add('hrher2-zoomable');
      img.addEventListener('click', function () { open(target, button); });
    }
  }

  function scan() {
    document.querySelectorAll('main figure').forEach(function (fig) {
      var img = fig.querySelector('img');
      if (img && /^data:image\/svg\+xml/.test(img.getAttribute('src') || '')) { addButton(fig); }
    });
    document.querySelectorAll('main div.hrher2-live').forEach(function (box) {
      if (box.getAttribute('data-state') === 'ready') { addButton(box); }
    });
  }

  function start() {
    scan();
    // live charts say when they are drawn (data-state); widgets draw their figures after the page has loaded
    var pending = null;
    new MutationObserver(function () {
      if (pending) { clearTimeout(pending); }
      pending = setTimeout(function () { pending = null; scan(); }, 100);
    }).observe(document.body, { attributes: true, attributeFilter: ['data-state'], childList: true, subtree: true });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
