// The installable app: registers the service worker, queues lesson completions made without a
// connection (IndexedDB) and sends them when the connection comes back, and shows the notices of
// pages that need a connection. Every page works without this script.
(() => {
  const script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.sw) {
    navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).catch(() => {});
  }

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
        let response;
        try {
          response = await fetch(item.url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") || item.csrf },
            body: JSON.stringify({ id: item.id }),
          });
        } catch (error) {
          break; // still no connection: try again on the next "online" or page load
        }
        // Sent (or refused for good: the lesson is gone, or the learner signed out): drop it.
        if (response.ok || response.status === 404 || response.status === 400) {
          await withStore("readwrite", (store) => store.delete(item.id));
        } else {
          break;
        }
      }
    } finally {
      flushing = false;
    }
  }

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
          store.put({ id: newId(), url: form.dataset.offlineQueue, csrf: csrf ? csrf.value : "", at: Date.now() })
        );
        const notice = form.parentElement.querySelector("[data-queued-notice]");
        if (notice) notice.hidden = false;
        form.hidden = true;
      });
    });
    flush();
  });
  window.addEventListener("online", () => {
    showNetworkNotices();
    flush();
  });
  window.addEventListener("offline", showNetworkNotices);
})();
