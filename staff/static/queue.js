/* The queue page's "N new — show" notice. Every 30 seconds (while the tab is
   visible) it asks /queue/count how many cases joined this view since the page
   was made, and writes the answer as a link into an aria-live region. It never
   reloads the page itself: the reader keeps their place until they follow it. */
(function () {
  "use strict";
  var region = document.getElementById("queue-news");
  if (!region || !region.dataset.countUrl) {
    return;
  }
  var every = 30 * 1000;
  var shown = 0;
  var timer = window.setInterval(check, every);

  function check() {
    if (document.hidden) {
      return;
    }
    fetch(region.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) {
          window.clearInterval(timer); // signed out: the next click goes to the sign-in form
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (body && typeof body.new === "number") {
          show(body.new);
        }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  function show(count) {
    if (count === shown) {
      return; // the live region speaks only when the number changes
    }
    shown = count;
    region.textContent = "";
    if (count > 0) {
      var link = document.createElement("a");
      link.href = window.location.pathname + window.location.search;
      link.className = "button secondary";
      link.textContent = count + " new — show";
      region.appendChild(link);
    }
  }
})();
