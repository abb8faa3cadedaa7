// A form sent back with problems: move focus to the list of problems, so that a screen
// reader reads it first and a keyboard user starts from it (WCAG 2.2 3.3.1 and 2.4.3; the
// summary has tabindex="-1" so that it can take focus). Each of its links leads to a field.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
