/* Suggested redactions on the moderation page (progressive enhancement; without it the list still says what to
   redact by hand). Each suggestion's button replaces every occurrence of its text in its public-version field by
   a placeholder ("[name]"), says so in a status line screen readers announce, and shows it is done; the field is
   only changed in the page, and saved with the form as the organizer's own edits are. */
(function () {
  "use strict";

  function setState(button, labelKey) {
    button.setAttribute("aria-disabled", "true");
    button.classList.add("disabled");
    button.querySelector("[data-label]").textContent = button.dataset[labelKey];
  }

  function refresh(button) {
    var field = document.getElementById(button.dataset.redactTarget);
    if (!field) {
      button.hidden = true;
      return;
    }
    button.hidden = false;
    if (field.value.indexOf(button.dataset.redactText) === -1 && button.getAttribute("aria-disabled") !== "true") {
      setState(button, "absentLabel");
    }
  }

  function fieldLabel(field) {
    var label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    return label ? label.textContent.trim() : field.name;
  }

  function start() {
    var panel = document.querySelector("[data-redaction-suggestions]");
    if (!panel) {
      return;
    }
    var status = panel.querySelector("[data-redact-status]");
    var buttons = panel.querySelectorAll("button[data-redact-target]");
    buttons.forEach(function (button) {
      button.dataset.replaceLabel = button.querySelector("[data-label]").textContent;
      refresh(button);
    });
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-redact-target]");
      if (!button || button.getAttribute("aria-disabled") === "true") {
        return;
      }
      var field = document.getElementById(button.dataset.redactTarget);
      var text = button.dataset.redactText;
      if (!field || field.value.indexOf(text) === -1) {
        setState(button, "absentLabel");
        return;
      }
      field.value = field.value.split(text).join(button.dataset.redactPlaceholder);
      field.dispatchEvent(new Event("input", {bubbles: true}));
      setState(button, "doneLabel");
      status.textContent = status.dataset.template
        .replace("%(text)s", text)
        .replace("%(placeholder)s", button.dataset.redactPlaceholder)
        .replace("%(field)s", fieldLabel(field));
    });
    // Text typed into a public field may remove (or bring back) what a suggestion is about.
    document.addEventListener("input", function (event) {
      buttons.forEach(function (button) {
        if (button.dataset.redactTarget === event.target.id && button.getAttribute("aria-disabled") === "true") {
          var field = event.target;
          if (field.value.indexOf(button.dataset.redactText) !== -1) {
            button.removeAttribute("aria-disabled");
            button.classList.remove("disabled");
            button.querySelector("[data-label]").textContent = button.dataset.replaceLabel;
          }
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
