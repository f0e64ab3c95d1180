// Progressive enhancement only: hide questions that do not apply yet (show-if rules).
// Without this script every question is shown, with the condition in its help text,
// and the server applies the same rules.
(function () {
  "use strict";

  function valueOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio") {
        if (input.checked) { return input.value; }
      } else if (input.type === "checkbox") {
        return input.checked ? "Ja" : "Nee";
      } else {
        return input.value;
      }
    }
    return "";
  }

  function isShown(form, key) {
    var block = form.querySelector("#blok-" + key);
    return !block || !block.hidden;
  }

  function update(form) {
    // Blocks are in form order and rules only point backwards, so one pass suffices.
    var blocks = form.querySelectorAll("[data-tonen-als]");
    for (var i = 0; i < blocks.length; i++) {
      var rules = JSON.parse(blocks[i].getAttribute("data-tonen-als"));
      var show = true;
      for (var key in rules) {
        if (Object.prototype.hasOwnProperty.call(rules, key)) {
          if (!isShown(form, key) || rules[key].indexOf(valueOf(form, key)) === -1) {
            show = false;
          }
        }
      }
      blocks[i].hidden = !show;
    }
  }

  // Too long is said, never silently cut: a counter under each field with a limit.
  function counters(form) {
    var fields = form.querySelectorAll("[data-max-tekens]");
    for (var i = 0; i < fields.length; i++) {
      (function (field) {
        var max = parseInt(field.getAttribute("data-max-tekens"), 10);
        var note = document.createElement("span");
        note.className = "teller";
        note.setAttribute("aria-live", "polite");
        field.parentNode.insertBefore(note, field.nextSibling);
        function refresh() {
          var length = Array.from(field.value.replace(/\r\n/g, "\n")).length;
          note.hidden = length <= max * 0.8;
          note.textContent = length > max
            ? "Te lang: " + length + " tekens, maximaal " + max + ". Maak de tekst korter."
            : length + " van maximaal " + max + " tekens";
        }
        field.addEventListener("input", refresh);
        refresh();
      })(fields[i]);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.formulier");
    if (!form) { return; }
    form.addEventListener("change", function () { update(form); });
    update(form);
    counters(form);
    var summary = document.getElementById("foutenoverzicht");
    if (summary) { summary.focus(); }
  });
})();
