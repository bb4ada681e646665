// The item page while a resubmit runs in the background: reload until its result lands.
(function () {
  "use strict";
  var waiting = document.querySelector("[data-poll]");
  if (!waiting) { return; }
  var every = parseInt(waiting.getAttribute("data-poll"), 10) || 2000;
  window.setTimeout(function () { window.location.reload(); }, every);
})();
