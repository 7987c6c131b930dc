/* Long text in a many-column table (a lesson's pandas table or a widget's evidence table) is squeezed by the browser
   to a word or two a line, and the table grows screens long. Give each cell of long text a minimum width, so it reads
   as a few lines of several words; a table that then outgrows the column scrolls sideways in its named box
   (course-a11y.js). Runs as the page and its widgets render. */
(function () {
  function widen(root) {
    root.querySelectorAll('main .cell_output table td, main .cell_output table th').forEach(function (cell) {
      if (cell.hasAttribute('data-hrher2-width')) { return; }
      var words = cell.textContent.trim().split(/\s+/).filter(Boolean).length;
      cell.setAttribute('data-hrher2-width', String(words));
      if (words >= 30) { cell.style.minWidth = '22em'; } else if (words >= 12) { cell.style.minWidth = '16em'; }
    });
  }
  function start() {
    widen(document);
    var pending = null;
    new MutationObserver(function () {
      if (pending) { clearTimeout(pending); }
      pending = setTimeout(function () { pending = null; widen(document); }, 100);
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
