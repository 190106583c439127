// Live updates for a page that shows items others may change (served as /live.js; no inline script, so the
// strict Content-Security-Policy holds). The page names its event stream on an element:
//   <div data-live-source="/care-requests/live"> … </div>
// and each element that can change names the id the stream sends and where its fresh HTML is:
//   <tr data-live-id="<id>" data-live-fragment="/care-requests/<id>/row"> … </tr>
// On an event for an id on the page, the element is fetched again and replaced. The new element's
// data-live-announce text is read out politely by the page's [data-live-announcer] (aria-live) region.
// A `created` event names an item the page has never shown. A list whose page it belongs on says where new
// items go and where their HTML is:
//   <tbody data-live-insert="/care-requests/{id}/row"> … </tbody>
// and the new element is fetched and put first there, or last in a list kept oldest first that says
// data-live-insert-position="end" (its data-live-announce-created text read out); the page's [data-live-empty]
// message goes and a hidden [data-live-source] shows. Pages without it ignore new items.
// A section that gathers many items and gains new ones anywhere in it (a dispatch board's windows) says
//   <div data-live-any data-live-fragment="/board/windows?…"> … </div>
// and is fetched again on every event: one fetch at a time (events meanwhile make one more), and never while
// focus is inside it, so a form being filled keeps what was typed; it catches up when focus leaves.
// Without JavaScript the page is simply correct as of its last load.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-source]");
  if (!root || !window.EventSource || !window.fetch) return;
  var announcer = document.querySelector("[data-live-announcer]");
  var source = new EventSource(root.getAttribute("data-live-source"));

  function announce(message) {
    if (!announcer || !message) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  // The element at `url` (one element, or nothing when the server says no).
  function fetchElement(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) return null;
        return response.text();
      })
      .then(function (html) {
        if (!html) return null;
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        return template.content.firstElementChild;
      });
  }

  function shown(id) {
    var elements = document.querySelectorAll("[data-live-id]");
    var found = [];
    for (var i = 0; i < elements.length; i++) {
      if (elements[i].getAttribute("data-live-id") === id) found.push(elements[i]);
    }
    return found;
  }

  function refresh(element) {
    var url = element.getAttribute("data-live-fragment");
    if (!url) return Promise.resolve();
    return fetchElement(url)
      .then(function (fresh) {
        if (!fresh || !element.parentNode) return;
        element.replaceWith(fresh);
        announce(fresh.getAttribute("data-live-announce"));
      })
      .catch(function () { /* the next event or a reload shows the change */ });
  }

  function insert(id) {
    var target = document.querySelector("[data-live-insert]");
    if (!target || !/^[0-9a-f-]{36}$/.test(id)) return;
    var url = target.getAttribute("data-live-insert").replace("{id}", encodeURIComponent(id));
    fetchElement(url)
      .then(function (fresh) {
        // Only a row of the same kind as the container's, and never twice (two events, or a change first).
        if (!fresh || fresh.getAttribute("data-live-id") !== id || shown(id).length) return;
        var sample = target.firstElementChild;
        if (sample ? fresh.tagName !== sample.tagName : target.tagName === "TBODY" && fresh.tagName !== "TR") return;
        // A list kept oldest first (a queue) says data-live-insert-position="end".
        if (target.getAttribute("data-live-insert-position") === "end") target.appendChild(fresh);
        else target.insertBefore(fresh, target.firstElementChild);
        var empty = document.querySelector("[data-live-empty]");
        if (empty) empty.remove();
        if (root.hasAttribute("hidden")) root.removeAttribute("hidden");
        announce(fresh.getAttribute("data-live-announce-created") || fresh.getAttribute("data-live-announce"));
      })
      .catch(function () { /* a reload shows it */ });
  }

  var anyBusy = false;
  var anyDue = false;
  function refreshAny() {
    var element = document.querySelector("[data-live-any]");
    if (!element) return;
    if (anyBusy || element.contains(document.activeElement)) {
      anyDue = true;
      return;
    }
    anyBusy = true;
    anyDue = false;
    refresh(element).then(function () {
      anyBusy = false;
      if (anyDue) refreshAny();
    });
  }
  document.addEventListener("focusout", function () {
    if (anyDue) window.setTimeout(refreshAny, 0);
  });

  source.addEventListener("message", function (event) {
    shown(event.data).forEach(refresh);
    refreshAny();
  });
  source.addEventListener("created", function (event) {
    var elements = shown(event.data);
    if (elements.length) elements.forEach(refresh);
    else insert(event.data);
    refreshAny();
  });
  // The session ended (signed out, or the account was deactivated): stop reconnecting.
  source.addEventListener("signed-out", function () { source.close(); });
})();
