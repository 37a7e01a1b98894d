/* Runs in <head> before first paint: re-applies the reader's choices (关怀版, type size) on every page. */
(function () {
  "use strict";
  var root = document.documentElement;
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  // A QR code on a village notice board can link straight into 关怀版 with ?care=1.
  if (/[?&]care=1(&|$)/.test(window.location.search) && store) {
    try { store.setItem("gk-care", "1"); } catch (e) { /* private mode: apply for this page only */ }
    root.classList.add("care");
  }
  if (store && store.getItem("gk-care") === "1") { root.classList.add("care"); }
  var size = store ? parseInt(store.getItem("gk-font") || "0", 10) : 0;
  if (size >= -1 && size <= 3 && size !== 0) { root.setAttribute("data-font", String(size)); }
})();
