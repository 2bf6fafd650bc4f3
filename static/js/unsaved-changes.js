// Asks before the page is left while a form marked data-unsaved-warning holds changes that
// were not saved: a link in the header, the back button or a closed tab would otherwise
// drop a response's text typed for an hour. The forms' own buttons all save, so leaving by
// them asks nothing. Without script the page works as before; this only adds the question.
(function () {
  "use strict";

  // What the form would send, files by name: compared with what it held when the page
  // opened, so text typed and then put back as it was counts as no change.
  function snapshot(form) {
    const parts = [];
    for (const [name, value] of new FormData(form)) {
      parts.push([name, typeof value === "string" ? value : value.name]);
    }
    return JSON.stringify(parts);
  }

  const watched = [];
  for (const form of document.querySelectorAll("form[data-unsaved-warning]")) {
    // "unsaved": the page shows a form sent back with errors, nothing of it saved yet.
    const saved = form.dataset.unsavedWarning === "unsaved" ? null : snapshot(form);
    const entry = { form: form, saved: saved, submitting: false };
    form.addEventListener("submit", function () {
      entry.submitting = true;
    });
    watched.push(entry);
  }
  if (!watched.length) {
    return;
  }

  window.addEventListener("beforeunload", function (event) {
    const changed = watched.some(function (entry) {
      return !entry.submitting && snapshot(entry.form) !== entry.saved;
    });
    if (changed) {
      // The browser writes the question itself, in the visitor's language.
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Back from another page through the browser's page cache: the form is as it was left,
  // and a submit that was under way is over.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      for (const entry of watched) {
        entry.submitting = false;
      }
    }
  });
})();
