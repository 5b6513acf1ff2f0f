// Sonde report: filters, sort and pages for the case table. Plain DOM, no data of its own: it reads
// the data-* attributes the server wrote. State lives in the URL hash (#failed=1&model=m&check=t&sort=k&page=n)
// so a filtered view can be linked. Without this script every row shows, unsorted.
(function () {
  "use strict";
  var PAGE = 50;
  var table = document.getElementById("cases");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr.case"));
  var failed = document.getElementById("f-failed");
  var model = document.getElementById("f-model");
  var check = document.getElementById("f-check");
  var sort = document.getElementById("f-sort");
  var count = document.getElementById("f-count");
  var prev = document.getElementById("f-prev");
  var next = document.getElementById("f-next");
  var page = 0;

  function readHash() {
    var state = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var i = pair.indexOf("=");
      if (i > 0) { state[decodeURIComponent(pair.slice(0, i))] = decodeURIComponent(pair.slice(i + 1)); }
    });
    failed.checked = state.failed === "1";
    setSelect(model, state.model || "");
    setSelect(check, state.check || "");
    setSelect(sort, state.sort || "order");
    page = Math.max(0, parseInt(state.page || "1", 10) - 1 || 0);
  }

  function setSelect(select, value) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.selectedIndex = i; return; }
    }
    select.selectedIndex = 0;
  }

  function writeHash() {
    var parts = [];
    if (failed.checked) { parts.push("failed=1"); }
    if (model.value) { parts.push("model=" + encodeURIComponent(model.value)); }
    if (check.value) { parts.push("check=" + encodeURIComponent(check.value)); }
    if (sort.value !== "order") { parts.push("sort=" + encodeURIComponent(sort.value)); }
    if (page > 0) { parts.push("page=" + (page + 1)); }
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
  }

  function words(row, name) {
    var v = row.getAttribute("data-" + name);
    return v ? v.split(" ") : [];
  }

  function matches(row) {
    var m = model.value;
    var c = check.value;
    if (failed.checked) {
      if (row.getAttribute("data-status") === "passed") { return false; }
      if (m && words(row, "failed-models").indexOf(m) < 0) { return false; }
      if (c && words(row, "failed-checks").indexOf(c) < 0) { return false; }
    }
    if (c && words(row, "checks").indexOf(c) < 0) { return false; }
    if (m && row.querySelector('td.cell[data-model="' + cssEscape(m) + '"][data-present="true"]') === null) {
      return false;
    }
    return true;
  }

  function cssEscape(s) {
    return s.replace(/["\\]/g, "\\$&");
  }

  var KEYS = {
    order: function (r) { return +r.getAttribute("data-order"); },
    severity: function (r) { return -(+r.getAttribute("data-severity")); },
    "case": function (r) { return r.getAttribute("data-case"); },
    ttft: function (r) { return -(+r.getAttribute("data-ttft")); },
    cost: function (r) { return -(+r.getAttribute("data-cost")); }
  };

  function apply() {
    var key = KEYS[sort.value] || KEYS.order;
    var shown = rows.filter(matches);
    shown.sort(function (a, b) {
      var ka = key(a), kb = key(b);
      if (ka < kb) { return -1; }
      if (ka > kb) { return 1; }
      return (+a.getAttribute("data-order")) - (+b.getAttribute("data-order"));
    });
    var pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    rows.forEach(function (r) { r.hidden = true; });
    var from = page * PAGE;
    var visible = shown.slice(from, from + PAGE);
    visible.forEach(function (r) { r.hidden = false; body.appendChild(r); });
    var empty = document.getElementById("f-empty");
    empty.hidden = shown.length > 0;
    var cols = table.querySelectorAll("[data-model]");
    for (var i = 0; i < cols.length; i++) {
      cols[i].hidden = !!model.value && cols[i].getAttribute("data-model") !== model.value;
    }
    count.textContent = shown.length === 0 ? "No case matches these filters."
        : "Showing " + (from + 1) + "–" + (from + visible.length) + " of " + shown.length + " case"
          + (shown.length === 1 ? "" : "s") + (shown.length < rows.length ? " (of " + rows.length + ")" : "");
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    table.setAttribute("data-visible-rows", String(visible.length));
    table.setAttribute("data-matching-rows", String(shown.length));
  }

  function changed() { page = 0; writeHash(); apply(); }
  [failed, model, check, sort].forEach(function (el) { el.addEventListener("change", changed); });
  prev.addEventListener("click", function () { page = Math.max(0, page - 1); writeHash(); apply(); });
  next.addEventListener("click", function () { page += 1; writeHash(); apply(); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  document.getElementById("f-controls").hidden = false;
  readHash();
  apply();
})();
