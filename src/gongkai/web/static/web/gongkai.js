/* Label each table cell with its column's header (data-label) and mark tables of more than
   three columns "stack", so that on a phone, where the stylesheet stacks such a table's rows
   into cards, every value still says what it is. Plain ES5 for
   the old browsers of government PCs; a static file, as the Content-Security-Policy requires. */
(function () {
  var tables = document.querySelectorAll("table.list");
  for (var t = 0; t < tables.length; t++) {
    var heads = tables[t].querySelectorAll("thead tr:last-child th");
    var rows = tables[t].querySelectorAll("tbody tr");
    if (heads.length > 3) { tables[t].className += " stack"; }
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      if (cells.length !== heads.length) { continue; }
      for (var c = 0; c < cells.length; c++) {
        var label = heads[c].textContent.replace(/\s+/g, " ").trim();
        if (label && !cells[c].hasAttribute("data-label")) {
          cells[c].setAttribute("data-label", label);
        }
      }
    }
  }
})();
