// The dataset browser: filter the rendered table by place, indicator, kind, measure and year, and sort it.
// Hand-written and dependency-free. The filter is read from and written to the URL's query
// (data.html?geo=suzhou&kind=target), so a filtered view can be bookmarked or linked from another page.
(function () {
  "use strict";
  var table = document.getElementById("obs");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var count = document.getElementById("count");

  function apply() {
    var want = {};
    selects.forEach(function (s) { if (s.value) want[s.dataset.filter] = s.value; });
    var shown = 0;
    rows.forEach(function (r) {
      var ok = Object.keys(want).every(function (k) { return r.dataset[k] === want[k]; });
      r.hidden = !ok;
      if (ok) shown += 1;
    });
    if (count) count.textContent = String(shown);
    return want;
  }

  function writeUrl(want, sort) {
    var q = new URLSearchParams(want);
    if (sort) { q.set("sort", sort.key); q.set("dir", sort.dir); }
    var s = q.toString();
    try { history.replaceState(null, "", s ? "?" + s : location.pathname); } catch (e) { /* file:// may refuse */ }
  }

  // Set a menu's choice and reflect it in the markup (the option's selected attribute), so that the page as
  // saved or printed, and `chromium --dump-dom`, show the view the reader is looking at.
  function choose(select, value) {
    Array.prototype.forEach.call(select.options, function (o) { o.defaultSelected = o.value === value; });
    select.value = value;
  }

  var current = null;
  function sortBy(key, dir) {
    var num = key === "year" || key === "value";
    var sorted = rows.slice().sort(function (a, b) {
      var x = a.dataset["s" + key] || "", y = b.dataset["s" + key] || "";
      var c = num ? (parseFloat(x || "NaN") - parseFloat(y || "NaN")) : x.localeCompare(y, "zh");
      if (isNaN(c)) c = x === "" ? 1 : (y === "" ? -1 : 0);
      return dir === "asc" ? c : -c;
    });
    sorted.forEach(function (r) { body.appendChild(r); });
    document.querySelectorAll("button.sort").forEach(function (b) {
      if (b.dataset.key === key) b.dataset.dir = dir; else delete b.dataset.dir;
    });
    current = { key: key, dir: dir };
    if (sortSelect) choose(sortSelect, key + ":" + dir);
  }
  // The same sort from a menu (the column headers are hidden on a phone, where rows become cards).
  var sortSelect = document.getElementById("sort");
  if (sortSelect) sortSelect.addEventListener("change", function () {
    var parts = sortSelect.value.split(":");
    if (parts[0]) { sortBy(parts[0], parts[1]); writeUrl(apply(), current); }
  });

  var q = new URLSearchParams(location.search);
  selects.forEach(function (s) {
    var v = q.get(s.dataset.filter);
    if (v !== null && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) choose(s, v);
    s.addEventListener("change", function () { choose(s, s.value); writeUrl(apply(), current); });
  });
  document.querySelectorAll("button.sort").forEach(function (b) {
    b.addEventListener("click", function () {
      var dir = b.dataset.dir === "asc" ? "desc" : "asc";
      sortBy(b.dataset.key, dir);
      writeUrl(apply(), current);
    });
  });
  var reset = document.getElementById("reset");
  if (reset) reset.addEventListener("click", function () {
    selects.forEach(function (s) { choose(s, ""); });
    writeUrl(apply(), current);
  });
  if (q.get("sort")) sortBy(q.get("sort"), q.get("dir") === "desc" ? "desc" : "asc");
  apply();
  document.documentElement.dataset.ready = "1";
  // A #o-… link to a row hidden by a filter in the URL would land nowhere: show that row.
  if (location.hash) {
    var t = document.getElementById(location.hash.slice(1));
    if (t && t.hidden) t.hidden = false;
  }
})();
