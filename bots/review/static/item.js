// The item page: a value's row and its box on the document light each other up; the page
// buttons show one page at a time; while a resubmit runs, the page reloads until it lands.
(function () {
  "use strict";

  function pollWhileResubmitting() {
    var waiting = document.querySelector("[data-poll]");
    if (!waiting) { return; }
    var every = parseInt(waiting.getAttribute("data-poll"), 10) || 2000;
    window.setTimeout(function () { window.location.reload(); }, every);
  }

  function showPage(number) {
    document.querySelectorAll(".doc-page").forEach(function (figure) {
      figure.hidden = figure.getAttribute("data-page") !== String(number);
    });
    document.querySelectorAll(".pager a[data-page]").forEach(function (link) {
      if (link.getAttribute("data-page") === String(number)) {
        link.setAttribute("aria-current", "page");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function unlight() {
    document.querySelectorAll(".lit").forEach(function (element) {
      element.classList.remove("lit");
      element.removeAttribute("aria-current");
    });
  }

  function light(elements) {
    elements.forEach(function (element) {
      element.classList.add("lit");
      element.setAttribute("aria-current", "true");
    });
  }

  function rowsOf(spot) {
    return (spot.getAttribute("data-rows") || "").split(" ").map(function (id) {
      return document.getElementById(id);
    }).filter(Boolean);
  }

  function say(row) {
    var detail = document.getElementById("value-detail");
    if (detail && row) { detail.textContent = row.getAttribute("title") || ""; }
  }

  function chooseRow(row) {
    var spot = document.getElementById(row.getAttribute("data-spot"));
    if (!spot) { return; }
    showPage(spot.getAttribute("data-page"));
    unlight();
    light([spot].concat(rowsOf(spot)));
    say(row);
    spot.scrollIntoView({block: "nearest"});
  }

  function chooseSpot(spot) {
    var rows = rowsOf(spot);
    unlight();
    light([spot].concat(rows));
    say(rows[0]);
    if (rows.length) { rows[0].scrollIntoView({block: "nearest"}); }
  }

  function onActivate(selector, handler) {
    document.querySelectorAll(selector).forEach(function (element) {
      element.addEventListener("click", function (event) {
        event.preventDefault();
        handler(element);
      });
      element.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          handler(element);
        }
      });
    });
  }

  pollWhileResubmitting();
  onActivate("tr[data-spot]", chooseRow);
  onActivate(".spot", chooseSpot);
  onActivate(".pager a[data-page]", function (link) {
    showPage(link.getAttribute("data-page"));
  });
})();
