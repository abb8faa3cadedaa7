// The printable page's "Print or save as PDF" button. A phone's browser keeps its print
// command in a menu (Share, then Print), so a person who opened the printable version
// found nothing to press. The button is hidden in the HTML and shown here, so that a
// browser without JavaScript shows no button that does nothing.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (!button || typeof window.print !== "function") {
    return;
  }
  var row = button.closest("[hidden]");
  if (row) {
    row.hidden = false;
  }
  button.addEventListener("click", function () {
    window.print();
  });
})();
