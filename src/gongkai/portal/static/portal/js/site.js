/* Reading aids: type size, 关怀版 toggle, print. Loaded from a file so a strict CSP can forbid inline script. */
(function () {
  "use strict";
  var root = document.documentElement;
  var MIN = -1, MAX = 3;

  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* storage blocked: keep for this page */ }
  }

  function currentSize() {
    var v = parseInt(root.getAttribute("data-font") || "0", 10);
    return isNaN(v) ? 0 : v;
  }

  function setSize(v) {
    v = Math.max(MIN, Math.min(MAX, v));
    if (v === 0) { root.removeAttribute("data-font"); } else { root.setAttribute("data-font", String(v)); }
    save("gk-font", String(v));
  }

  function syncCare(button) {
    var on = root.classList.contains("care");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "退出关怀版" : "关怀版";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var tools = document.querySelector("[data-tools]");
    if (tools) { tools.hidden = false; }
    document.querySelectorAll("[data-font]").forEach(function (b) {
      if (b.tagName !== "BUTTON") { return; }
      b.addEventListener("click", function () {
        var step = b.getAttribute("data-font");
        setSize(step === "up" ? currentSize() + 1 : step === "down" ? currentSize() - 1 : 0);
      });
    });
    document.querySelectorAll("[data-care]").forEach(function (b) {
      syncCare(b);
      b.addEventListener("click", function () {
        root.classList.toggle("care");
        save("gk-care", root.classList.contains("care") ? "1" : "0");
        syncCare(b);
      });
    });
    // Spreadsheet tables: a header becomes a button that sorts by its column (numbers as numbers).
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      var body = table.tBodies[0];
      table.querySelectorAll("thead th").forEach(function (th, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        th.setAttribute("aria-sort", "none");
        button.addEventListener("click", function () {
          var up = th.getAttribute("aria-sort") !== "ascending";
          table.querySelectorAll("thead th").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", up ? "ascending" : "descending");
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[index].textContent, y = b.cells[index].textContent;
            var nx = parseFloat(x), ny = parseFloat(y);
            var c = (!isNaN(nx) && !isNaN(ny) && String(nx) === x.trim() && String(ny) === y.trim())
              ? nx - ny : x.localeCompare(y, "zh-CN");
            return up ? c : -c;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
