/* The offline meeting log: pick a meeting saved on the phone, write attendance, minutes and agreements with
   or without a connection, keep the draft in IndexedDB under an id made on the phone, and send it when the
   connection returns. The server applies a draft id once, so retries never duplicate a log. */
(function () {
  "use strict";
  const S = window.KallpanchisOffline;
  const body = document.body;
  const T = document.getElementById("texts").dataset;
  const $ = (id) => document.getElementById(id);
  const form = $("log-form");
  const LOCALES = { es: "es-PE", qu: "es-PE", en: "en-GB", fr: "fr-FR" };
  const locale = LOCALES[document.documentElement.lang] || "es-PE";

  let current = null; // the draft in the form
  let sending = false;
  let retryTimer = null;
  let retryDelay = 1000;
  let saveTimer = null;
  let rowCounter = 0;

  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => (key in values ? values[key] : ""));
  const when = (iso) =>
    new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "America/Lima" });

  function notice(kind, text, link) {
    const box = $("notice");
    box.className = `alert alert-${kind}`;
    box.textContent = text;
    if (link) {
      const a = document.createElement("a");
      a.href = link.href;
      a.className = "alert-link ms-1";
      a.textContent = link.text;
      box.append(" ", a);
    }
  }

  function showConnection() {
    $("connection").textContent = navigator.onLine ? T.online : T.offline;
    $("connection").classList.toggle("text-danger", !navigator.onLine);
  }

  function stateText(draft) {
    if (draft.state === "queued") return T.queued;
    if (draft.state === "refused") return draft.message;
    if (draft.state === "signin") return T.signin;
    return T.draftSaved;
  }

  async function renderDrafts() {
    const drafts = (await S.drafts()).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    const list = $("drafts");
    list.replaceChildren();
    $("drafts-empty").classList.toggle("d-none", drafts.length > 0);
    $("send-all").classList.toggle("d-none", !drafts.some((d) => d.state !== "draft"));
    for (const draft of drafts) {
      const li = document.createElement("li");
      li.className = "list-group-item draft";
      li.dataset.draftId = draft.id;
      li.dataset.state = draft.state;
      const title = document.createElement("strong");
      title.textContent = draft.title;
      const meta = document.createElement("div");
      meta.className = "small";
      meta.textContent = `${when(draft.startsAt)} · ${fmt(T.attendees, { count: draft.attendance.length })}`;
      const state = document.createElement("div");
      state.className = "draft-state" + (draft.state === "refused" ? " text-danger fw-semibold" : "");
      state.textContent = stateText(draft);
      const open = document.createElement("button");
      open.type = "button";
      open.className = "btn btn-outline-primary mt-2";
      open.textContent = T.open;
      open.addEventListener("click", () => openDraft(draft));
      li.append(title, meta, state, open);
      list.append(li);
    }
  }

  async function renderMeetings() {
    const meetings = (await S.meetings()).sort((a, b) => (a.starts_at < b.starts_at ? -1 : 1));
    const drafts = await S.drafts();
    const savedAt = await S.meetingsSavedAt();
    $("meetings-saved").textContent = savedAt ? fmt(T.savedAt, { when: when(savedAt) }) : "";
    $("meetings-empty").classList.toggle("d-none", meetings.length > 0);
    const list = $("meetings");
    list.replaceChildren();
    for (const meeting of meetings) {
      const li = document.createElement("li");
      li.className = "list-group-item meeting";
      const title = document.createElement("strong");
      title.textContent = meeting.title;
      const meta = document.createElement("div");
      meta.className = "small";
      meta.textContent = `${meeting.space} · ${when(meeting.starts_at)} · ${meeting.place}`;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-primary mt-2";
      const draft = drafts.find((d) => d.meetingId === meeting.id);
      button.textContent = draft ? T.open : T.log;
      button.setAttribute("aria-label", `${button.textContent}: ${meeting.title}`);
      button.addEventListener("click", () => (draft ? openDraft(draft) : openMeeting(meeting)));
      li.append(title, meta, button);
      list.append(li);
    }
  }

  // --- the form ---------------------------------------------------------------------------------------

  function addRow(templateId, listId, values) {
    const node = $(templateId).content.firstElementChild.cloneNode(true);
    rowCounter += 1;
    node.querySelectorAll("[data-field]").forEach((input) => {
      const field = input.dataset.field;
      input.id = `row${rowCounter}-${field}`;
      input.name = field;
      if (input.type === "checkbox") input.checked = Boolean(values[field]);
      else if (values[field] !== undefined) input.value = values[field];
    });
    node.querySelectorAll("label[data-for]").forEach((label) => {
      label.htmlFor = `row${rowCounter}-${label.dataset.for}`;
    });
    node.querySelector(".remove").addEventListener("click", () => {
      node.remove();
      countRows();
      scheduleSave();
    });
    $(listId).append(node);
    countRows();
    return node;
  }

  function countRows() {
    $("attendance-count").textContent = $("attendance").children.length;
    $("agreements-count").textContent = $("agreements").children.length;
  }

  function readRows(listId) {
    return Array.from($(listId).children, (row) => {
      const values = {};
      row.querySelectorAll("[data-field]").forEach((input) => {
        values[input.dataset.field] = input.type === "checkbox" ? input.checked : input.value;
      });
      return values;
    });
  }

  function fillForm(draft) {
    current = draft;
    $("log-title").textContent = draft.title;
    $("log-when").textContent = `${draft.space} · ${when(draft.startsAt)} · ${draft.place}`;
    $("log-minutes").value = draft.minutes;
    $("log-decisions").value = draft.decisions;
    $("attendance").replaceChildren();
    $("agreements").replaceChildren();
    draft.attendance.forEach((row) => addRow("person-row", "attendance", row));
    draft.agreements.forEach((row) => addRow("agreement-row", "agreements", row));
    form.classList.remove("d-none");
    $("log-title").scrollIntoView();
    $("log-minutes").focus();
  }

  function openMeeting(meeting) {
    fillForm({
      id: S.uuid(),
      meetingId: meeting.id,
      title: meeting.title,
      space: meeting.space,
      place: meeting.place,
      startsAt: meeting.starts_at,
      version: meeting.version,
      minutes: "",
      decisions: "",
      attendance: [],
      agreements: [],
      state: "draft",
      message: "",
      createdAt: new Date().toISOString(),
    });
  }

  async function openDraft(draft) {
    fillForm(await S.draft(draft.id));
  }

  function collect() {
    current.minutes = $("log-minutes").value;
    current.decisions = $("log-decisions").value;
    current.attendance = readRows("attendance");
    current.agreements = readRows("agreements");
    current.savedAt = new Date().toISOString();
    return current;
  }

  async function saveNow() {
    clearTimeout(saveTimer);
    if (!current) return;
    await S.saveDraft(collect());
    await renderDrafts();
  }

  function scheduleSave() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 300);
  }

  function problem(draft) {
    if (!draft.minutes.trim()) return [T.needMinutes, "log-minutes"];
    if (!draft.attendance.length) return [T.needPerson, "add-person"];
    if (draft.attendance.some((row) => !row.name.trim())) return [T.needName, null];
    if (draft.agreements.some((row) => !row.what.trim() || !row.due_date)) return [T.needAgreement, null];
    return null;
  }

  async function submit(event) {
    event.preventDefault();
    const draft = collect();
    const wrong = problem(draft);
    if (wrong) {
      notice("danger", wrong[0]);
      if (wrong[1]) $(wrong[1]).focus();
      return;
    }
    if (draft.state === "refused" && draft.conflict) {
      // Sending again after the refusal means the technician has read the server's version.
      const latest = (await S.meetings()).find((m) => m.id === draft.meetingId);
      if (latest) draft.version = latest.version;
    }
    draft.state = "queued";
    draft.message = "";
    draft.conflict = false;
    await S.saveDraft(draft);
    form.classList.add("d-none");
    current = null;
    notice("info", T.queued);
    await renderDrafts();
    if (navigator.onLine) sendAll();
  }

  // --- talking to the server ----------------------------------------------------------------------------

  class SignIn extends Error {}
  class Retry extends Error {}

  async function refreshMeetings() {
    if (!body.dataset.meetingsUrl) throw new Retry("no endpoint");
    let response;
    try {
      response = await fetch(body.dataset.meetingsUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      });
    } catch (error) {
      throw new Retry(String(error));
    }
    if (response.status === 401 || response.status === 403 || response.redirected) throw new SignIn();
    if (!response.ok) throw new Retry(String(response.status));
    const data = await response.json();
    await S.replaceMeetings(data.meetings, new Date().toISOString());
    await renderMeetings();
    return data.csrf_token;
  }

  function logUrl(meetingId) {
    return body.dataset.logUrl.replace(/\/0\/([^/]*)$/, `/${meetingId}/$1`);
  }

  async function sendOne(draft, token) {
    let response;
    try {
      response = await fetch(logUrl(draft.meetingId), {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: JSON.stringify({
          client_id: draft.id,
          version: draft.version,
          minutes: draft.minutes,
          decisions: draft.decisions,
          attendance: draft.attendance,
          agreements: draft.agreements,
        }),
      });
    } catch (error) {
      throw new Retry(String(error));
    }
    if (response.status === 401 || response.status === 403) throw new SignIn();
    if (response.status >= 500 || response.status === 429) throw new Retry(String(response.status));
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      throw new Retry("not json");
    }
    if (response.ok) {
      await S.deleteDraft(draft.id);
      notice("success", fmt(T.sent, { title: draft.title }));
      return;
    }
    draft.state = "refused";
    draft.conflict = response.status === 409;
    if (response.status === 404) draft.message = T.notFound;
    else if (response.status === 400) draft.message = `${T.invalid} ${(data.errors || []).join(" ")}`;
    else draft.message = data.message || T.invalid;
    await S.saveDraft(draft);
    notice("danger", `${draft.title}: ${draft.message}`);
  }

  async function sendAll() {
    if (sending) return;
    const waiting = (await S.drafts()).filter((d) => d.state === "queued" || d.state === "signin");
    if (!waiting.length) return;
    sending = true;
    clearTimeout(retryTimer);
    let retry = false;
    try {
      $("connection").textContent = T.sending;
      const token = await refreshMeetings();
      for (const draft of waiting) {
        await sendOne(draft, token);
      }
      retryDelay = 1000;
    } catch (error) {
      if (error instanceof SignIn) {
        for (const draft of waiting) {
          const fresh = await S.draft(draft.id);
          if (fresh && fresh.state === "queued") {
            fresh.state = "signin";
            await S.saveDraft(fresh);
          }
        }
        notice("warning", T.signin, { href: body.dataset.loginUrl, text: T.signinLink });
      } else if (error instanceof Retry) {
        retry = true;
      } else {
        throw error;
      }
    } finally {
      sending = false;
      showConnection();
      await renderDrafts();
      await renderMeetings();
    }
    if (retry) {
      notice("warning", T.retry);
      retryTimer = setTimeout(sendAll, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    }
  }

  // --- start --------------------------------------------------------------------------------------------

  async function start() {
    $("needs-js").remove();
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().catch(() => {});
    }
    showConnection();
    form.addEventListener("submit", submit);
    form.addEventListener("input", scheduleSave);
    form.addEventListener("change", scheduleSave);
    $("add-person").addEventListener("click", () => {
      addRow("person-row", "attendance", {}).querySelector("input").focus();
      scheduleSave();
    });
    $("add-agreement").addEventListener("click", () => {
      addRow("agreement-row", "agreements", {}).querySelector("textarea").focus();
      scheduleSave();
    });
    $("save-draft").addEventListener("click", async () => {
      await saveNow();
      notice("info", T.draftSaved);
    });
    $("close-form").addEventListener("click", async () => {
      await saveNow();
      form.classList.add("d-none");
      current = null;
    });
    $("refresh").addEventListener("click", () =>
      refreshMeetings().catch((error) => {
        if (error instanceof SignIn) notice("warning", T.signin, { href: body.dataset.loginUrl, text: T.signinLink });
        else notice("warning", T.offline);
      })
    );
    $("send-all").addEventListener("click", () => {
      retryDelay = 1000;
      sendAll();
    });
    window.addEventListener("online", () => {
      showConnection();
      retryDelay = 1000;
      sendAll();
    });
    window.addEventListener("offline", showConnection);
    await renderDrafts();
    await renderMeetings();
    if (navigator.onLine) {
      const waiting = (await S.drafts()).some((d) => d.state === "queued" || d.state === "signin");
      if (waiting) await sendAll();
      else await refreshMeetings().catch(() => {});
    }
    const wanted = /^#meeting-(\d+)$/.exec(window.location.hash);
    if (wanted) {
      const id = Number(wanted[1]);
      const draft = (await S.drafts()).find((d) => d.meetingId === id);
      const meeting = (await S.meetings()).find((m) => m.id === id);
      if (draft) openDraft(draft);
      else if (meeting) openMeeting(meeting);
    }
    body.dataset.ready = "1";
  }

  start();
})();
