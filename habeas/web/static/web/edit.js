/* habeas edit pages: the citation picker and drafts of edit forms. Loaded (deferred) for users who may
   write; no inline script anywhere (the CSP forbids it). Everything here also works without it: the
   "Find" button and the pasted-quote field are served by the server. */
(function () {
  "use strict";

  // ---- drafts ------------------------------------------------------------------------------------
  // Why: a session can expire while a researcher types a long entry. The save then lands on the
  // sign-in page and, without this, everything typed is gone. So every change to an edit form is kept
  // in sessionStorage (this tab only; the browser drops it with the tab), under the form's URL. After
  // signing in again the sign-in page sends the user back to that URL, and the form takes the draft back.
  // A successful save comes back with a message naming the form (data-draft-saved) and its draft is
  // dropped; signing out drops every draft. A draft carries the user's id and is restored only into
  // that user's form, never into someone else's on a shared computer.
  var PREFIX = "habeas-draft:";

  function store() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  }

  function fieldsOf(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken") return;
      if (el.type === "submit" || el.type === "button" || el.type === "file") return;
      if (el.type === "checkbox") out[el.name] = el.checked;
      else if (el.type === "radio") {
        if (el.checked) out[el.name] = el.value;
      } else out[el.name] = el.value;
    });
    return out;
  }

  function saveDraft(form) {
    var s = store();
    if (!s) return;
    var draft = { user: form.dataset.draftUser, at: Date.now(), fields: fieldsOf(form) };
    try {
      s.setItem(PREFIX + form.dataset.draft, JSON.stringify(draft));
    } catch (e) {
      /* storage full or disabled: the form still works, only without a draft */
    }
  }

  function readDraft(form) {
    var s = store();
    if (!s) return null;
    var raw = s.getItem(PREFIX + form.dataset.draft);
    if (!raw) return null;
    try {
      var draft = JSON.parse(raw);
      if (draft && draft.user === form.dataset.draftUser && draft.fields) return draft;
    } catch (e) {
      /* unreadable: dropped below */
    }
    s.removeItem(PREFIX + form.dataset.draft);
    return null;
  }

  function restoreDraft(form, draft) {
    Object.keys(draft.fields).forEach(function (name) {
      var value = draft.fields[name];
      var el = form.elements.namedItem(name);
      if (!el) return;
      if (el.type === "checkbox") el.checked = value === true;
      else if (typeof el.length === "number" && !el.tagName) el.value = value; // radio group
      else el.value = value;
    });
  }

  function dropAllDrafts() {
    var s = store();
    if (!s) return;
    for (var i = s.length - 1; i >= 0; i--) {
      var key = s.key(i);
      if (key && key.indexOf(PREFIX) === 0) s.removeItem(key);
    }
  }

  // ---- the citation picker -----------------------------------------------------------------------
  // The source text is fetched as JSON and put in the page with textContent: one text node holding
  // exactly the stored characters, so offsets in it are offsets in the source (line endings included).
  // JavaScript counts UTF-16 units and Python counts code points: offsets are converted before sending.
  function codePoints(text) {
    return Array.from(text).length;
  }

  function initPicker(box, form, changed) {
    var find = form.elements.namedItem("cite-find");
    var results = box.querySelector(".cite-results");
    var textBox = box.querySelector(".cite-text");
    var chosen = box.querySelector(".cite-chosen");
    var chosenQuote = box.querySelector(".cite-chosen-quote");
    var status = box.querySelector(".cite-status");
    var start = form.elements.namedItem("cite-start");
    var end = form.elements.namedItem("cite-end");
    var selected = form.elements.namedItem("cite-selected");
    var loaded = null;

    function say(text) {
      status.textContent = text;
    }

    function getJSON(url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
        function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/json") !== 0) {
            throw new Error(response.status === 404 ? "not found" : "signed out?");
          }
          return response.json();
        }
      );
    }

    function clearSpan() {
      start.value = "";
      end.value = "";
      selected.value = "";
      chosen.hidden = true;
      chosenQuote.textContent = "";
    }

    function addResult(source, checked) {
      var label = document.createElement("label");
      label.className = "cite-result";
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "cite-source";
      radio.value = String(source.id);
      radio.checked = !!checked;
      label.appendChild(radio);
      var words = " " + source.title;
      if (source.publisher) words += ", " + source.publisher;
      if (source.published) words += " (" + source.published + ")";
      label.appendChild(document.createTextNode(words));
      results.appendChild(label);
      return radio;
    }

    function loadText(id, keepSpan) {
      var url = box.dataset.textUrl.replace(/\/0\/$/, "/" + encodeURIComponent(id) + "/");
      say("Loading the source text…");
      return getJSON(url).then(
        function (data) {
          if (loaded !== null && loaded !== String(data.id) && !keepSpan) clearSpan();
          loaded = String(data.id);
          textBox.textContent = data.text;
          textBox.hidden = false;
          say("Select the words that state this fact.");
          if (!results.querySelector("input[value='" + loaded + "']")) addResult(data, true);
        },
        function () {
          say("Could not load the source text. If your session ended, sign in again: your input is kept.");
        }
      );
    }

    function search() {
      var q = find.value.trim();
      if (!q) return;
      say("Searching…");
      getJSON(box.dataset.searchUrl + "?q=" + encodeURIComponent(q)).then(
        function (data) {
          var current = form.elements.namedItem("cite-source");
          var keep = current && current.value;
          results.textContent = "";
          data.results.forEach(function (source) {
            addResult(source, String(source.id) === keep);
          });
          say(data.results.length ? "Pick a source." : "No source you may read matches.");
        },
        function () {
          say("Could not search. If your session ended, sign in again: your input is kept.");
        }
      );
    }

    box.querySelector(".cite-find").addEventListener("click", function (event) {
      event.preventDefault();
      search();
    });
    find.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search();
      }
    });
    results.addEventListener("change", function (event) {
      if (event.target.name === "cite-source") {
        clearSpan();
        loadText(event.target.value, false).then(changed);
      }
    });

    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed || textBox.hidden) return;
      var range = selection.getRangeAt(0);
      if (!textBox.contains(range.startContainer) || !textBox.contains(range.endContainer)) return;
      var text = textBox.textContent;
      var before = document.createRange();
      before.selectNodeContents(textBox);
      before.setEnd(range.startContainer, range.startOffset);
      var from = before.toString().length;
      var to = from + range.toString().length;
      // A double-click takes the space after a word too: cite the words only.
      while (from < to && /\s/.test(text.charAt(from))) from++;
      while (to > from && /\s/.test(text.charAt(to - 1))) to--;
      if (from >= to) return;
      start.value = String(codePoints(text.slice(0, from)));
      end.value = String(codePoints(text.slice(0, to)));
      selected.value = text.slice(from, to);
      chosenQuote.textContent = selected.value;
      chosen.hidden = false;
      changed();
    });

    var checked = form.querySelector("input[name='cite-source']:checked");
    if (checked) loadText(checked.value, true);
    return {
      restore: function (id) {
        if (id) loadText(id, true);
        if (selected.value) {
          chosenQuote.textContent = selected.value;
          chosen.hidden = false;
        }
      },
    };
  }

  // ---- wiring ------------------------------------------------------------------------------------
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-draft-saved]"), function (el) {
      var s = store();
      if (s) s.removeItem(PREFIX + el.dataset.draftSaved);
    });
    Array.prototype.forEach.call(document.querySelectorAll("form.logout"), function (form) {
      form.addEventListener("submit", dropAllDrafts);
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
      var changed = function () {
        saveDraft(form);
      };
      var box = form.querySelector(".cite-picker");
      var picker = box ? initPicker(box, form, changed) : null;
      if (form.dataset.draftRestore) {
        var draft = readDraft(form);
        if (draft) {
          restoreDraft(form, draft);
          var note = form.querySelector(".draft-note");
          if (note) note.hidden = false;
          if (picker) picker.restore(draft.fields["cite-source"]);
        }
      } else {
        saveDraft(form); // shown again after a POST: the draft follows what the server kept
      }
      // Cancel and "Discard it" mean the typed input is not wanted: its draft goes too.
      var discard = function () {
        var s = store();
        if (s) s.removeItem(PREFIX + form.dataset.draft);
      };
      Array.prototype.forEach.call(form.querySelectorAll(".draft-discard-link"), function (link) {
        link.addEventListener("click", discard);
      });
      Array.prototype.forEach.call(form.querySelectorAll(".draft-discard"), function (button) {
        button.addEventListener("click", function () {
          discard();
          window.location.reload();
        });
      });
      form.addEventListener("input", changed);
      form.addEventListener("change", changed);
      form.addEventListener("submit", changed);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
