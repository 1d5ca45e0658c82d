/* The admin's autocomplete fields (Select2) show a combobox named only by the value it holds (nothing when empty).
   Name it, and the text showing its value, after the field: its <label>, or the select's own aria-label in a
   tabular inline. Select2 builds its widgets after the page has loaded (jQuery's ready handlers run late) and
   again for each inline row added: whenever one appears, it is named. */
(function () {
  "use strict";
  function fieldName(select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var text = label ? label.textContent : select.getAttribute("aria-label") || "";
    return text.replace(/[:*]\s*$/, "").trim();
  }
  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) { return; }
      var name = fieldName(select);
      if (!name || container.dataset.named === name) { return; }
      container.dataset.named = name;
      container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (node) {
        node.removeAttribute("aria-labelledby");
        node.setAttribute("aria-label", name);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, {childList: true, subtree: true});
  });
}());
