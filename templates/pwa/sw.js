// The service worker of "Huấn luyện Công đoàn" (served at /sw.js by lms.pwa; version __VERSION__).
// Shell and static files: hashed static files cache-first (their name changes with their content),
// other static files network-first. Pages: network-first; without a connection, a page saved for
// offline reading (a course's cache, see courses/static/courses/offline.js) or the offline page.
const VERSION = "__VERSION__";
const SHELL_CACHE = "lms-shell-" + VERSION;
const STATIC_CACHE = "lms-static-" + VERSION;
const SHELL = {{ shell_json|safe }};
const OFFLINE_URL = {{ offline_url_json|safe }};
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  // A deploy brings a new version: drop the old shell and static caches (saved courses stay).
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names
        .filter((name) => (name.startsWith("lms-shell-") || name.startsWith("lms-static-"))
          && name !== SHELL_CACHE && name !== STATIC_CACHE)
        .map((name) => caches.delete(name))
    )).then(() => self.clients.claim())
  );
});

async function cacheFirst(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) (await caches.open(STATIC_CACHE)).put(request, response.clone());
  return response;
}

async function networkFirst(request, fallback) {
  try {
    const response = await fetch(request);
    if (response.ok && request.url.includes("/static/")) {
      (await caches.open(STATIC_CACHE)).put(request, response.clone());
    }
    return response;
  } catch (error) {
    const hit = await caches.match(request, { ignoreVary: true });
    if (hit) return hit;
    if (fallback) {
      const page = await caches.match(fallback);
      if (page) return page;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/admin/")) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, OFFLINE_URL));
  } else if (url.pathname.startsWith("/media/")) {
    event.respondWith(networkFirst(request));
  }
});
