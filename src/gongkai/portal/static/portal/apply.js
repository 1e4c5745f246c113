/* The unit list's text filter: progressive enhancement (ES3, no framework); without it the
   plain <select> still works. */
window.addEventListener ? window.addEventListener("DOMContentLoaded", filterUnits) : window.attachEvent("onload", filterUnits);

function filterUnits() {
  var filter = document.getElementById("unit-filter");
  var select = document.getElementById("id_unit");
  var box = document.getElementById("unit-filter-box");
  if (!filter || !select || !select.options || !box) { return; }
  box.removeAttribute("hidden");
  var all = [];
  for (var i = 0; i < select.options.length; i++) {
    all.push({value: select.options[i].value, text: select.options[i].text});
  }
  filter.onkeyup = filter.onchange = function () {
    var words = filter.value.replace(/^\s+|\s+$/g, "");
    var chosen = select.value;
    select.options.length = 0;
    for (var j = 0; j < all.length; j++) {
      if (!all[j].value || !words || all[j].text.indexOf(words) !== -1) {
        var option = new Option(all[j].text, all[j].value);
        option.selected = all[j].value === chosen;
        select.options[select.options.length] = option;
      }
    }
  };
}
