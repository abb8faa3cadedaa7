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
  // The example in the spans the stylesheet keeps on one line, as the server writes them
  // (rehabit.accounts.phones.phone_hint): "+1 201-555-0123" never breaks at a hyphen.
  function show() {
    var zone = select.value;
    var parts = [hints.none];
    var example = null;
    if (Object.prototype.hasOwnProperty.call(hints.zones, zone)) {
      example = hints.zones[zone];
      var at = hints.example.indexOf(hints.slot);
      parts = at < 0 ? [hints.example, ""]
        : [hints.example.slice(0, at), hints.example.slice(at + hints.slot.length)];
      if (at < 0) { example = null; }
    }
    var text = example === null ? parts[0] : parts[0] + example + parts[1];
    if (hint.textContent === text) { return; }
    while (hint.firstChild) { hint.removeChild(hint.firstChild); }
    hint.appendChild(document.createTextNode(parts[0]));
    if (example !== null) {
      // Each space-separated group in a span of its own, as the server writes it
      // (rehabit.accounts.phones.phone_hint).
      var span = document.createElement("span");
      span.className = "phone-example";
      example.split(/\s+/).forEach(function (group, i) {
        if (i > 0) { span.appendChild(document.createTextNode(" ")); }
        var piece = document.createElement("span");
        piece.textContent = group;
        span.appendChild(piece);
      });
      // The punctuation right after the number stays with it (the full stop).
      var stuck = /^[.,;:!?)\u3002\uff0c]*/.exec(parts[1])[0];
      if (stuck) { span.appendChild(document.createTextNode(stuck)); }
      hint.appendChild(span);
      hint.appendChild(document.createTextNode(parts[1].slice(stuck.length)));
    }
  }
  show();
  select.addEventListener("change", show);
})();
