// Put the emergency number of the browser's own country in every "call" link
// (rehabit.core.emergency). The server already shows the number of the zone it knows (the
// person's, or UTC's: the deployment's own); a phone set to another country's clock gets
// that country's number, where the reviewed table has it. Without JavaScript, or for a
// zone the table does not know, the server's number stays, next to "or your local
// emergency number".
(function () {
  "use strict";
  var table = window.rehabitEmergencyNumbers;
  if (!table || !window.Intl || !Intl.DateTimeFormat) { return; }
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone || !Object.prototype.hasOwnProperty.call(table.zones, zone)) { return; }
  var number = table.zones[zone];
  var links = document.querySelectorAll('a[href^="tel:"]');
  for (var i = 0; i < links.length; i += 1) {
    var link = links[i];
    var shown = link.getAttribute("href").slice(4);
    // Only an emergency number is swapped: never a person's own phone number.
    if (shown === number || table.numbers.indexOf(shown) === -1) { continue; }
    link.setAttribute("href", "tel:" + number);
    var pattern = new RegExp("(^|[^0-9])" + shown + "(?![0-9])", "g");
    var walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var node = walker.currentNode;
      node.nodeValue = node.nodeValue.replace(pattern, "$1" + number);
    }
  }
})();
