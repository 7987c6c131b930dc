/* Accessibility fixes for the course site's pages: sideways-scrolling boxes become named, focusable regions (also
   as live charts draw), and answer blocks open for printing. */
(function () {
  /* A box whose content is wider than the box scrolls sideways: make it a named, focusable region that says so
     (axe: scrollable-region-focusable), so keyboard and screen-reader users know there is more to the right. */
  function kindOf(box) {
    if (box.tagName === 'PRE' || box.querySelector('pre')) { return 'Code'; }
    if (box.querySelector('table') || box.tagName === 'TABLE') { return 'Table'; }
    if (box.querySelector('svg, canvas, img')) { return 'Figure'; }
    if (box.querySelector('select, input, button')) { return 'Controls'; }
    return 'Content';
  }
  var counts = {};
  function nameScrollBoxes() {
    var article = document.querySelector('.bd-article') || document.body;
    article.querySelectorAll('*').forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth + 1) { return; }
      var style = getComputedStyle(box).overflowX;
      if (style !== 'auto' && style !== 'scroll') { return; }
      var label = box.getAttribute('aria-label'), role = box.getAttribute('role');
      if (role === 'region' && label && box.tabIndex === 0) { return; }
      if (role && role !== 'region' && label) {
        /* already named with its own role (a Vega chart is a graphics-document): keep both, make it focusable */
        box.classList.add('hrher2-scrolls-x');
        box.setAttribute('tabindex', '0');
        return;
      }
      var what = kindOf(box);
      counts[what] = (counts[what] || 0) + 1;
      what += ' ' + counts[what];  /* each region's name is unique on the page (axe: landmark-unique) */
      var caption = box.querySelector('caption');
      if (caption && caption.textContent.trim()) { what += ': ' + caption.textContent.trim(); }
      box.classList.add('hrher2-scrolls-x');
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', (label ? label + ', ' : '') + what + ' (scrolls sideways)');
      box.setAttribute('tabindex', '0');
    });
  }
  var pending = null;
  function later() {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(function () { pending = null; nameScrollBoxes(); }, 150);
  }
  function start() {
    nameScrollBoxes();
    window.addEventListener('resize', later);
    window.addEventListener('load', later);
    new MutationObserver(function () { later(); })
      .observe(document.body, { childList: true, subtree: true });
  }
  // On paper every answer block is open (the reader cannot click it there); the closed ones close again afterwards.
  var openedForPrint = [];
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.open = true; openedForPrint.push(d); });
  });
  window.addEventListener('afterprint', function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
