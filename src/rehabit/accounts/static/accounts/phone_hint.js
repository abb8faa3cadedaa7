// The phone field's hint names an example of the country of the zone chosen above it
// (rehabit.accounts.phones): the number is read in that country when it has no +. The
// server builds the hint for the zone it knows; a first visit is built at UTC, and
// timezone.js (run before this) then picks the browser's own zone, so the hint follows the
// picker here, from each zone's example in the page (#phone-hints). Without JavaScript the
// server's hint stays ("Starting with + and your country code." at UTC).
(function () {
  "use strict";
  var data = document.getElementById("phone-hints");
  var select = document.getElementById("id_time_zone");
  var hint = document.getElementById("id_phone_helptext");
  if (!data || !select || !hint) { return; }
  var hints;
  try { hints = JSON.parse(data.textContent); } catch (e) { return; }
  if (!hints || !hints.zones) { return; }
  function show() {
    var zone = select.value;
    var text = hints.none;
    if (Object.prototype.hasOwnProperty.call(hints.zones, zone)) {
      var example = hints.zones[zone];
      // A function, so nothing in the example is read as a replacement pattern.
      text = hints.example.replace(hints.slot, function () { return example; });
    }
    if (hint.textContent !== text) { hint.textContent = text; }
  }
  show();
  select.addEventListener("change", show);
})();
