/* An upload of a batch takes seconds (a province's zip of 60 MB to send and store). A second
   click in that time would upload the batch twice, so a form marked
   data-busy="…" ignores every submit after the first and says what it is doing, in the
   message's live region. Plain ES5 for the old browsers of government PCs; a static file, as
   the Content-Security-Policy requires. */
(function () {
  var forms = document.querySelectorAll("form[data-busy]");
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener("submit", function (event) {
      var form = event.currentTarget;
      if (form.getAttribute("aria-busy") === "true") {
        event.preventDefault();
        return;
      }
      form.setAttribute("aria-busy", "true");
      var status = form.querySelector(".busy");
      if (status) { status.textContent = form.getAttribute("data-busy"); }
    });
  }
  // Back to this page from the next one, the browser may show it from its cache as it was
  // left, busy: the form would then ignore every submit until the page is reloaded.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    for (var j = 0; j < forms.length; j++) {
      forms[j].removeAttribute("aria-busy");
      var status = forms[j].querySelector(".busy");
      if (status) { status.textContent = ""; }
    }
  });
})();
