// Keyboard-first line tables (requisition and purchase-order lines). Static file: the CSP forbids inline script.
//
// Markup contract:
//   <table data-line-grid> … <tbody data-lines> <tr data-line> <td><input name="item" …></td> … </tr> … </tbody>
//   <template data-line-template> <tr data-line> … empty fields … </tr> </template>   (inside the table or form)
//   An optional <button type="button" data-remove-line> in a row removes it; [data-add-line] adds one.
//   [data-line-identity] fields are emptied in a copy (Ctrl+D); [data-line-source] elements describe where the
//   original came from: a copy loses them (fields among them are unlocked instead).
// Fields repeat their plain names in every row (item, quantity, …): the server reads them as parallel lists.
//
// Keys in a line (never while an input method is composing, so Chinese typing is never interrupted):
//   Tab / Shift+Tab   move along the row and on to the next or previous row (the browser's own order)
//   Enter             add an empty row below this one and put the cursor in its first field
//   Ctrl+D            duplicate this row below it
//   Delete            on an empty field: remove the row (in a filled field Delete edits the text as usual)
//   Ctrl+Delete       remove the row from any field
// After any change the table fires a debounced "lines-changed" event, which htmx listens to
// (hx-trigger="lines-changed") to have the server recompute the totals. When the swapped-in totals carry
// <ul data-line-results> (see applyResults), each row's amount and cell messages are filled in from it.
(function () {
  "use strict";

  const DEBOUNCE_MS = 250;
  const timers = new WeakMap();

  function gridOf(element) {
    return element instanceof Element ? element.closest("[data-line-grid]") : null;
  }

  function rowsOf(grid) {
    return Array.from(grid.querySelectorAll("tr[data-line]"));
  }

  function fieldsOf(row) {
    return Array.from(row.querySelectorAll("input, select, textarea")).filter(function (field) {
      return field.type !== "hidden" && !field.disabled;
    });
  }

  function templateOf(grid) {
    const form = grid.closest("form");
    return grid.querySelector("template[data-line-template]") ||
      (form && form.querySelector("template[data-line-template]"));
  }

  function changed(grid) {
    clearTimeout(timers.get(grid));
    timers.set(grid, setTimeout(function () {
      grid.dispatchEvent(new CustomEvent("lines-changed", { bubbles: true }));
    }, DEBOUNCE_MS));
  }

  function renumber(grid) {
    rowsOf(grid).forEach(function (row, index) {
      const number = String(index + 1);
      row.querySelectorAll("[data-line-number]").forEach(function (cell) { cell.textContent = number; });
      row.querySelectorAll("[data-label]").forEach(function (element) {
        element.setAttribute("aria-label", element.getAttribute("data-label").replace("#", number));
      });
      // A cell's message <p class="field-error" data-for="quantity"> is named lines-<n>-quantity-error and
      // described-by from its field, so a screen reader reads the right row's message.
      row.querySelectorAll(".field-error[data-for]").forEach(function (error) {
        const name = error.getAttribute("data-for");
        error.id = "lines-" + number + "-" + name + "-error";
        const field = row.querySelector('[name="' + CSS.escape(name) + '"]');
        if (field) field.setAttribute("aria-describedby", error.id);
      });
    });
  }

  // The server's totals fragment lists each row's amount and its cells' messages
  // (<ul data-line-results><li data-line-result="n" data-amount="…"><span data-error-for="quantity">…</span>);
  // they go into the rows' amount cells and messages, never into what was typed.
  function applyResults(results) {
    const form = results.closest("form");
    const grid = form && form.querySelector("[data-line-grid]");
    if (!grid) return;
    const rows = rowsOf(grid);
    results.querySelectorAll("[data-line-result]").forEach(function (result) {
      const row = rows[Number(result.getAttribute("data-line-result")) - 1];
      if (!row) return;
      row.querySelectorAll("[data-line-amount]").forEach(function (cell) {
        cell.textContent = result.getAttribute("data-amount") || "";
      });
      row.querySelectorAll(".field-error[data-for]").forEach(function (error) {
        const name = error.getAttribute("data-for");
        const message = result.querySelector('[data-error-for="' + CSS.escape(name) + '"]');
        const field = row.querySelector('[name="' + CSS.escape(name) + '"]');
        error.textContent = message ? message.textContent : "";
        error.hidden = !message;
        if (field) {
          if (message) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
        }
        if (error.parentElement) error.parentElement.classList.toggle("has-error", !!message);
      });
    });
  }

  document.addEventListener("htmx:load", function (event) {
    const root = event.target instanceof Element ? event.target : null;
    if (!root) return;
    const results = root.matches("[data-line-results]") ? [root] : root.querySelectorAll("[data-line-results]");
    Array.prototype.forEach.call(results, applyResults);
  });

  function focusField(row, index) {
    const fields = fieldsOf(row);
    const field = fields[Math.min(Math.max(index, 0), fields.length - 1)];
    if (field) { field.focus(); if (field.select) field.select(); }
  }

  function addRow(grid, after, copyFrom) {
    const template = templateOf(grid);
    let row;
    if (copyFrom) {
      row = copyFrom.cloneNode(true);
      // A copy is a new line: it must not carry the original's identity (e.g. a requisition line it orders).
      row.querySelectorAll("[data-line-identity]").forEach(function (field) { field.value = ""; });
      // What only the original's source allows goes too: hints about it are removed, locked fields unlocked.
      row.querySelectorAll("[data-line-source]").forEach(function (element) {
        if (element.matches("input, select, textarea")) { element.readOnly = false; } else { element.remove(); }
      });
      const from = fieldsOf(copyFrom), to = fieldsOf(row);
      to.forEach(function (field, i) { if (from[i] && field.tagName === "SELECT") field.value = from[i].value; });
    } else if (template) {
      row = template.content.firstElementChild.cloneNode(true);
    } else {
      return null;
    }
    row.querySelectorAll("[aria-invalid]").forEach(function (field) { field.removeAttribute("aria-invalid"); });
    row.querySelectorAll(".field-error").forEach(function (error) { error.textContent = ""; error.hidden = true; });
    const body = grid.querySelector("[data-lines]") || grid.querySelector("tbody");
    if (after && after.parentNode === body) { after.after(row); } else { body.appendChild(row); }
    renumber(grid);
    changed(grid);
    return row;
  }

  function removeRow(grid, row) {
    const rows = rowsOf(grid);
    const index = rows.indexOf(row);
    const column = fieldsOf(row).indexOf(document.activeElement);
    row.remove();
    if (!rowsOf(grid).length) addRow(grid, null, null);
    renumber(grid);
    changed(grid);
    const rest = rowsOf(grid);
    focusField(rest[Math.min(index, rest.length - 1)], column < 0 ? 0 : column);
  }

  document.addEventListener("keydown", function (event) {
    if (event.isComposing || event.keyCode === 229) return;
    const grid = gridOf(event.target);
    const row = event.target instanceof Element ? event.target.closest("tr[data-line]") : null;
    if (!grid || !row) return;
    const field = event.target;
    const column = fieldsOf(row).indexOf(field);
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey) {
      if (field.tagName === "TEXTAREA" || field.tagName === "BUTTON") return;
      event.preventDefault();
      const added = addRow(grid, row, null);
      if (added) focusField(added, 0);
    } else if ((event.key === "d" || event.key === "D") && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault();  // the browser's bookmark shortcut is not what a line editor means
      const copy = addRow(grid, row, row);
      if (copy) focusField(copy, column);
    } else if (event.key === "Delete" && (event.ctrlKey || event.metaKey ||
               (("value" in field) && field.value === "" && field.tagName !== "SELECT"))) {
      event.preventDefault();
      removeRow(grid, row);
    }
  });

  document.addEventListener("click", function (event) {
    const target = event.target instanceof Element ? event.target : null;
    const grid = gridOf(target) || (target && target.closest("form") &&
      target.closest("form").querySelector("[data-line-grid]"));
    if (!grid || !target) return;
    const remove = target.closest("[data-remove-line]");
    if (remove) {
      event.preventDefault();
      removeRow(grid, remove.closest("tr[data-line]"));
      return;
    }
    const add = target.closest("[data-add-line]");
    if (add) {
      event.preventDefault();
      const rows = rowsOf(grid);
      const added = addRow(grid, rows[rows.length - 1] || null, null);
      if (added) focusField(added, 0);
    }
  });

  // Typing changes the totals; an input method's intermediate text does not (compositionend sends the result).
  document.addEventListener("input", function (event) {
    if (event.isComposing) return;
    const grid = gridOf(event.target);
    if (grid) changed(grid);
  });
  document.addEventListener("compositionend", function (event) {
    const grid = gridOf(event.target);
    if (grid) changed(grid);
  });
  document.addEventListener("change", function (event) {
    const grid = gridOf(event.target);
    if (grid && event.target instanceof Element && event.target.tagName === "SELECT") changed(grid);
  });
})();
