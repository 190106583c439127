// Live updates for a page that shows items others may change (served as /live.js; no inline script, so the
// strict Content-Security-Policy holds). The page names its event stream on an element:
//   <div data-live-source="/care-requests/live"> … </div>
// and each element that can change names the id the stream sends and where its fresh HTML is:
//   <tr data-live-id="<id>" data-live-fragment="/care-requests/<id>/row"> … </tr>
// On an event for an id on the page, the element is fetched again and replaced. The new element's
// data-live-announce text is read out politely by the page's [data-live-announcer] (aria-live) region.
// Without JavaScript the page is simply correct as of its last load.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-source]");
  if (!root || !window.EventSource || !window.fetch) return;
  var announcer = document.querySelector("[data-live-announcer]");
  var source = new EventSource(root.getAttribute("data-live-source"));

  function refresh(element) {
    var url = element.getAttribute("data-live-fragment");
    if (!url) return Promise.resolve();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) return null;
        return response.text();
      })
      .then(function (html) {
        if (!html) return;
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        var fresh = template.content.firstElementChild;
        if (!fresh || !element.parentNode) return;
        element.replaceWith(fresh);
        var message = fresh.getAttribute("data-live-announce");
        if (announcer && message) {
          announcer.textContent = "";
          window.setTimeout(function () { announcer.textContent = message; }, 50);
        }
      })
      .catch(function () { /* the next event or a reload shows the change */ });
  }

  source.addEventListener("message", function (event) {
    var elements = document.querySelectorAll("[data-live-id]");
    for (var i = 0; i < elements.length; i++) {
      if (elements[i].getAttribute("data-live-id") === event.data) refresh(elements[i]);
    }
  });
  // The session ended (signed out, or the account was deactivated): stop reconnecting.
  source.addEventListener("signed-out", function () { source.close(); });
})();
