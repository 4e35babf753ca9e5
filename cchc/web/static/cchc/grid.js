/* The form table moves like a spreadsheet, and takes a block pasted from Excel.
 *
 * Enter (Shift+Enter) goes to the cell below (above) instead of submitting the
 * form; the arrow keys go up and down, and left and right once the caret is at
 * the text's edge; Tab (Shift+Tab) goes right (left), then on to the next row.
 * Leaving a cell saves it through its autosave, once. Text copied from Excel
 * (tab-separated columns, one line a row) fills the cells below and to the
 * right of the cell it is pasted into, rows without a cell (headings) skipped;
 * each cell is then saved like a typed one, so the server recomputes the rates
 * and the findings. A single value pastes as usual.
 */
(function () {
  "use strict";
  var table = document.getElementById("form-table");
  if (!table) return;
  var COLUMNS = ["td.value [hx-post][name]", "td.note [hx-post][name]"], CELL = COLUMNS.join(",");

  function columnOf(cell) { return cell.closest("td.value") ? 0 : 1; }
  function inRow(row, column) { return row.querySelector(COLUMNS[column]); }

  /* The cell `down` rows below (negative: above) in the same column, skipping rows without one. */
  function below(cell, down) {
    var column = columnOf(cell), row = cell.closest("tr"), step = down < 0 ? -1 : 1;
    for (var left = Math.abs(down); left > 0 && row; ) {
      row = step > 0 ? row.nextElementSibling : row.previousElementSibling;
      if (row && inRow(row, column)) left -= 1;
    }
    return row ? inRow(row, column) : null;
  }

  function inReadingOrder(cell, step) {
    var all = Array.prototype.slice.call(table.querySelectorAll(CELL));
    return all[all.indexOf(cell) + step] || null;
  }

  function go(target) {
    if (!target) return false;
    target.focus();
    if (target.select) target.select();
    return true;
  }

  function atEdge(cell, end) {
    if (typeof cell.selectionStart !== "number") return true;  // a list of choices
    var edge = end ? cell.value.length : 0;
    return cell.selectionStart === edge && cell.selectionEnd === edge;
  }

  table.addEventListener("keydown", function (event) {
    var cell = event.target;
    if (!cell.matches(CELL) || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
    var isList = cell.tagName === "SELECT", moved = null;
    if (event.key === "Enter") {
      event.preventDefault();  // never the whole-form post
      moved = go(below(cell, event.shiftKey ? -1 : 1));
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !isList) {
      moved = go(below(cell, event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "ArrowLeft" && columnOf(cell) === 1 && atEdge(cell, false)) {
      moved = go(inRow(cell.closest("tr"), 0));
    } else if (event.key === "ArrowRight" && columnOf(cell) === 0 && atEdge(cell, true)) {
      moved = go(inRow(cell.closest("tr"), 1));
    } else if (event.key === "Tab") {
      moved = go(inReadingOrder(cell, event.shiftKey ? -1 : 1));
    }
    if (moved) event.preventDefault();
  });

  table.addEventListener("paste", function (event) {
    var start = event.target;
    if (!start.matches(CELL) || !event.clipboardData) return;
    var text = event.clipboardData.getData("text/plain").replace(/\r\n?/g, "\n").replace(/\n$/, "");
    if (!/[\t\n]/.test(text)) return;
    event.preventDefault();
    var filled = [];
    text.split("\n").forEach(function (line, down) {
      var first = down === 0 ? start : below(start, down);
      if (!first) return;
      line.split("\t").forEach(function (value, right) {
        var cell = right === 0 ? first : inRow(first.closest("tr"), columnOf(first) + right);
        if (!cell) return;
        var notACode = cell.tagName === "SELECT" && !cell.querySelector('option[value="' + CSS.escape(value.trim()) + '"]');
        if (notACode) return;  // the list keeps what it had
        cell.value = value.trim();
        filled.push(cell);
      });
    });
    if (window.cchcSaveInTurn) window.cchcSaveInTurn(filled);
  });
})();
