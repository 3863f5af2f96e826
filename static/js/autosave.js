// Autosave of the article form (revisions app): every few seconds, when the
// text fields changed, and when the tab is hidden or closed, they are posted
// to the autosave endpoint, which keeps one copy per editor and story. The
// change page offers that copy back when it differs from the saved story.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("revisions-autosave");
    var form = box && box.closest("form");
    if (!form) return;
    var url = box.dataset.url;
    var interval = Math.max(1, Number(box.dataset.interval) || 5) * 1000;
    var maxChars = Number(box.dataset.maxChars) || 1000000;
    var fields = box.dataset.fields.split(",");
    var status = document.getElementById("autosave-status");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var submitting = false;
    var sending = false;

    function values() {
      var data = new URLSearchParams();
      var size = 0;
      fields.forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && typeof field.value === "string") {
          data.append(name, field.value);
          size += field.value.length;
        }
      });
      return { data: data, text: data.toString(), size: size };
    }

    function say(message, isError) {
      if (!status) return;
      status.textContent = message;
      status.classList.toggle("errornote", Boolean(isError));
    }

    var last = values().text;

    function send(leaving) {
      if (submitting || (sending && !leaving)) return;
      var now = values();
      if (now.text === last) return;
      if (now.size > maxChars) {
        say("Not autosaved: the text is too long. Save the story to keep it.", true);
        return;
      }
      var version = form.elements.namedItem("base_version");
      now.data.append("base_version", version ? version.value : "");
      now.data.append("csrfmiddlewaretoken", token ? token.value : "");
      sending = !leaving;
      fetch(url, {
        method: "POST",
        body: now.data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
        // A request that may outlive the page (a closed tab), within the
        // browsers' 64 KiB allowance for those.
        keepalive: Boolean(leaving) && now.text.length < 60000,
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            if (response.ok) {
              last = now.text;
              say(answer.message || "Autosaved", false);
            } else {
              say(answer.error || "Not autosaved.", true);
            }
          });
        })
        .catch(function () {
          say("Not autosaved: the server did not answer. Save the story to keep your text.", true);
        })
        .finally(function () {
          sending = false;
        });
    }

    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.setInterval(send, interval);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") send(true);
    });
    window.addEventListener("pagehide", function () {
      send(true);
    });
  }

  // Loaded in the page's head with the admin's other scripts: start once
  // the form is there.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
