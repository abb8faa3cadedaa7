// The usual-week grid: add and remove time ranges in the page. Without JavaScript the
// same buttons ask the server, which shows the grid again with the change; either way
// nothing is saved until "Save".
(function () {
  "use strict";
  var template = document.getElementById("range-row-template");
  var status = document.querySelector("[data-grid-status]");
  if (!template) { return; }

  function announce(text) {
    if (status) { status.textContent = text; }
  }

  function nextIndex(container) {
    var highest = -1;
    container.querySelectorAll("input[name$='-start']").forEach(function (input) {
      var parts = input.name.split("-");
      var index = parseInt(parts[parts.length - 2], 10);
      if (index > highest) { highest = index; }
    });
    return highest + 1;
  }

  function addRow(button) {
    var fieldset = button.closest("fieldset");
    var container = fieldset && fieldset.querySelector("[data-range-rows]");
    if (!container) { return; }
    var index = nextIndex(container);
    var html = template.innerHTML
      .split("__prefix__").join(container.getAttribute("data-range-rows"))
      .split("__index__").join(String(index))
      .split("__number__").join(String(container.querySelectorAll("[data-range-row]").length + 1))
      .split("__where__").join(container.getAttribute("data-where"))
      .split("__weekday__").join(container.getAttribute("data-weekday"));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    container.appendChild(row);
    var first = row.querySelector("input[type='time']");
    if (first) { first.focus(); }
    announce(button.textContent.trim());
  }

  function removeRow(button) {
    var row = button.closest("[data-range-row]");
    var fieldset = button.closest("fieldset");
    if (!row || !fieldset) { return; }
    row.parentNode.removeChild(row);
    var add = fieldset.querySelector("[data-add-range]");
    if (add) { add.focus(); }
    announce(button.textContent.trim());
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    if (!target) { return; }
    if (target.hasAttribute("data-add-range")) {
      event.preventDefault();
      addRow(target);
    } else if (target.hasAttribute("data-remove-range") && target.closest("[data-range-rows]")) {
      event.preventDefault();
      removeRow(target);
    }
  });
})();
