// Progressive enhancement of the caller-history panel: look up while the phone service
// types (debounced). Without this script the buttons post the form and the server answers.
(function () {
  "use strict";

  var WAIT_MS = 350;

  function field(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.value : "";
  }

  function post(url, form, names, done) {
    var body = new FormData();
    body.append("csrf_token", field(form, "csrf_token"));
    for (var i = 0; i < names.length; i++) { body.append(names[i], field(form, names[i])); }
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-CSRFToken": field(form, "csrf_token") } })
      .then(function (response) { return response.json(); })
      .then(done)
      .catch(function () { done({ fout: "Opzoeken lukt nu niet; gebruik de knop." }); });
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function showHistory(target, answer) {
    target.textContent = "";
    if (answer.fout) { target.appendChild(element("p", answer.fout)).className = "fout"; return; }
    if (!answer.gezocht) { return; }
    var items = answer.meldingen || [];
    if (!items.length) {
      target.appendChild(element("p", "Geen eerdere meldingen gevonden.")).className = "historie-leeg";
      return;
    }
    var table = element("table");
    table.className = "historie-tabel";
    table.appendChild(element("caption", items.length + " eerdere " +
      (items.length === 1 ? "melding" : "meldingen")));
    var head = table.appendChild(element("thead")).appendChild(element("tr"));
    ["Nummer", "Ontvangen", "Categorie", "Status", "Coördinator"].forEach(function (name) {
      head.appendChild(element("th", name)).setAttribute("scope", "col");
    });
    var body = table.appendChild(element("tbody"));
    items.forEach(function (item) {
      var row = body.appendChild(element("tr"));
      [item.nummer, item.ontvangen_tekst, item.categorie, item.status, item.coordinator]
        .forEach(function (value) { row.appendChild(element("td", value)); });
    });
    target.appendChild(table);
  }

  function showWhere(target, answer) {
    target.textContent = "";
    if (answer.fout) { target.appendChild(element("p", answer.fout)).className = "fout"; return; }
    var m = answer.melding;
    if (!m) {
      target.appendChild(element("p", "Geen melding met dit nummer gevonden. " +
        "Een nummer ziet eruit als 26-123-456.")).className = "historie-leeg";
      return;
    }
    if (m.vertrouwelijk) {
      target.appendChild(element("p", "Melding " + m.nummer +
        " is vertrouwelijk. Verwijs de beller naar de vertrouwenspersoon."));
      return;
    }
    var text = "Melding " + m.nummer + ": status " + m.status + ".";
    if (m.afgesloten_op_tekst) { text += " Afgesloten op " + m.afgesloten_op_tekst + "."; }
    else if (m.antwoord_uiterlijk_tekst) {
      text += " Antwoord uiterlijk op " + m.antwoord_uiterlijk_tekst + ".";
    }
    if (m.coordinator) { text += " Coördinator: " + m.coordinator + "."; }
    target.appendChild(element("p", text)).className = "waar-antwoord";
  }

  function debounced(fn) {
    var timer = null;
    return function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(fn, WAIT_MS);
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("historie-paneel");
    var form = panel && panel.closest("form");
    if (!form) { return; }
    var lookHistory = debounced(function () {
      post(panel.getAttribute("data-historie-url"), form,
           ["deelnemernummer", "telefoon", "deelnemer"],
           function (answer) { showHistory(document.getElementById("historie"), answer); });
    });
    var lookWhere = debounced(function () {
      if (!field(form, "waar_nummer").trim()) { return; }
      post(panel.getAttribute("data-waar-url"), form, ["waar_nummer"],
           function (answer) { showWhere(document.getElementById("waar"), answer); });
    });
    ["deelnemernummer", "telefoon", "deelnemer"].forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]');
      if (input) { input.addEventListener("input", lookHistory); }
    });
    document.getElementById("waar_nummer").addEventListener("input", lookWhere);
    // With the script the buttons look up in place instead of reloading the page.
    document.getElementById("historie-knop").addEventListener("click", function (event) {
      event.preventDefault(); lookHistory();
    });
    document.getElementById("waar-knop").addEventListener("click", function (event) {
      event.preventDefault(); lookWhere();
    });
  });
}());
