// Plan form: saves the draft every few seconds while the leader types (to data-autosave-url, which answers
// JSON), and keeps unsaved changes on the phone when the connection drops. The form works without this
// file ("Save draft" is a normal submit to the page's own URL).
(() => {
  const form = document.querySelector("form.js-plan-autosave");
  if (!form) return;
  const status = document.getElementById("autosave-status");
  const seconds = parseInt(form.dataset.autosaveSeconds || "15", 10);
  const key = `kallpanchis-plan-${form.dataset.plan}`;
  const revisionInput = form.querySelector("input[name=revision]");
  let dirty = false;
  let busy = false;
  let stopped = false;

  const say = (text, isError) => {
    status.textContent = text;
    status.classList.toggle("autosave-error", Boolean(isError));
  };

  const entries = () => {
    const data = {};
    for (const [name, value] of new FormData(form).entries()) {
      if (name === "csrfmiddlewaretoken") continue;
      (data[name] = data[name] || []).push(value);
    }
    return data;
  };

  const keepLocally = () => {
    try {
      localStorage.setItem(key, JSON.stringify({ revision: revisionInput.value, data: entries() }));
    } catch (e) { /* storage full or disabled: the server copy still counts */ }
  };

  const restore = (data) => {
    form.querySelectorAll("input, textarea, select").forEach((field) => {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.name === "revision") return;
      const values = data[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.includes(field.value);
      } else if (values.length) {
        field.value = values[0];
      }
    });
    dirty = true;
  };

  // Changes kept on this phone from a dropped connection, made on the revision still stored: offer them.
  try {
    const kept = JSON.parse(localStorage.getItem(key) || "null");
    const total = form.querySelector("input[name$=TOTAL_FORMS]");
    if (kept && kept.revision === revisionInput.value && total &&
        (kept.data[total.name] || [])[0] === total.value && !document.getElementById("conflict")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-warning btn-sm ms-2";
      button.textContent = form.dataset.msgRestoreButton;
      button.addEventListener("click", () => { restore(kept.data); button.remove(); say(form.dataset.msgUnsaved); });
      say(form.dataset.msgRestore);
      status.appendChild(button);
    } else if (kept) {
      localStorage.removeItem(key);
    }
  } catch (e) { localStorage.removeItem(key); }

  form.addEventListener("input", () => { dirty = true; keepLocally(); });
  form.addEventListener("change", () => { dirty = true; keepLocally(); });

  form.addEventListener("submit", (event) => {
    if (!navigator.onLine) {
      event.preventDefault();
      keepLocally();
      say(form.dataset.msgOffline, true);
      return;
    }
    localStorage.removeItem(key);
  });

  const save = async () => {
    if (!dirty || busy || stopped) return;
    if (!navigator.onLine) { say(form.dataset.msgOffline, true); return; }
    busy = true;
    const body = new FormData(form);
    say(form.dataset.msgSaving);
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST", body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" },
      });
      const answer = await response.json();
      if (response.ok && answer.ok) {
        revisionInput.value = answer.revision;
        dirty = false;
        localStorage.removeItem(key);
        say(answer.message);
      } else {
        if (answer.conflict) stopped = true;
        say(answer.message, true);
      }
    } catch (e) {
      keepLocally();
      say(form.dataset.msgOffline, true);
    } finally {
      busy = false;
    }
  };

  // A page being left (or frozen in the back-forward cache) sends nothing: its entry waits on the phone.
  window.addEventListener("pagehide", () => { stopped = true; });
  window.addEventListener("pageshow", (event) => { if (event.persisted) stopped = false; });

  window.setInterval(save, seconds * 1000);
  window.addEventListener("online", save);
})();
