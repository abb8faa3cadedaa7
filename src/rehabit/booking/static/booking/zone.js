// Show times in the browser's own time zone when the visitor has not chosen one yet.
(function () {
  "use strict";
  if (!document.querySelector("[data-zone-guess]") || window.rehabitZoneAsked) return;
  window.rehabitZoneAsked = true; // a page may include this script twice
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var url = new URL(window.location.href);
    if (!zone || url.searchParams.has("tz")) return;
    url.searchParams.set("tz", zone);
    window.location.replace(url.toString());
  } catch (e) {
    /* Older browsers: the zone selector on the page still works. */
  }
})();
