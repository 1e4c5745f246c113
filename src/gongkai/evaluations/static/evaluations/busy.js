/* A batch is audited in the request that uploads or re-runs it, which takes seconds (40 PDFs:
   about 16). A second click in that time would upload the batch twice, so a form marked
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
})();
