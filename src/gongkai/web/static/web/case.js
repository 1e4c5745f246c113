/* Pre-fill the decision's legal basis with the chosen result's default (letters.basis), unless
   the clerk has typed their own. Plain ES5 for the old browsers of government PCs. */
(function () {
  var selects = document.querySelectorAll("select[data-bases]");
  for (var i = 0; i < selects.length; i++) {
    (function (select) {
      var bases = JSON.parse(select.getAttribute("data-bases"));
      var input = document.getElementById(select.id.replace(/result$/, "legal_basis"));
      if (!input) { return; }
      var offered = "";
      select.addEventListener("change", function () {
        if (!input.value || input.value === offered) {
          offered = bases[select.value] || "";
          input.value = offered;
        }
      });
    })(selects[i]);
  }
})();
