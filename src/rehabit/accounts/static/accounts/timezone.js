// Pre-select the browser's time zone when no one knows the person's zone yet (a first visit,
// unless their therapist record names one). Without JavaScript the list simply shows UTC
// and the person chooses; the server validates either way.
(function () {
  "use strict";
  var wrapper = document.querySelector('[data-detect-time-zone="yes"]');
  if (!wrapper || !window.Intl || !Intl.DateTimeFormat) { return; }
  var select = wrapper.querySelector("select");
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!select || !zone) { return; }
  // The list names each zone once; browsers may report another name (Asia/Calcutta).
  try {
    var aliases = JSON.parse(wrapper.getAttribute("data-zone-aliases") || "{}");
    if (Object.prototype.hasOwnProperty.call(aliases, zone)) { zone = aliases[zone]; }
  } catch (e) { /* the names as reported */ }
  // Matched on each option's value, the zone id; never on its label, which also names the
  // zone's offset now ("Asia/Kolkata (UTC+05:30)") and is in the page's language.
  for (var i = 0; i < select.options.length; i += 1) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
})();
