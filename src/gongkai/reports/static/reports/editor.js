/* The report's prose editor: check each section as the officer types, and insert a table
   cell's placeholder by clicking the cell. Progressive enhancement: without this script every
   section still saves through its form and the page shows the findings after saving. */
(function () {
  "use strict";
  var DELAY_MS = 600;
  var lastArea = null;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function item(className, label, message, excerpt) {
    var li = document.createElement("li");
    li.className = className;
    var strong = document.createElement("strong");
    strong.textContent = label;
    li.appendChild(strong);
    li.appendChild(document.createTextNode(" " + message));
    if (excerpt) {
      var quote = document.createElement("q");
      quote.textContent = excerpt;
      li.appendChild(document.createElement("br"));
      li.appendChild(quote);
    }
    return li;
  }

  function showResolved(box, text) {
    if (!box) { return; }
    box.textContent = "";
    text.split("\n").forEach(function (line) {
      if (!line.trim()) { return; }
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
  }

  function show(section, status, data, ok) {
    var list = section.querySelector(".prose-findings");
    list.textContent = "";
    if (!ok) {
      list.appendChild(item("error", "不能保存", data.error || "核对失败", ""));
      status.textContent = "正文有问题，请改正";
      section.classList.add("has-errors");
      return;
    }
    data.findings.forEach(function (f) {
      list.appendChild(item(f.severity, f.label, f.message, f.excerpt));
    });
    showResolved(section.querySelector(".resolved"), data.resolved);
    section.classList.toggle("has-errors", data.errors > 0);
    status.textContent = data.findings.length
      ? "核对完成：" + data.findings.length + " 处需要注意（尚未保存）"
      : "核对完成：正文与表格一致（尚未保存）";
  }

  function editor(form) {
    var area = form.querySelector("textarea");
    var section = form.closest(".prose-section");
    var status = section.querySelector(".prose-status");
    var timer = null;
    var sent = 0;

    function check() {
      var mine = ++sent;
      var body = new FormData();
      body.append("text", area.value);
      fetch(form.dataset.checkUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (mine === sent) { show(section, status, result.data, result.ok); }
      }).catch(function () {
        if (mine === sent) { status.textContent = "暂时无法核对，保存时会再次检查"; }
      });
    }

    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      status.textContent = "正在核对……";
      timer = window.setTimeout(check, DELAY_MS);
    });
    area.addEventListener("focus", function () { lastArea = area; });
  }

  function insertPlaceholder(cell) {
    if (!lastArea) { return; }
    var text = cell.dataset.placeholder;
    var start = lastArea.selectionStart, end = lastArea.selectionEnd;
    lastArea.value = lastArea.value.slice(0, start) + text + lastArea.value.slice(end);
    lastArea.selectionStart = lastArea.selectionEnd = start + text.length;
    lastArea.focus();
    lastArea.dispatchEvent(new Event("input"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.prose-form[data-check-url]").forEach(editor);
    document.querySelectorAll(".report-tables [data-placeholder]").forEach(function (cell) {
      cell.addEventListener("click", function () { insertPlaceholder(cell); });
    });
  });
})();
