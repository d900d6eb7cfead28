// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const body = document.body;
  const offline = window.KallpanchisOffline;

  // The language selector submits itself once a language is picked; its button stays for no-JS users.
  document.querySelectorAll("form.js-autosubmit select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // The installable app: a service worker limited to /offline/ that keeps static files and the offline
  // meeting-log page (never a signed-in page). Registered from a static file; the worker is served by a view.
  if ("serviceWorker" in navigator && body.dataset.swUrl) {
    navigator.serviceWorker.register(body.dataset.swUrl, { scope: body.dataset.swScope }).catch(() => {});
  }

  if (!offline) return;

  // Signing out: forget the signed-in person's saved meetings and any cached page before leaving; unsent
  // drafts stay (they are the only copy of someone's work).
  document.querySelectorAll("form.js-signout").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.cleared) return;
      event.preventDefault();
      const go = () => {
        form.dataset.cleared = "1";
        form.submit();
      };
      offline.forgetSignedInData().then(go, go);
    });
  });
  // Any page seen signed out (after sign-out, or a session that ended) does the same.
  if (body.dataset.signedIn === "0") offline.forgetSignedInData();

  // Unsent drafts are shown on every page, signed in or not.
  const banner = document.getElementById("unsent-drafts");
  if (banner) {
    offline
      .unsentCount()
      .then((count) => {
        if (!count) return;
        const text = banner.querySelector(".unsent-text");
        text.textContent =
          count === 1 ? text.dataset.one : text.dataset.many.replace("%(count)s", String(count));
        banner.classList.remove("d-none");
      })
      .catch(() => {});
  }
});
