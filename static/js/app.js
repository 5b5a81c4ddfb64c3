// Houtai keyboard shortcuts and small behaviours. Static file: the CSP forbids inline script and eval.
(function () {
  "use strict";

  function typingIn(target) {
    return target instanceof Element && target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function helpDialog() { return document.getElementById("shortcut-help"); }

  function submitFormOf(element) {
    const form = element instanceof Element ? element.closest("form") : null;
    if (!form) return false;
    const button = form.querySelector("[data-submit], button[type=submit]");
    if (button) { button.click(); } else { form.requestSubmit(); }
    return true;
  }

  function cancel(target) {
    const dialog = helpDialog();
    if (dialog && dialog.open) { dialog.close(); return true; }
    const form = target instanceof Element ? target.closest("form") : null;
    const link = (form && form.querySelector("[data-cancel]")) || document.querySelector("[data-cancel]");
    if (link) { link.click(); return true; }
    if (typingIn(target)) { target.blur(); return true; }
    return false;
  }

  // The approval inbox: j / k move between tasks, a approves the current one (htmx asks to confirm first),
  // r puts the cursor in its rejection comment (Ctrl+Enter then sends it).
  function taskKey(key) {
    if (["j", "k", "a", "r"].indexOf(key) < 0) return false;
    const tasks = Array.prototype.slice.call(document.querySelectorAll("[data-task]"));
    if (!tasks.length) return false;
    const active = document.activeElement;
    const index = tasks.indexOf(active instanceof Element ? active.closest("[data-task]") : null);
    if (key === "j" || key === "k") {
      const next = tasks[Math.min(Math.max(index < 0 ? 0 : index + (key === "j" ? 1 : -1), 0), tasks.length - 1)];
      next.focus();
      next.scrollIntoView({ block: "nearest" });
      return true;
    }
    const task = tasks[index < 0 ? 0 : index];
    const control = task.querySelector(key === "a" ? "[data-approve]" : "[data-reject-comment]");
    if (!control) return false;
    // In the invoice exception queue "a" leads to the reason for accepting, which is a field, not a button.
    if (key === "a" && !control.matches("textarea, input")) { control.click(); } else { control.focus(); }
    return true;
  }

  // After an exception is resolved its place says so, and the cursor moves on to the next item that waits.
  function focusAfterResolved(region) {
    if (!region.matches || !region.matches("[data-resolved]")) return false;
    const tasks = Array.prototype.slice.call(document.querySelectorAll("[data-task]"));
    const next = tasks.find(function (task) {
      return region.compareDocumentPosition(task) & Node.DOCUMENT_POSITION_FOLLOWING;
    }) || tasks[tasks.length - 1] || region;
    next.focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    // Never act while an input method (Chinese IME) is composing: its keys belong to the IME.
    if (event.isComposing || event.keyCode === 229) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      if (submitFormOf(event.target)) event.preventDefault();
      return;
    }
    if (event.key === "Escape") {
      if (cancel(event.target)) event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (rowKey(event)) { event.preventDefault(); return; }
    if (typingIn(event.target)) return;
    if (event.key === "?") {
      const dialog = helpDialog();
      if (dialog && !dialog.open) { dialog.showModal(); event.preventDefault(); }
      return;
    }
    if (taskKey(event.key)) { event.preventDefault(); return; }
    const element = document.querySelector('[data-shortcut="' + CSS.escape(event.key) + '"]');
    if (!element) return;
    event.preventDefault();
    if (element.matches("input, textarea, select")) { element.focus(); element.select && element.select(); }
    else { element.click(); }
  });

  // Row selection on lists with [data-selectable-rows]: j/k move between rows, x toggles the row's box.
  // A row's own checkbox counts as "on the row", every other field keeps its keys.
  function rowKey(event) {
    if (!["j", "k", "x"].includes(event.key)) return false;
    const target = event.target instanceof Element ? event.target : null;
    const onBox = target && target.matches("input[data-row-select]");
    if (typingIn(target) && !onBox) return false;
    const rows = Array.from(document.querySelectorAll("[data-selectable-rows] tr[data-row]"));
    if (!rows.length) return false;
    const current = target && target.closest("tr[data-row]");
    if (event.key === "x") {
      const box = current && current.querySelector("input[data-row-select]");
      if (!box) return false;
      box.checked = !box.checked;
      lastBox = box;
      countSelected();
      return true;
    }
    const index = rows.indexOf(current);
    const next = event.key === "j" ? Math.min(index + 1, rows.length - 1) : Math.max(index - 1, 0);
    rows[index < 0 ? 0 : next].focus();
    return true;
  }

  let lastBox = null;

  function rowBoxes() { return Array.from(document.querySelectorAll("input[data-row-select]")); }

  function countSelected() {
    const output = document.querySelector("[data-selected-count]");
    const all = document.querySelector("input[data-select-all]");
    const boxes = rowBoxes();
    const checked = boxes.filter(function (box) { return box.checked; }).length;
    if (output) output.textContent = (output.dataset.label || "#").replace("#", String(checked));
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }

  // Shift-click selects the range from the last box clicked; the header box selects the whole page.
  document.addEventListener("click", function (event) {
    const box = event.target instanceof Element && event.target.closest("input[data-row-select]");
    if (!box) return;
    if (event.shiftKey && lastBox && lastBox !== box) {
      const boxes = rowBoxes();
      const [from, to] = [boxes.indexOf(lastBox), boxes.indexOf(box)].sort(function (a, b) { return a - b; });
      if (from >= 0) boxes.slice(from, to + 1).forEach(function (b) { b.checked = box.checked; });
    }
    lastBox = box;
    countSelected();
  });

  document.addEventListener("change", function (event) {
    const all = event.target instanceof Element && event.target.closest("input[data-select-all]");
    if (!all) return;
    rowBoxes().forEach(function (box) { box.checked = all.checked; });
    countSelected();
  });

  document.addEventListener("htmx:afterSettle", function () { lastBox = null; countSelected(); });

  document.addEventListener("click", function (event) {
    const opener = event.target instanceof Element && event.target.closest("[data-shortcut-help]");
    if (opener && helpDialog()) helpDialog().showModal();
  });

  document.addEventListener("change", function (event) {
    const select = event.target instanceof Element && event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit();
  });

  // After a form comes back with errors, put the cursor on the first field that needs attention.
  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    const region = (target && target.id && document.getElementById(target.id)) || target;
    if (region && focusAfterResolved(region)) return;
    const first = region && region.querySelector ? region.querySelector("[aria-invalid=true]") : null;
    if (first) first.focus();
  });

  // htmx does not swap error responses; show the server's short message instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    const xhr = event.detail.xhr;
    const header = xhr.getResponseHeader("X-Houtai-Message");
    const flash = document.getElementById("flash");
    if (!flash) return;
    const message = document.createElement("p");
    message.className = "flash flash-error";
    const fallback = document.documentElement.lang === "zh-CN"
      ? "请求失败（" + xhr.status + "）。请刷新页面后重试。" : "Request failed (" + xhr.status + "). Reload the page and try again.";
    message.textContent = header ? decodeURIComponent(header) : fallback;
    flash.replaceChildren(message);
  });

  document.addEventListener("htmx:sendError", function () {
    const flash = document.getElementById("flash");
    if (!flash) return;
    const message = document.createElement("p");
    message.className = "flash flash-error";
    message.textContent = document.documentElement.lang === "zh-CN"
      ? "无法连接服务器。请检查网络后重试，您输入的内容仍保留在页面上。"
      : "Could not reach the server. Check the connection and try again; your input is still on the page.";
    flash.replaceChildren(message);
  });
})();
