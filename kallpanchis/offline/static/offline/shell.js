/* The offline meeting log: pick a meeting saved on the phone, tick who came among the people of its space
   (kept on the phone too), add people who are not in the list, write minutes and agreements with or without
   a connection, keep the draft in IndexedDB under an id made on the phone, and send it when the connection
   returns. The server applies a draft id once, so retries never duplicate a log; a new person carries an id
   made on the phone, so the same person is registered once however many drafts name them.
   On a shared phone a draft belongs to whoever wrote it: the list shows and sends only the drafts of the
   person now signed-in; other drafts (and every draft while signed out) are only counted, never named. */
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
  const plain = (text) =>
    (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^0-9a-z]+/g, " ")
      .trim();
  const fullName = (row) => `${row.given_names || ""} ${row.surnames || ""}`.replace(/\s+/g, " ").trim();
  const peopleCount = (draft) => (draft.present || []).length + (draft.attendance || []).length;

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

  // A meeting is logged once it has started (the server's rule): attendance may be ticked as people arrive,
  // and the draft waits on the phone until then.
  const notStarted = (draft) => new Date(draft.startsAt) > new Date();

  function stateText(draft) {
    if (draft.state === "queued" && notStarted(draft)) return fmt(T.starts, { when: when(draft.startsAt) });
    if (draft.state === "queued") return T.queued;
    if (draft.state === "refused") return draft.message;
    if (draft.state === "check") return T.check;
    if (draft.state === "signin") return T.signin;
    return T.draftSaved;
  }

  function button(text, className, onClick) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  // --- the lists -----------------------------------------------------------------------------------------

  async function renderDrafts() {
    const owner = await S.owner();
    const all = await S.drafts();
    const drafts = (await S.myDrafts()).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    const list = $("drafts");
    list.replaceChildren();
    $("drafts-empty").classList.toggle("d-none", drafts.length > 0);
    $("send-all").classList.toggle("d-none", !drafts.some((d) => d.state === "queued" || d.state === "signin"));
    const others = all.length - drafts.length;
    const box = $("drafts-others");
    box.classList.toggle("d-none", others === 0);
    if (others) {
      const [one, many] = owner ? [T.othersOne, T.othersMany] : [T.waitingOne, T.waitingMany];
      box.textContent = others === 1 ? one : fmt(many, { count: others });
    }
    for (const draft of drafts) {
      const li = document.createElement("li");
      li.className = "list-group-item draft";
      li.dataset.draftId = draft.id;
      li.dataset.state = draft.state;
      const title = document.createElement("strong");
      title.textContent = draft.title;
      const meta = document.createElement("div");
      meta.className = "small";
      meta.textContent = `${when(draft.startsAt)} · ${fmt(T.attendees, { count: peopleCount(draft) })}`;
      const state = document.createElement("div");
      state.className = "draft-state" + (draft.state === "refused" || draft.state === "check" ? " text-danger fw-semibold" : "");
      state.textContent = stateText(draft);
      const actions = document.createElement("div");
      actions.className = "d-flex flex-wrap gap-2 mt-2 draft-actions";
      actions.append(button(T.open, "btn btn-outline-primary js-open", () => openDraft(draft)));
      if (draft.state === "refused" && draft.server && draft.server.status !== "cancelled" && draft.server.status !== "held") {
        actions.append(button(T.rebase, "btn btn-outline-primary js-rebase", () => rebase(draft, draft.server)));
      }
      if (draft.state === "refused") {
        actions.append(button(T.move, "btn btn-outline-secondary js-move", () => askMove(li, draft)));
      }
      actions.append(button(T.discard, "btn btn-outline-danger js-discard", () => askDiscard(li, draft)));
      li.append(title, meta, state, actions);
      list.append(li);
    }
  }

  // The questions about one draft (discard? move where?) sit below the list, so that the list may be
  // redrawn (a send finishing, the connection coming back) without losing them.
  function panel() {
    const box = $("draft-panel");
    box.replaceChildren();
    box.className = "mt-2";
    return box;
  }

  function askDiscard(_li, draft) {
    const box = panel();
    box.className = "alert alert-danger mt-2 draft-confirm";
    box.setAttribute("role", "alertdialog");
    const p = document.createElement("p");
    p.textContent = fmt(T.discardConfirm, { title: draft.title, count: peopleCount(draft) });
    const row = document.createElement("div");
    row.className = "d-flex flex-wrap gap-2";
    row.append(
      button(T.discardYes, "btn btn-danger js-discard-yes", async () => {
        panel();
        await S.deleteDraft(draft.id);
        if (current && current.id === draft.id) closeForm();
        notice("info", T.discarded);
        await renderDrafts();
        await renderMeetings();
      }),
      button(T.discardNo, "btn btn-outline-secondary js-discard-no", () => panel())
    );
    box.append(p, row);
    box.querySelector("button").focus();
  }

  async function askMove(_li, draft) {
    const mine = await S.myDrafts();
    const taken = new Set(mine.filter((d) => d.id !== draft.id).map((d) => d.meetingId));
    const meetings = (await S.meetings())
      .filter((m) => !taken.has(m.id) && m.id !== draft.meetingId)
      .sort((a, b) => (a.space_id === draft.spaceId) - (b.space_id === draft.spaceId) || (a.starts_at < b.starts_at ? -1 : 1))
      .reverse();
    const box = panel();
    box.classList.add("draft-confirm");
    const title = document.createElement("p");
    title.className = "fw-semibold mb-1";
    title.textContent = `${T.move}: ${draft.title}`;
    box.append(title);
    const id = `move-${draft.id}`;
    const label = document.createElement("label");
    label.className = "form-label";
    label.htmlFor = id;
    label.textContent = T.moveLabel;
    const select = document.createElement("select");
    select.className = "form-select mb-2";
    select.id = id;
    meetings.forEach((m) => {
      const option = document.createElement("option");
      option.value = String(m.id);
      option.textContent = `${m.title} · ${m.space} · ${when(m.starts_at)}`;
      select.append(option);
    });
    const ok = button(T.moveOk, "btn btn-primary js-move-ok", () => {
      const meeting = meetings.find((m) => String(m.id) === select.value);
      panel();
      if (meeting) rebase(draft, meeting);
    });
    ok.disabled = !meetings.length;
    box.append(label, select, ok);
    select.focus();
  }

  /* The draft now belongs to the meeting as it is on the server (or to another meeting): its version is the
     one the technician has seen, its state a plain draft to check and send again. */
  async function rebase(draft, meeting) {
    const fresh = await S.draft(draft.id);
    Object.assign(fresh, {
      meetingId: meeting.id,
      title: meeting.title,
      space: meeting.space,
      spaceId: meeting.space_id,
      place: meeting.place,
      startsAt: meeting.starts_at,
      version: meeting.version,
      state: "draft",
      message: "",
      conflict: false,
      server: null,
    });
    await S.saveDraft(fresh);
    notice("info", T.rebased);
    await renderDrafts();
    await renderMeetings();
    await openDraft(fresh);
  }

  async function renderMeetings() {
    const meetings = (await S.meetings()).sort((a, b) => (a.starts_at < b.starts_at ? -1 : 1));
    const drafts = await S.myDrafts();
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
      const draft = drafts.find((d) => d.meetingId === meeting.id);
      const b = button(draft ? T.openDraft : T.log, "btn btn-primary mt-2", () =>
        draft ? openDraft(draft) : openMeeting(meeting)
      );
      b.setAttribute("aria-label", `${b.textContent}: ${meeting.title}`);
      li.append(title, meta, b);
      list.append(li);
    }
  }

  // --- the form ---------------------------------------------------------------------------------------

  function fillDistricts(select, districts, chosen) {
    select.replaceChildren();
    const none = document.createElement("option");
    none.value = "";
    none.textContent = T.districtNone;
    select.append(none);
    for (const [code, name] of districts) {
      const option = document.createElement("option");
      option.value = code;
      option.textContent = name;
      option.selected = code === chosen;
      select.append(option);
    }
  }

  function rosterItem(person, checked) {
    const node = $("roster-item").content.firstElementChild.cloneNode(true);
    const input = node.querySelector("input");
    input.id = `present-${person.id}`;
    input.dataset.personId = String(person.id);
    input.checked = checked;
    node.querySelector("label").htmlFor = input.id;
    node.querySelector(".person-name").textContent = person.name;
    // Never empty: the second line keeps every row a thumb's height.
    node.querySelector(".person-detail").textContent = person.organisation || person.community || "—";
    node.dataset.search = plain(`${person.name} ${person.organisation || ""} ${person.community || ""}`);
    node.dataset.person = JSON.stringify({ id: person.id, name: person.name, organisation: person.organisation || "" });
    input.addEventListener("change", countRows);
    return node;
  }

  function tick(person) {
    const box = $("roster").querySelector(`input[data-person-id="${person.id}"]`);
    if (box) {
      box.checked = true;
      box.closest("li").hidden = false;
    } else {
      $("roster").append(rosterItem(person, true));
      $("roster-box").classList.remove("d-none");
      $("roster-empty").classList.add("d-none");
    }
    countRows();
  }

  function warn(node, text, matches) {
    const box = node.querySelector(".person-warning");
    box.replaceChildren();
    const p = document.createElement("p");
    p.className = "mb-2";
    p.textContent = text;
    box.append(p);
    for (const person of matches) {
      const line = document.createElement("div");
      line.className = "d-flex flex-wrap align-items-center gap-2 mb-2";
      const who = document.createElement("span");
      who.className = "flex-grow-1";
      who.textContent = [person.name, person.organisation || person.community, person.district].filter(Boolean).join(" · ");
      const same = button(T.same, "btn btn-primary js-same-person", () => {
        tick(person);
        node.remove();
        countRows();
        scheduleSave();
      });
      same.setAttribute("aria-label", `${T.same}: ${person.name}`);
      line.append(who, same);
      box.append(line);
    }
    box.append(
      button(T.someoneElse, "btn btn-outline-secondary js-someone-else", () => {
        node.dataset.confirmedNew = "1";
        node.dataset.matches = "";
        box.classList.add("d-none");
        scheduleSave();
      })
    );
    box.classList.remove("d-none");
  }

  /* A new person who consents is compared with the space's people kept on the phone (the server compares
     with the whole register when the draft is sent). */
  function checkAgainstList(node) {
    if (node.dataset.confirmedNew === "1") return;
    const consent = node.querySelector("[data-field=consent]").checked;
    const name = plain(fullName(readRow(node)));
    if (!consent || name.split(" ").length < 2) {
      node.querySelector(".person-warning").classList.add("d-none");
      return;
    }
    const words = name.split(" ");
    const similar = Array.from($("roster").querySelectorAll("li"))
      .map((li) => JSON.parse(li.dataset.person))
      .filter((person) => {
        const key = plain(person.name);
        return words.filter((w) => w.length > 2 && key.includes(w)).length >= 2 || key === name;
      });
    if (similar.length) warn(node, T.maybe, similar.slice(0, 3));
    else node.querySelector(".person-warning").classList.add("d-none");
  }

  function addRow(templateId, listId, values) {
    const node = $(templateId).content.firstElementChild.cloneNode(true);
    rowCounter += 1;
    if (templateId === "person-row") {
      fillDistricts(node.querySelector("[data-field=district]"), current.districts || [], values.district ?? current.defaultDistrict ?? "");
      node.dataset.clientId = values.client_id || S.uuid();
      node.dataset.confirmedNew = values.confirmed_new ? "1" : "";
    }
    node.querySelectorAll("[data-field]").forEach((input) => {
      const field = input.dataset.field;
      input.id = `row${rowCounter}-${field}`;
      input.name = field;
      if (input.type === "checkbox") input.checked = Boolean(values[field]);
      else if (values[field] !== undefined && field !== "district") input.value = values[field];
    });
    node.querySelectorAll("label[data-for]").forEach((label) => {
      label.htmlFor = `row${rowCounter}-${label.dataset.for}`;
    });
    node.querySelector(".remove").addEventListener("click", () => {
      node.remove();
      countRows();
      scheduleSave();
    });
    if (templateId === "person-row") {
      node.addEventListener("change", () => checkAgainstList(node));
      if (values.matches && values.matches.length) warn(node, T.maybeServer, values.matches);
    }
    $(listId).append(node);
    countRows();
    return node;
  }

  function countRows() {
    const ticked = $("roster").querySelectorAll("input:checked").length;
    $("attendance-count").textContent = ticked + $("attendance").children.length;
    $("agreements-count").textContent = $("agreements").children.length;
  }

  function readRow(node) {
    const values = {};
    node.querySelectorAll("[data-field]").forEach((input) => {
      values[input.dataset.field] = input.type === "checkbox" ? input.checked : input.value;
    });
    return values;
  }

  function readRows(listId) {
    return Array.from($(listId).children, (node) => {
      const values = readRow(node);
      if (listId === "attendance") {
        values.name = fullName(values);
        values.client_id = node.dataset.clientId;
        values.confirmed_new = node.dataset.confirmedNew === "1";
      }
      return values;
    });
  }

  async function fillForm(draft) {
    current = draft;
    const space = (draft.spaceId && (await S.space(draft.spaceId))) || { people: [], organisations: [] };
    current.districts = (await S.meta("districts")) || current.districts || [];
    current.defaultDistrict = space.default_district || current.defaultDistrict || "";
    $("log-title").textContent = draft.title;
    $("log-when").textContent = `${draft.space} · ${when(draft.startsAt)} · ${draft.place}`;
    $("log-minutes").value = draft.minutes;
    $("log-decisions").value = draft.decisions;
    const organisations = $("organisations");
    organisations.replaceChildren(
      ...(space.organisations || []).map((name) => Object.assign(document.createElement("option"), { value: name }))
    );
    $("roster").replaceChildren();
    $("roster-filter").value = "";
    const present = draft.present || [];
    const ticked = new Set(present.map((p) => p.id));
    for (const person of space.people || []) $("roster").append(rosterItem(person, ticked.has(person.id)));
    const listed = new Set((space.people || []).map((p) => p.id));
    for (const person of present) if (!listed.has(person.id)) $("roster").append(rosterItem(person, true));
    const empty = !$("roster").children.length;
    $("roster-box").classList.toggle("d-none", empty);
    $("roster-empty").classList.toggle("d-none", !empty);
    $("attendance").replaceChildren();
    $("agreements").replaceChildren();
    draft.attendance.forEach((row) => addRow("person-row", "attendance", row));
    draft.agreements.forEach((row) => addRow("agreement-row", "agreements", row));
    form.classList.remove("d-none");
    $("log-title").scrollIntoView();
    $("log-minutes").focus();
  }

  async function openMeeting(meeting) {
    const existing = (await S.myDrafts()).find((d) => d.meetingId === meeting.id);
    if (existing) return openDraft(existing); // one draft per meeting: never a second, blank one
    return fillForm({
      id: S.uuid(),
      owner: await S.owner(),
      meetingId: meeting.id,
      title: meeting.title,
      space: meeting.space,
      spaceId: meeting.space_id,
      place: meeting.place,
      startsAt: meeting.starts_at,
      version: meeting.version,
      minutes: "",
      decisions: "",
      present: [],
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

  function closeForm() {
    form.classList.add("d-none");
    current = null;
  }

  function collect() {
    current.minutes = $("log-minutes").value;
    current.decisions = $("log-decisions").value;
    current.present = Array.from($("roster").querySelectorAll("li"))
      .filter((li) => li.querySelector("input").checked)
      .map((li) => JSON.parse(li.dataset.person));
    current.attendance = readRows("attendance");
    current.agreements = readRows("agreements");
    current.savedAt = new Date().toISOString();
    return current;
  }

  async function saveNow() {
    clearTimeout(saveTimer);
    if (!current) return;
    const draft = collect();
    const { districts, defaultDistrict, ...kept } = draft; // cached per space, not per draft
    await S.saveDraft({ ...kept, defaultDistrict });
    await renderDrafts();
    await renderMeetings(); // its meeting now opens this draft
  }

  function scheduleSave() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 300);
  }

  function problem(draft) {
    if (!draft.minutes.trim()) return [T.needMinutes, "log-minutes"];
    if (!peopleCount(draft)) return [T.needPerson, "add-person"];
    if (draft.attendance.some((row) => !row.name.trim())) return [T.needName, null];
    if (draft.attendance.some((row) => row.consent && (!row.given_names.trim() || !row.surnames.trim() || !row.district)))
      return [T.needSurnames, null];
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
    if (draft.state === "refused" && draft.conflict && draft.server && draft.server.version) {
      // Sending again after the refusal means the technician has read the server's version.
      draft.version = draft.server.version;
    } else if (draft.state === "refused" && draft.conflict) {
      const latest = (await S.meetings()).find((m) => m.id === draft.meetingId);
      if (latest) draft.version = latest.version;
    }
    draft.attendance.forEach((row) => delete row.matches);
    draft.state = "queued";
    draft.message = "";
    draft.conflict = false;
    const { districts, ...kept } = draft;
    await S.saveDraft(kept);
    closeForm();
    notice("info", T.queued);
    await renderDrafts();
    if (navigator.onLine) sendAll();
  }

  // --- talking to the server ----------------------------------------------------------------------------

  class SignIn extends Error {}
  class Retry extends Error {}

  // A request the network swallows (the signal lost halfway, a proxy that never answers) fails after this
  // long and is tried again like any other; a draft sent twice is applied once by the server.
  const PATIENCE_MS = 30000;
  const patience = () => (AbortSignal.timeout ? AbortSignal.timeout(PATIENCE_MS) : undefined);

  async function refreshMeetings() {
    if (!body.dataset.meetingsUrl) throw new Retry("no endpoint");
    let response;
    try {
      response = await fetch(body.dataset.meetingsUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
        signal: patience(),
      });
    } catch (error) {
      throw new Retry(String(error));
    }
    if (response.status === 401 || response.status === 403 || response.redirected) {
      // Signed out: whose the phone's drafts are is no longer known; show none of them by name.
      await S.forgetSignedInData();
      throw new SignIn();
    }
    if (!response.ok) throw new Retry(String(response.status));
    let data;
    try {
      data = await response.json();
    } catch (error) {
      throw new Retry("not json"); // a portal's or a proxy's page instead of the server's answer
    }
    await S.saveList(data, new Date().toISOString());
    // Drafts written before drafts had an author belong to the first person who signs in after the update.
    for (const draft of await S.drafts()) {
      if (!draft.owner) await S.saveDraft({ ...draft, owner: data.owner });
    }
    await renderMeetings();
    await renderDrafts();
    return data.csrf_token;
  }

  function logUrl(meetingId) {
    return body.dataset.logUrl.replace(/\/0\/([^/]*)$/, `/${meetingId}/$1`);
  }

  function payload(draft) {
    const present = (draft.present || []).map((person) => ({ person: person.id, organisation_name: person.organisation || "" }));
    const rows = draft.attendance.map((row) => {
      const written = {
        name: row.name || fullName(row),
        gender: row.gender,
        organisation_name: row.organisation_name,
        role: row.role,
        is_producer: row.is_producer,
      };
      if (!row.consent) return written;
      return {
        ...written,
        new_person: {
          client_id: row.client_id,
          given_names: row.given_names,
          surnames: row.surnames,
          gender: row.gender,
          community: row.community,
          district: row.district,
          dni: row.dni,
          confirmed_new: Boolean(row.confirmed_new),
        },
      };
    });
    return {
      client_id: draft.id,
      author: draft.owner || "",
      version: draft.version,
      minutes: draft.minutes,
      decisions: draft.decisions,
      attendance: [...present, ...rows],
      agreements: draft.agreements,
    };
  }

  async function sendOne(draft, token) {
    let response;
    try {
      response = await fetch(logUrl(draft.meetingId), {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: JSON.stringify(payload(draft)),
        signal: patience(),
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
      await S.forgetMeeting(draft.meetingId); // logged: no longer offered, even before the list is refreshed
      const sent = fmt(T.sent, { title: draft.title });
      notice("success", data.linked_by_dni ? `${sent} ${fmt(T.linkedByDni, { count: data.linked_by_dni })}` : sent);
      return true;
    }
    if (response.status === 409 && data.error === "duplicates") {
      const offset = (draft.present || []).length;
      draft.attendance.forEach((row) => delete row.matches);
      for (const found of data.rows || []) {
        const row = draft.attendance[found.index - offset];
        if (row) row.matches = found.matches;
      }
      draft.state = "check";
      draft.message = data.message;
      await S.saveDraft(draft);
      notice("warning", `${draft.title}: ${data.message}`);
      return false;
    }
    draft.state = "refused";
    draft.conflict = response.status === 409;
    draft.server = data.meeting || null;
    if (response.status === 404) draft.message = T.notFound;
    else if (response.status === 400) draft.message = `${T.invalid} ${(data.errors || []).join(" ")}`;
    else draft.message = data.message || T.invalid;
    await S.saveDraft(draft);
    notice("danger", `${draft.title}: ${draft.message}`);
    return false;
  }

  async function sendAll() {
    if (sending) return;
    const mine = await S.myDrafts();
    const waiting = mine.filter((d) => d.state === "queued" || d.state === "signin");
    if (!waiting.length && (await S.owner())) return;
    sending = true;
    clearTimeout(retryTimer);
    let retry = false;
    let sent = false;
    try {
      $("connection").textContent = T.sending;
      const token = await refreshMeetings(); // also learns whose session this is: only their drafts are sent
      const owner = await S.owner();
      const queue = (await S.drafts()).filter(
        (d) => d.owner === owner && (d.state === "queued" || d.state === "signin") && !notStarted(d)
      );
      for (const draft of queue) {
        sent = (await sendOne(draft, token)) || sent;
      }
      retryDelay = 1000;
      // The server's list now says which meetings were logged: none of them offers "log it" again.
      if (sent) await refreshMeetings().catch(() => {});
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
      } else {
        // Anything else (the phone's storage refusing a write, an answer of an unexpected shape) is tried
        // again too: a phone that stopped trying would keep its drafts until someone reopened the page.
        if (!(error instanceof Retry)) console.warn("Sending failed, trying again:", error);
        retry = true;
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
    $("roster-filter").addEventListener("input", () => {
      const words = plain($("roster-filter").value).split(" ").filter(Boolean);
      $("roster").querySelectorAll("li").forEach((li) => {
        li.hidden = !words.every((word) => li.dataset.search.includes(word));
      });
    });
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
      closeForm();
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
      // Learn whose session this is first: only their drafts are listed and sent.
      await refreshMeetings().catch(async (error) => {
        if (error instanceof SignIn && (await S.drafts()).length) {
          notice("warning", T.signin, { href: body.dataset.loginUrl, text: T.signinLink });
        }
      });
      if ((await S.myDrafts()).some((d) => d.state === "queued" || d.state === "signin")) await sendAll();
    }
    const wanted = /^#meeting-(\d+)$/.exec(window.location.hash);
    if (wanted) {
      const id = Number(wanted[1]);
      const draft = (await S.myDrafts()).find((d) => d.meetingId === id);
      const meeting = (await S.meetings()).find((m) => m.id === id);
      if (draft) await openDraft(draft);
      else if (meeting) await openMeeting(meeting);
    }
    body.dataset.ready = "1";
  }

  start();
})();
