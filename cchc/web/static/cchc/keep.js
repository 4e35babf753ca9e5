/* Nothing typed is lost.
 *
 * Every autosaved field (a form cell, its note, a section's text) is kept in this
 * browser's localStorage, with the version it was typed over, from the first
 * keystroke until the server answers «Đã lưu» for that very text. When a save
 * meets an ended session (a 401 from SessionEndedMiddleware) the page shows the
 * notice with its login link; after logging in the page comes back, finds what
 * was kept and sends it again through the same autosave, with the version it
 * was typed over: if someone else saved the field meanwhile, the usual conflict
 * message answers, never a silent overwrite. Kept values belong to one user and
 * one page (report and form or section); nothing is computed here.
 */
(function () {
  "use strict";
  var notice = document.getElementById("session-ended");
  if (!notice || !window.localStorage) return;
  var FIELD = "[hx-post][hx-include][name]";
  var prefix = "cchc:giu:" + notice.dataset.user + ":" + location.pathname + "|";

  function read(name) {
    try { return JSON.parse(localStorage.getItem(prefix + name)); } catch (e) { return null; }
  }
  function write(name, entry) {
    try { localStorage.setItem(prefix + name, JSON.stringify(entry)); } catch (e) { /* full: the field still holds it */ }
  }
  function versionInput(field) { return document.querySelector(field.getAttribute("hx-include")); }
  function fieldNamed(name) {
    return Array.prototype.find.call(document.getElementsByName(name), isField) || null;
  }
  function sameVersion(field) {
    return Array.prototype.filter.call(document.querySelectorAll(FIELD), function (other) {
      return other.getAttribute("hx-include") === field.getAttribute("hx-include");
    });
  }
  function isField(el) { return el instanceof Element && el.matches(FIELD); }

  function keep(event) {
    var field = event.target;
    if (!isField(field)) return;
    var kept = read(field.name);
    write(field.name, { value: field.value, version: kept ? kept.version : (versionInput(field) || {}).value });
  }
  document.addEventListener("input", keep);
  document.addEventListener("change", keep);

  /* The field a save request was for, and the text it carried (see save_cell, save_section_view). */
  function sent(formData) {
    if (!formData || !formData.has("code")) {
      return formData && formData.has("text") ? { name: "text", value: formData.get("text") } : null;
    }
    var name = (formData.get("field") === "note" ? "n:" : "v:") + formData.get("code");
    return { name: name, value: formData.has("text") ? formData.get("text") : formData.get(name) };
  }

  /* The server's own words for a refusal: a JSON `error`, or the #refusal of a 403 page. */
  function refusal(xhr) {
    try { return JSON.parse(xhr.responseText).error || null; } catch (e) { /* a page */ }
    var why = new DOMParser().parseFromString(xhr.responseText || "", "text/html").getElementById("refusal");
    return why ? why.textContent : null;
  }

  function say(status, text) {
    if (!status) return;
    var note = document.createElement("span");
    note.className = "unsaved";
    note.textContent = text;
    status.replaceChildren(note);
  }

  /* Saves sent one after another (restored values, a pasted column): one request at a time. */
  var queue = [];
  function sendNext() {
    if (queue.length) queue[0].dispatchEvent(new Event("change", { bubbles: true }));
  }
  function saveInTurn(fields) {
    var idle = queue.length === 0;
    queue.push.apply(queue, fields);
    if (idle) sendNext();
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail, xhr = detail.xhr, field = sent(detail.requestConfig.formData);
    if (field && xhr.status === 200 && detail.target && detail.target.querySelector(".saved")) {
      var kept = read(field.name), saved = fieldNamed(field.name);
      if (kept && kept.value === field.value) localStorage.removeItem(prefix + field.name);
      // What is still unsaved under the same version (typed on meanwhile, the row's note) now
      // stands on the version just saved, not on the one this person's own save replaced.
      if (saved) sameVersion(saved).forEach(function (other) {
        var rest = read(other.name);
        if (rest) write(other.name, { value: rest.value, version: versionInput(other).value });
      });
    } else if (field && xhr.status === 200 && detail.target && detail.target.querySelector(".conflict")) {
      var mine = read(field.name);
      if (mine && copyBox(field.name)) {  // a text too long to retype: kept, shown beside the saved one
        write(field.name, { value: mine.value, version: mine.version, conflict: true });
      } else {  // a cell: the conflict message quotes the value and offers to overwrite
        localStorage.removeItem(prefix + field.name);
      }
    } else if (field && xhr.status === 401) {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { /* the link in the page is enough */ }
      if (answer.login_url) notice.querySelector("a").href = answer.login_url;
      notice.hidden = false;
      say(detail.target, notice.dataset.unsaved);
    } else if (field && !detail.successful) {
      say(detail.target, refusal(xhr) || notice.dataset.failed);
    }
    if (queue.length && detail.elt === queue[0]) {
      queue.shift();
      sendNext();
    }
  });

  /* The page's CSRF token is stale once the person logs in again in another window: the cookie's is not. */
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (!token) return;
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(token[1]);
    var form = event.detail.formData;  // Django reads the form's own field before the header
    if (form && form.has("csrfmiddlewaretoken")) form.set("csrfmiddlewaretoken", decodeURIComponent(token[1]));
  });

  function unsaved(root) {
    return Array.prototype.filter.call(root.querySelectorAll(FIELD), function (field) {
      return read(field.name) !== null;
    });
  }

  /* «Lưu», «Lưu tất cả» send what is not saved yet through the autosave, not as a whole-form post. */
  document.addEventListener("submit", function (event) {
    if (!event.target.querySelector(FIELD)) return;
    event.preventDefault();
    saveInTurn(unsaved(event.target));
  });

  function copyBox(name) { return document.querySelector('[data-kept-copy="' + name + '"]'); }

  /* A text that met someone else's save: the saved one in the field, the person's own beside it. */
  function showCopy(field, kept) {
    var box = copyBox(field.name);
    box.querySelector("textarea").value = kept.value;
    box.hidden = false;
    box.addEventListener("click", function (event) {
      var use = event.target.matches("[data-use]");
      if (!use && !event.target.matches("[data-drop]")) return;
      localStorage.removeItem(prefix + field.name);
      box.hidden = true;
      if (use) {  // chosen knowingly: saved over the version now shown
        field.value = kept.value;
        saveInTurn([field]);
      }
    });
  }

  /* Back on the page (after logging in again, or any reload): send what the server does not have. */
  document.addEventListener("DOMContentLoaded", function () {  // runs after htmx has read the page
    var restored = unsaved(document).filter(function (field) {
      var kept = read(field.name);
      if (kept.value === field.value) {
        localStorage.removeItem(prefix + field.name);  // the server already has this text
      } else if (kept.conflict && copyBox(field.name)) {
        showCopy(field, kept);
      } else {
        return true;
      }
      return false;
    });
    restored.forEach(function (field) {
      var kept = read(field.name);
      field.value = kept.value;
      versionInput(field).value = kept.version;
    });
    saveInTurn(restored);
  });

  window.cchcSaveInTurn = saveInTurn;
})();
