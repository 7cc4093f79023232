/* A board's quarter grid (templates/investment/quarter_grid.html): what is typed on one page is kept in the
   browser's sessionStorage until it is saved, so a clerk can move between zones and pages and save each page
   in turn. One entry per grid (board and quarter), one item per project:
     {code: {v: version seen, f: {field: value}, href: page address, label: "zone, page"}}.
   On a page: the stored rows of that page are put back in their inputs (the version too, so a row someone else
   changed meanwhile is still a conflict on the server); a row the server marked saved is dropped; a row it
   marked failed keeps what was typed. A banner counts the rows not saved on other pages, with links (its
   Vietnamese texts come from the page, translated there). */
(function () {
  "use strict";
  var form = document.querySelector("[data-grid-form]");
  if (!form || !window.sessionStorage) { return; }
  var key = "kcn-quarter-grid:" + form.getAttribute("data-storage-key");
  var banner = document.querySelector("[data-unsaved-banner]");
  var here = window.location.pathname + window.location.search;
  var label = form.getAttribute("data-page-label") || "";
  var bound = form.hasAttribute("data-bound");

  function load() {
    try { return JSON.parse(window.sessionStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function store(state) {
    try {
      if (Object.keys(state).length) { window.sessionStorage.setItem(key, JSON.stringify(state)); }
      else { window.sessionStorage.removeItem(key); }
    } catch (e) { /* storage full or refused: the page still saves what it shows */ }
  }
  function fieldName(input) { return input.name.replace(/^form-\d+-/, ""); }
  function figures(row) { return row.querySelectorAll("input[name]:not([type=hidden])"); }
  function version(row) { return row.querySelector("input[name$='-version']"); }

  var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-project]"));
  var state = load();

  // What the server says about this page's rows comes first.
  rows.forEach(function (row) {
    var code = row.getAttribute("data-project");
    if (row.hasAttribute("data-saved")) { delete state[code]; return; }
    if (bound) {  // the page came back from a save: the inputs hold what was posted
      if (row.hasAttribute("data-failed")) { remember(row, true); } else { delete state[code]; }
      return;
    }
    var kept = state[code];
    if (!kept) { return; }
    var changed = false;
    Array.prototype.forEach.call(figures(row), function (input) {
      var name = fieldName(input);
      if (Object.prototype.hasOwnProperty.call(kept.f, name) && input.value !== kept.f[name]) {
        input.value = kept.f[name];
        input.dispatchEvent(new Event("input", { bubbles: true }));
        changed = true;
      }
    });
    if (version(row) && kept.v !== undefined) { version(row).value = kept.v; }
    if (changed) { mark(row); } else { delete state[code]; }
  });
  store(state);
  showBanner();

  function mark(row) {
    row.classList.add("table-warning");
    row.setAttribute("data-restored", "");
  }

  function remember(row, always) {
    var code = row.getAttribute("data-project");
    var values = {}, changed = always || row.hasAttribute("data-failed");
    Array.prototype.forEach.call(figures(row), function (input) {
      values[fieldName(input)] = input.value;
      if (input.value !== input.defaultValue) { changed = true; }
    });
    var current = load();
    if (changed) {
      var seen = current[code] ? current[code].v : (version(row) ? version(row).value : undefined);
      current[code] = { v: seen, f: values, href: here, label: label };
    } else {
      delete current[code];
      row.classList.remove("table-warning");
      row.removeAttribute("data-restored");
    }
    state = current;
    store(current);
  }

  form.addEventListener("input", function (event) {
    var row = event.target.closest && event.target.closest("tr[data-project]");
    if (row && event.isTrusted) { remember(row, false); showBanner(); }
  });

  function showBanner() {
    if (!banner) { return; }
    var onPage = {};
    rows.forEach(function (row) { onPage[row.getAttribute("data-project")] = true; });
    var pages = {}, count = 0;
    Object.keys(state).forEach(function (code) {
      if (onPage[code]) { return; }
      var item = state[code];
      count += 1;
      if (!pages[item.href]) { pages[item.href] = { label: item.label, count: 0 }; }
      pages[item.href].count += 1;
    });
    banner.textContent = "";
    var restored = form.querySelectorAll("tr[data-restored]").length;
    if (restored) {
      var note = document.createElement("div");
      note.setAttribute("data-restored-note", String(restored));
      note.textContent = banner.getAttribute("data-text-here");
      banner.appendChild(note);
    }
    if (!count) { banner.hidden = !restored; return; }
    var text = document.createElement("span");
    text.setAttribute("data-unsaved-count", String(count));
    text.textContent = banner.getAttribute("data-text-count").replace("%(count)s", String(count)) + " ";
    banner.appendChild(text);
    Object.keys(pages).forEach(function (href, index) {
      if (index) { banner.appendChild(document.createTextNode("; ")); }
      var link = document.createElement("a");
      link.href = href;
      link.className = "alert-link";
      link.textContent = banner.getAttribute("data-text-page").replace("%(page)s", pages[href].label)
        .replace("%(count)s", String(pages[href].count));
      banner.appendChild(link);
    });
    banner.appendChild(document.createTextNode(". " + banner.getAttribute("data-text-end")));
    banner.hidden = false;
  }
})();
