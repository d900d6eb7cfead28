/* A plan's execution report written with no connection (producers/report_form.html).
   "Send the report" keeps the report — fields and photos — in the phone's IndexedDB ("kallpanchis-reports")
   under an id made here, then sends it to the plan's sync address. With no connection, or when the answer is
   lost, the report stays on the phone and is sent again when the connection returns (or with "Send now");
   the server applies one id once, so sending twice never makes two reports. Removed from the phone only
   once the server has said it has it. Without JavaScript the form is an ordinary POST. No inline code (CSP). */
(function () {
  "use strict";
  const form = document.querySelector("form.js-report-offline");
  if (!form || !("indexedDB" in window) || !window.fetch) return;
  const status = document.getElementById("report-status");
  const planId = Number(form.dataset.plan);
  const DB = "kallpanchis-reports";
  let sending = false;

  function db() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore("reports", { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  function run(mode, work) {
    return db().then(
      (d) =>
        new Promise((resolve, reject) => {
          const tx = d.transaction("reports", mode);
          let result;
          const request = work(tx.objectStore("reports"));
          if (request) request.onsuccess = () => (result = request.result);
          tx.oncomplete = () => resolve(result);
          tx.onerror = () => reject(tx.error);
        })
    );
  }
  const put = (draft) => run("readwrite", (s) => s.put(draft));
  const remove = (id) => run("readwrite", (s) => s.delete(id));
  const all = () => run("readonly", (s) => s.getAll()).then((rows) => (rows || []).filter((r) => r.plan === planId));

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function say(text, kind, extra) {
    status.className = `alert alert-${kind || "info"}`;
    status.textContent = text;
    if (extra) status.append(" ", extra);
  }
  function sendNowButton() {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary btn-sm";
    button.textContent = form.dataset.msgSendNow;
    button.addEventListener("click", sendPending);
    return button;
  }

  function read() {
    const activities = [];
    form.querySelectorAll("fieldset[data-activity]").forEach((fieldset) => {
      const row = { activity: Number(fieldset.dataset.activity), done: "", spent: {} };
      fieldset.querySelectorAll("input").forEach((input) => {
        const match = /^a(\d+)_(\w+)$/.exec(input.name);
        if (!match) return;
        if (match[2] === "done") row.done = input.value;
        else if (input.value) row.spent[match[2]] = input.value;
      });
      activities.push(row);
    });
    const photos = Array.from(form.querySelector("input[name=photos]").files || []);
    return {
      id: uuid(),
      plan: planId,
      period: Number(form.querySelector("[name=period]").value),
      note: form.querySelector("[name=note]").value,
      keep_gps: form.querySelector("[name=keep_gps]").checked,
      activities,
      photos,
      saved_at: new Date().toISOString(),
    };
  }

  function send(draft) {
    const body = new FormData();
    const { photos, id, ...rest } = draft;
    body.append("draft", JSON.stringify({ ...rest, client_id: id }));
    (photos || []).forEach((file, i) => body.append("photos", file, file.name || `foto-${i + 1}.jpg`));
    const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    return fetch(form.dataset.syncUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      // A send the network swallows fails after two minutes (photos are slow on a weak signal) and leaves
      // "send now" usable; the server takes a report once, however often it is sent.
      signal: AbortSignal.timeout ? AbortSignal.timeout(120000) : undefined,
    }).then((response) => response.json().then((data) => ({ status: response.status, data })));
  }

  function sendOne(draft) {
    say(form.dataset.msgSending, "info");
    return send(draft).then(
      ({ status: code, data }) => {
        if (code === 200 || code === 201) {
          return remove(draft.id).then(() => {
            const link = document.createElement("a");
            link.href = data.plan_url || form.dataset.planUrl;
            link.className = "alert-link";
            link.textContent = form.dataset.msgSeePlan;
            say(form.dataset.msgSent, "success", link);
            form.hidden = true;
          });
        }
        if (code === 401) {
          say(form.dataset.msgSignedOut, "warning");
          return null;
        }
        const text = (data.errors || [data.message || ""]).join(" ");
        if (code === 409) {
          say(text, "danger");
          return null;
        }
        // 400 or 404: the server will never take this report as it is; the form still holds it.
        return remove(draft.id).then(() => say(text, "danger"));
      },
      () => say(form.dataset.msgKept, "warning", sendNowButton())
    );
  }

  function sendPending() {
    if (sending) return Promise.resolve();
    sending = true;
    return all()
      .then((drafts) => drafts.reduce((chain, draft) => chain.then(() => sendOne(draft)), Promise.resolve()))
      .finally(() => {
        sending = false;
      });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const draft = read();
    put(draft).then(sendPending, () => form.submit());
  });
  window.addEventListener("online", sendPending);
  all().then((drafts) => {
    if (!drafts.length) return;
    say(form.dataset.msgWaiting, "warning", sendNowButton());
    if (navigator.onLine) sendPending();
  });
})();
