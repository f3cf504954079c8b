// The installable app: registers the service worker, queues lesson completions made without a
// connection (IndexedDB) and sends them when the connection comes back, and shows the notices of
// pages that need a connection. Every page works without this script.
//
// A phone may be shared. Each queued completion carries the account it was made under and is sent
// only from a page of that same account (the server checks it too). Signing out first sends what
// is queued, then deletes the saved courses and the queue (the sign-out answer also carries
// Clear-Site-Data); signing in as someone else deletes what another account left behind.
(() => {
  const script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.sw) {
    navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).catch(() => {});
  }
  const user = (script && script.dataset.user) || "";
  const signOutPath = (script && script.dataset.signOut) || "";
  const OWNER_KEY = "lms-offline-user";
  const COURSE_CACHE = "lms-course-";

  const DB_NAME = "lms-offline";
  const STORE = "completions";

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }

  function cookie(name) {
    const found = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine || !window.indexedDB) return;
    flushing = true;
    try {
      const queued = await withStore("readonly", (store) => store.getAll());
      for (const item of queued || []) {
        if (!item.user || (user && item.user !== user)) {
          // Made under another account (or before completions named theirs): never sent as this
          // one. From a page that names no account (the offline page) the server checks it.
          await withStore("readwrite", (store) => store.delete(item.id));
          continue;
        }
        let response;
        try {
          response = await fetch(item.url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") || item.csrf },
            body: JSON.stringify({ id: item.id, user: item.user }),
          });
        } catch (error) {
          break; // still no connection: try again on the next "online" or page load
        }
        // Sent (or refused for good: the lesson is gone, another account, signed out): drop it.
        if (response.ok || [400, 403, 404].includes(response.status) || response.redirected) {
          await withStore("readwrite", (store) => store.delete(item.id));
        } else {
          break;
        }
      }
    } finally {
      flushing = false;
    }
  }

  // The saved courses and the queue of unsent completions; the app shell (no one's data) stays.
  async function clearOfflineData() {
    if ("caches" in window) {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith(COURSE_CACHE)).map((name) => caches.delete(name)));
    }
    if (window.indexedDB) await withStore("readwrite", (store) => store.clear());
    try {
      localStorage.removeItem(OWNER_KEY);
    } catch (error) {
      // storage refused (private mode): nothing was recorded either
    }
  }

  async function claimOfflineData() {
    // Whatever another account saved or queued on this browser is not for this one.
    if (!user) return;
    let owner = null;
    try {
      owner = localStorage.getItem(OWNER_KEY);
    } catch (error) {
      return;
    }
    if (owner && owner !== user) await clearOfflineData();
    try {
      localStorage.setItem(OWNER_KEY, user);
    } catch (error) {
      // nothing to do
    }
  }

  function withTimeout(promise, ms) {
    return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);
  }

  function isSignOut(form) {
    return signOutPath && new URL(form.action, location.href).pathname === signOutPath;
  }

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !isSignOut(form) || form.dataset.cleared) return;
      event.preventDefault();
      form.dataset.cleared = "1";
      // Send what is queued while this account is still signed in, then forget it all.
      withTimeout(flush().then(clearOfflineData), 5000)
        .catch(() => {})
        .finally(() => form.submit());
    },
    true
  );

  function showNetworkNotices() {
    document.querySelectorAll("[data-needs-network]").forEach((element) => {
      element.hidden = navigator.onLine;
    });
    document.querySelectorAll("[data-online-only]").forEach((element) => {
      element.hidden = !navigator.onLine;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    showNetworkNotices();
    document.querySelectorAll("form[data-offline-queue]").forEach((form) => {
      form.addEventListener("submit", async (event) => {
        if (navigator.onLine || !window.indexedDB) return; // online: the ordinary form post
        event.preventDefault();
        const csrf = form.querySelector("[name=csrfmiddlewaretoken]");
        await withStore("readwrite", (store) =>
          store.put({
            id: newId(),
            user,
            url: form.dataset.offlineQueue,
            csrf: csrf ? csrf.value : "",
            at: Date.now(),
          })
        );
        const notice = form.parentElement.querySelector("[data-queued-notice]");
        if (notice) notice.hidden = false;
        form.hidden = true;
      });
    });
    claimOfflineData().catch(() => {}).finally(flush);
  });
  window.addEventListener("online", () => {
    showNetworkNotices();
    flush();
  });
  window.addEventListener("offline", showNetworkNotices);
})();
