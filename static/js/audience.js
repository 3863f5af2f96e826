// Counts one read of the article on the page: a first-party beacon, sent once
// the page is actually shown (not while it is prerendered or in a background
// tab). No cookie, no identifier: the server hashes the request with a salt it
// rotates every day. Works on pages served from the page cache or a CDN.
(function () {
  "use strict";
  var tag = document.getElementById("read-beacon");
  if (!tag || !tag.dataset.readUrl || !tag.dataset.article) { return; }
  var url = tag.dataset.readUrl;
  var body = "id=" + encodeURIComponent(tag.dataset.article);
  var sent = false;

  function send() {
    if (sent || document.visibilityState !== "visible") { return; }
    sent = true;
    var type = "application/x-www-form-urlencoded";
    if (navigator.sendBeacon && navigator.sendBeacon(url, new Blob([body], { type: type }))) {
      return;
    }
    fetch(url, {
      method: "POST", body: body, keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": type }
    }).catch(function () {});
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    document.addEventListener("visibilitychange", send);
    send();
  }
})();
