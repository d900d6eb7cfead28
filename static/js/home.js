// The home page's "on this phone, not sent yet": meeting logs written offline and kept in this phone's
// IndexedDB (kallpanchis/offline/static/offline/store.js), listed under the day's to-do list. The server
// cannot know them, so this list is filled here; without JavaScript the section stays hidden.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const section = document.getElementById("home-drafts");
  const offline = window.KallpanchisOffline;
  if (!section || !offline) return;
  // Only the drafts of the person signed in: on a shared phone another person's drafts are not listed.
  offline
    .myDrafts()
    .then((drafts) => {
      if (!drafts || !drafts.length) return;
      const list = section.querySelector("ul");
      drafts.forEach((draft) => {
        const item = document.createElement("li");
        item.className = "pending-item";
        const title = document.createElement("p");
        title.className = "pending-title fw-semibold mb-1";
        title.textContent = draft.title || section.dataset.untitled;
        item.appendChild(title);
        if (draft.space || draft.message) {
          const detail = document.createElement("p");
          detail.className = "small text-body-secondary mb-0";
          detail.textContent = [draft.space, draft.message].filter(Boolean).join(" · ");
          item.appendChild(detail);
        }
        list.appendChild(item);
      });
      section.classList.remove("d-none");
      // The same drafts are announced on every page by a banner; here the list says it already.
      const banner = document.getElementById("unsent-drafts");
      if (banner) banner.remove();
    })
    .catch(() => {});
});
