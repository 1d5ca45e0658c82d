/* "Your time: ..." after an online event's time, in the browser's own time zone (progressive enhancement).
   Marked up as <time datetime="ISO" data-local-time data-event-zone="America/New_York" data-local-label="Your time:">. */
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var here;
  try {
    here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  var lang = document.documentElement.lang || undefined;
  document.querySelectorAll("time[data-local-time]").forEach(function (node) {
    var when = new Date(node.getAttribute("datetime"));
    if (isNaN(when.getTime()) || !here || here === node.dataset.eventZone) {
      return;
    }
    var text;
    try {
      // dateStyle/timeStyle cannot be combined with timeZoneName: spell the fields out.
      text = new Intl.DateTimeFormat(lang, {
        year: "numeric", month: "short", day: "numeric",
        hour: "numeric", minute: "2-digit", timeZoneName: "short"
      }).format(when);
    } catch (e) {
      text = when.toLocaleString();
    }
    var line = document.createElement("span");
    line.className = "d-block small text-body-secondary local-time";
    line.textContent = (node.dataset.localLabel || "Your time:") + " " + text;
    var wrapper = node.closest(".event-when");
    if (wrapper) {
      wrapper.appendChild(line);
    } else {
      node.parentNode.insertBefore(line, node.nextSibling);
    }
  });
})();
