// Newshub reader pages. Pages may be served from a full-page cache, so forms
// carry no CSRF token in their HTML: it is fetched just before they are sent.
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  function fillToken(form) {
    return getJSON("/csrf/").then(function (data) {
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
      form.dispatchEvent(new CustomEvent("newshub:beforesend"));
      fillToken(form).then(function () {
        form.dataset.ready = "1";
        form.submit();
      }, function () {
        form.dataset.ready = "1";  // send anyway: the server explains and keeps the text
        form.submit();
      });
    });
  });

  // Embedded videos: the page holds a placeholder; only the reader's click
  // loads the player, in a frame from the one origin the policy allows for it
  // (lib/embeds.py, frame-src).
  var PLAYERS = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)/;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".embed__load");
    var figure = button && button.closest("figure[data-embed-frame]");
    var src = figure && figure.dataset.embedFrame;
    if (!src || !PLAYERS.test(src)) { return; }
    var frame = document.createElement("iframe");
    frame.className = "embed__frame";
    frame.src = src;
    frame.title = figure.querySelector(".embed__provider").textContent;
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    figure.classList.add("embed--loaded");
    figure.replaceChildren(frame, figure.querySelector(".embed__link"));
  });

  // The comment form: a fresh signed time when the reader starts writing, reply
  // links that move the form under a comment, and "remember me" kept in this
  // browser only (no cookie, so cached pages stay cacheable).
  var form = document.getElementById("respond");
  if (!form) { return; }
  var STORE = "newshub.commenter";
  var stamped = false;
  form.addEventListener("focusin", function () {
    if (stamped || !form.dataset.stampUrl) { return; }
    stamped = true;
    getJSON(form.dataset.stampUrl).then(function (data) {
      form.elements.ts.value = data.ts;
    }, function () { stamped = false; });
  });

  try {
    var saved = JSON.parse(window.localStorage.getItem(STORE) || "null");
    if (saved) {
      ["name", "email", "url"].forEach(function (k) {
        if (saved[k] && !form.elements[k].value) { form.elements[k].value = saved[k]; }
      });
      form.elements.remember.checked = true;
    }
  } catch (e) { /* storage disabled: nothing to prefill */ }

  form.addEventListener("newshub:beforesend", function () {
    try {
      if (form.elements.remember.checked) {
        window.localStorage.setItem(STORE, JSON.stringify({
          name: form.elements.name.value,
          email: form.elements.email.value,
          url: form.elements.url.value
        }));
      } else {
        window.localStorage.removeItem(STORE);
      }
    } catch (e) { /* storage disabled */ }
  });

  var home = form.parentNode;
  var marker = document.createComment("respond");
  home.insertBefore(marker, form);
  var cancel = form.querySelector(".comment-form__cancel");
  var title = form.querySelector(".comment-form__title");
  var titleText = title.firstChild.nodeValue;

  document.querySelectorAll("[data-reply-to]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var article = link.closest("article");
      article.parentNode.insertBefore(form, article.nextSibling);
      form.elements.parent.value = link.dataset.replyTo;
      title.firstChild.nodeValue = "Reply to " + link.dataset.replyName + " ";
      cancel.hidden = false;
      form.elements.body.focus();
    });
  });
  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    marker.parentNode.insertBefore(form, marker.nextSibling);
    form.elements.parent.value = "";
    title.firstChild.nodeValue = titleText;
    cancel.hidden = true;
  });
})();
