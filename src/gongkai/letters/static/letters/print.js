/* The print pages' 打印 button (a static file: the Content-Security-Policy allows no inline
   script). Plain ES5 for the old browsers of government PCs. */
(function () {
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
