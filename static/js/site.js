// Small enhancements; every page works without them.
// The header's menu is a <details> disclosure that works without script. From 64rem up the
// stylesheet shows it inline; browsers without ::details-content get it opened here.
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 64rem)");
  function follow() { menu.open = wide.matches; }
  follow();
  if (wide.addEventListener) wide.addEventListener("change", follow);
})();
