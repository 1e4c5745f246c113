/* A batch's reports are audited in the background after the upload: while some are pending,
   the batch page shows how many are done (#progress, data-refresh="seconds") and reloads itself
   after that many seconds, until the server draws the page without it. Plain ES5 for the old
   browsers of government PCs; a static file, as the Content-Security-Policy requires. */
(function () {
  var progress = document.getElementById("progress");
  var seconds = progress ? parseInt(progress.getAttribute("data-refresh"), 10) : NaN;
  if (!(seconds > 0)) { return; }
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
