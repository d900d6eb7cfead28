/* The phone's own storage for field work (IndexedDB "kallpanchis-offline"):
   - drafts:   meeting logs written on the phone, under an id made on the phone, each with its author's opaque
               key (`owner`); kept until the server has them, even across sign-out (they are the technician's
               work, and nothing else holds them), but shown and sent only during their author's session;
   - meetings: the signed-in technician's upcoming meetings saved for offline use; forgotten at sign-out;
   - spaces:   the people of those meetings' spaces (to tick) and their member organisations; forgotten too;
   - meta:     when the list was saved, whose it is (`owner`), the districts they may register people in.
   Loaded by every page (base.html) and by the offline shell. No inline code: CSP forbids it. */
(function () {
  "use strict";
  const DB_NAME = "kallpanchis-offline";
  const DB_VERSION = 2;
  let opening = null;

  function open() {
    if (!("indexedDB" in window)) return Promise.reject(new Error("no IndexedDB"));
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains("drafts")) db.createObjectStore("drafts", { keyPath: "id" });
          if (!db.objectStoreNames.contains("meetings")) db.createObjectStore("meetings", { keyPath: "id" });
          if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta", { keyPath: "key" });
          if (!db.objectStoreNames.contains("spaces")) db.createObjectStore("spaces", { keyPath: "id" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opening;
  }

  function run(storeName, mode, work) {
    return open().then(
      (db) =>
        new Promise((resolve, reject) => {
          const tx = db.transaction(storeName, mode);
          const store = tx.objectStore(storeName);
          let result;
          const request = work(store);
          if (request) request.onsuccess = () => (result = request.result);
          tx.oncomplete = () => resolve(result);
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        })
    );
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const api = {
    uuid,
    drafts: () => run("drafts", "readonly", (s) => s.getAll()),
    draft: (id) => run("drafts", "readonly", (s) => s.get(id)),
    saveDraft: (draft) => run("drafts", "readwrite", (s) => s.put(draft)),
    deleteDraft: (id) => run("drafts", "readwrite", (s) => s.delete(id)),
    meetings: () => run("meetings", "readonly", (s) => s.getAll()),
    replaceMeetings: (meetings, savedAt) =>
      run("meetings", "readwrite", (s) => {
        s.clear();
        meetings.forEach((m) => s.put(m));
      }).then(() => api.setMeta("meetingsSavedAt", savedAt)),
    forgetMeeting: (id) => run("meetings", "readwrite", (s) => s.delete(id)),
    /* Everything the meeting list answers, kept together: meetings, spaces' people, districts, owner. */
    saveList: async function (data, savedAt) {
      await run("spaces", "readwrite", (s) => {
        s.clear();
        (data.spaces || []).forEach((space) => s.put(space));
      });
      await api.setMeta("districts", data.districts || []);
      await api.setMeta("owner", data.owner || null);
      await api.replaceMeetings(data.meetings || [], savedAt);
    },
    space: (id) => run("spaces", "readonly", (s) => s.get(id)),
    meta: (key) => run("meta", "readonly", (s) => s.get(key)).then((row) => (row ? row.value : null)),
    setMeta: (key, value) => run("meta", "readwrite", (s) => s.put({ key, value })),
    meetingsSavedAt: () => api.meta("meetingsSavedAt"),
    /* Whose drafts this phone shows: the session's person when the list was last saved; null after sign-out. */
    owner: () => api.meta("owner"),
    /* The drafts of the current session's person (none without a session). */
    myDrafts: async function () {
      const owner = await api.owner();
      if (!owner) return [];
      return (await api.drafts()).filter((draft) => draft.owner === owner);
    },
    /* Sign-out (or any page seen signed out): forget the signed-in person's data, keep unsent drafts.
       The service worker's cache holds only static files and the data-free shell; any other entry that
       ever got there is removed too. */
    forgetSignedInData: async function () {
      const jobs = [
        run("meetings", "readwrite", (s) => s.clear()),
        run("spaces", "readwrite", (s) => s.clear()),
        run("meta", "readwrite", (s) => {
          ["meetingsSavedAt", "owner", "districts"].forEach((key) => s.delete(key));
        }),
      ];
      if ("caches" in window) {
        jobs.push(
          caches.keys().then((names) =>
            Promise.all(
              names.map((name) =>
                caches.open(name).then((cache) =>
                  cache.keys().then((requests) =>
                    Promise.all(
                      requests
                        .filter((r) => !api.isAllowedInCache(new URL(r.url).pathname))
                        .map((r) => cache.delete(r))
                    )
                  )
                )
              )
            )
          )
        );
      }
      return Promise.allSettled(jobs);
    },
    isAllowedInCache: (path) => path.startsWith("/static/") || path === "/offline/",
    unsentCount: () => api.drafts().then((all) => all.length),
  };
  window.KallpanchisOffline = api;
})();
