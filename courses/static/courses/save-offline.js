// "Save for offline reading" on a course page: asks the server what to store (and how much it
// weighs), stores the course's pages and images in a cache of its own, which the service worker
// serves without a connection. Shown only where the browser has the Cache API.
document.addEventListener("DOMContentLoaded", async () => {
  const box = document.querySelector("[data-offline-save]");
  if (!box || !("caches" in window) || !("serviceWorker" in navigator)) return;
  const saveButton = box.querySelector("[data-offline-action=save]");
  const removeButton = box.querySelector("[data-offline-action=remove]");
  const saved = box.querySelector("[data-offline-state=saved]");
  const status = box.querySelector("[data-offline-state=status]");
  const message = (name) => box.querySelector(`[data-offline-message=${name}]`).innerHTML.trim();
  const name = box.dataset.cache;
  let bundle = null;

  async function show() {
    const isSaved = await caches.has(name);
    saved.hidden = !isSaved;
    saveButton.hidden = isSaved;
    box.hidden = false;
    if (!isSaved && navigator.onLine) {
      try {
        const response = await fetch(box.dataset.offlineSave, { credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        bundle = await response.json();
        saveButton.textContent = bundle.label;
        saveButton.disabled = false;
      } catch (error) {
        box.hidden = true;
      }
    }
  }

  saveButton.addEventListener("click", async () => {
    if (!bundle) return;
    saveButton.disabled = true;
    status.textContent = message("saving");
    try {
      const cache = await caches.open(name);
      for (const url of bundle.urls) {
        // The header tells the server this is saving, not visiting ("continue where I left off").
        const response = await fetch(url, { credentials: "same-origin", headers: { "X-Offline-Save": "1" } });
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        await cache.put(url, response);
      }
      status.textContent = "";
    } catch (error) {
      await caches.delete(name);
      status.textContent = message("failed");
      saveButton.disabled = false;
    }
    await show();
  });

  removeButton.addEventListener("click", async () => {
    await caches.delete(name);
    await show();
  });

  await show();
});
