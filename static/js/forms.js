/* Forms, progressive enhancement.
   Error summaries (templates/includes/error_summary.html):
   - after a failed submit the summary takes the focus, so keyboard and screen-reader users start there;
   - each link moves the focus to its field (a plain #id link only scrolls) and shows the field with its label
     or legend, not hidden under the top of the window.
   A submit button with data-busy-label (Approve) says it is working once pressed, and a second press does not
   send the form again. It is marked aria-disabled, not disabled: a disabled button's name and value would not be
   sent, and the focus would be lost. */
(function () {
  "use strict";

  function labelFor(field) {
    var fieldset = field.closest("fieldset");
    if ((field.type === "radio" || field.type === "checkbox") && fieldset) {
      return fieldset.querySelector("legend") || fieldset;
    }
    if (field.id) {
      var label = document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
      if (label) {
        return label;
      }
    }
    return field;
  }

  function focusField(field) {
    labelFor(field).scrollIntoView({block: "start"});
    field.focus({preventScroll: true});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    if (button && button.dataset.busyLabel) {
      form.dataset.submitting = "1";
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
      button.dataset.idleLabel = button.textContent;
      button.textContent = button.dataset.busyLabel;
    }
  });
  // A page shown again from the back-forward cache has its buttons back.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
    });
    document.querySelectorAll("[data-idle-label]").forEach(function (button) {
      button.textContent = button.dataset.idleLabel;
      button.removeAttribute("aria-disabled");
      button.classList.remove("disabled");
    });
  });

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) {
        return;
      }
      var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!field) {
        return;
      }
      event.preventDefault();
      focusField(field);
    });
    summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
