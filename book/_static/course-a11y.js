/* Accessibility fixes for ipywidgets controls rendered on static pages (course site).
   ipywidgets draws a slider's handle as <div role="slider"> without a name, and its visible label is a separate
   element; give the handle the label's text so screen readers (and axe) can name it. Runs as widgets render. */
(function () {
  function nameSliders(root) {
    root.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider').forEach(function (slider) {
      var label = slider.querySelector('.widget-label');
      var text = label && label.textContent.trim();
      slider.querySelectorAll('[role="slider"]').forEach(function (handle) {
        if (!handle.getAttribute('aria-label') && !handle.getAttribute('aria-labelledby')) {
          handle.setAttribute('aria-label', text || 'slider');
        }
      });
    });
  }
  function start() {
    nameSliders(document);
    new MutationObserver(function () { nameSliders(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); } else { start(); }
})();
