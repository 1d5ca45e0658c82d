// The local report editor: live word counts, "add another" for the formsets, a warning before leaving with
// unsaved text, and a copy of unsaved text in this browser (offered back if the page is reopened before a save,
// e.g. after a lost connection or an expired session). The page works without it.
(function () {
  "use strict";
  var form = document.querySelector("[data-report-editor]");
  if (!form) return;
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });

  // The same rule as the server (reports.document.count_words): runs of non-space characters holding a letter or digit.
  var hasWordCharacter = /[\p{L}\p{N}_]/u;
  function countWords(text) {
    return text.split(/\s+/).filter(function (token) { return hasWordCharacter.test(token); }).length;
  }

  function typedWords(kind) {
    var total = 0;
    form.querySelectorAll('textarea[data-count-words="' + kind + '"]').forEach(function (t) {
      var deleted = t.closest(".formset-form") && t.closest(".formset-form").querySelector('input[name$="-DELETE"]:checked');
      if (!deleted) total += countWords(t.value);
    });
    return total;
  }

  function fill(el, values, template) {
    if (!el) return;
    el.textContent = (template || el.dataset.template).replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  // The printed count and the pages from the words being typed, with what the last save added to them (quotes,
  // notes, headings, figures): the same sums as reports.document (block_lines, pages_for).
  var limits = document.querySelector("[data-report-limits]");
  function updatePrinted(typed) {
    if (!limits) return;
    var d = limits.dataset;
    var words = Number(d.fixedWords) + typed;
    var over = words - Number(d.wordLimit);
    var body = (Number(d.fixedLines) + typed / Number(d.wordsPerLine)) / Number(d.linesPerPage);
    var pages = d.spread.split(" ").map(function (factor) {
      return Number(d.frontPages) + Math.max(1, Math.ceil(body * Number(factor)));
    });
    var printed = limits.querySelector("[data-live-printed]");
    fill(printed, { words: words });
    printed.classList.toggle("text-danger", over > 0);
    var pagesNote = limits.querySelector("[data-live-pages]");
    fill(pagesNote, { low: pages[0], high: pages[1] }, pages[0] === pages[1] ? pagesNote.dataset.templateOne : null);
    var overNote = limits.querySelector("[data-live-over]");
    fill(overNote, { n: over });
    overNote.textContent = "· " + overNote.textContent;
    overNote.hidden = over <= 0;
  }

  function updateCounts() {
    ["report", "summary"].forEach(function (kind) {
      var out = document.querySelector('output[data-live="' + kind + '"]');
      var total = typedWords(kind);
      if (kind === "report") updatePrinted(total);
      if (!out) return;
      out.textContent = total;
      out.classList.toggle("text-danger", total > Number(out.dataset.limit));
    });
  }

  // "Add another": clone the formset's empty form with the next index.
  document.querySelectorAll("[data-add-form]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addForm;
      var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
      var template = document.querySelector('template[data-empty-form="' + prefix + '"]');
      var html = template.innerHTML.replace(/__prefix__/g, total.value);
      var holder = document.querySelector('[data-formset="' + prefix + '"]');
      holder.insertAdjacentHTML("beforeend", html);
      total.value = Number(total.value) + 1;
      var added = holder.lastElementChild;
      var first = added && added.querySelector("select, textarea, input:not([type=hidden])");
      if (first) first.focus();
    });
  });

  // Unsaved text: warn before leaving, and keep a copy in this browser until the next save.
  var key = "uprcities:" + form.dataset.reportKey;
  var revision = form.dataset.reportEditor;
  var dirty = false;
  function fields() { return form.querySelectorAll("textarea, input[type=text], input[type=number], select"); }
  function snapshot() {
    var values = {};
    fields().forEach(function (el) { if (el.name) values[el.name] = el.value; });
    return values;
  }
  function store() {
    try { localStorage.setItem(key, JSON.stringify({ revision: revision, values: snapshot() })); } catch (e) { /* full or disabled */ }
  }
  form.addEventListener("input", function () { dirty = true; updateCounts(); store(); });
  form.addEventListener("change", function () { dirty = true; updateCounts(); store(); });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });

  var note = form.querySelector("[data-backup-note]");
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  var current = snapshot();
  var differs = saved && saved.revision === revision && Object.keys(saved.values).some(function (name) {
    return name in current && saved.values[name] !== current[name];
  });
  if (saved && saved.revision !== revision) {
    localStorage.removeItem(key);  // the report was saved since: that copy is history
  } else if (differs && note) {
    note.textContent = note.dataset.message || "";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "btn btn-sm btn-warning ms-2";
    restore.textContent = note.dataset.restoreLabel || "Restore";
    restore.addEventListener("click", function () {
      fields().forEach(function (el) { if (el.name in saved.values) el.value = saved.values[el.name]; });
      dirty = true;
      updateCounts();
      note.textContent = note.dataset.restoredMessage || "";
    });
    note.appendChild(restore);
    note.hidden = false;
  }
  updateCounts();
})();
