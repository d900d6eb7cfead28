/* Kallpanchis service worker (served from {{ shell_url }}sw.js, scope {{ shell_url }}).
   It keeps static files and the offline meeting-log shell, nothing else: no page with a signed-in
   person's data is ever stored, because phones are shared. Requests it does not know go to the network. */
const CACHE = "{{ cache_name }}";
const PRECACHE = {{ urls_json|safe }};
const SHELL = "{{ shell_url }}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("kallpanchis-") && n !== CACHE).map((n) => caches.delete(n)))
      )
      .then(() => self.clients.claim())
  );
});

function isShell(url) {
  return url.pathname === SHELL;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isShell(url)) {
    // Network first, so the shell follows the chosen language; the cached copy when there is no network.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected && response.type === "basic") {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return response;
        })
        .catch(() => caches.match(SHELL).then((hit) => hit || Response.error()))
    );
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
  }
  // Anything else (the meeting list, the sync endpoint): straight to the network, never stored.
});
