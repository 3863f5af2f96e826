// Newshub reader pages. Pages may be served from a full-page cache, so forms
// carry no CSRF token in their HTML: it is fetched just before they are sent.
(function () {
  "use strict";

  function fillToken(form) {
    return fetch("/csrf/", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        form.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (i) {
          i.value = data.token;
        });
      });
  }

  function explain(field) {
    field.setCustomValidity("");
    if (field.validity.valueMissing && field.dataset.missing) {
      field.setCustomValidity(field.dataset.missing);
    } else if (field.validity.typeMismatch && field.type === "email") {
      field.setCustomValidity("You have entered an incorrect email address!");
    }
  }

  document.querySelectorAll("form.js-csrf").forEach(function (form) {
    var fields = form.querySelectorAll("[required], input[type=email]");
    fields.forEach(function (f) {
      f.addEventListener("input", function () { explain(f); });
      f.addEventListener("invalid", function () { explain(f); });
    });
    form.addEventListener("submit", function (event) {
      fields.forEach(explain);
      if (!form.checkValidity()) {
        event.preventDefault();
        form.reportValidity();
        return;
      }
      if (form.dataset.ready === "1") { return; }
      event.preventDefault();
      fillToken(form).then(function () {
        form.dataset.ready = "1";
        form.submit();
      });
    });
  });
})();
