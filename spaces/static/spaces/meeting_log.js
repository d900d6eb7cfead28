// The meeting log on a phone: one step at a time (attendance, minutes, agreements), a filter over the
// space's people, the register's search box, and "add a new person" checked against the register without
// leaving the page. Without this file the same form is one long page and works the same: every person is a
// checkbox or a row of the form, and the server applies every rule when the log is saved.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const form = document.querySelector("form.meeting-log");
  const T = (document.getElementById("log-texts") || {}).dataset;
  if (!form || !T) return;
  const steps = Array.from(form.querySelectorAll(".log-step"));
  const links = Array.from(document.querySelectorAll(".js-step-link"));
  const roster = document.getElementById("roster");
  const rowsBox = form.querySelector(".js-formset-rows[data-prefix=attendance]");
  const total = form.querySelector("input[name=attendance-TOTAL_FORMS]");
  const template = form.querySelector("template.js-people-template");
  const plain = (text) =>
    (text || "")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^0-9a-z]+/g, " ")
      .trim();

  form.querySelectorAll(".js-only, .step-nav, .js-new-person, .js-present-count").forEach((el) => {
    el.hidden = false;
  });
  form.querySelectorAll(".js-more-rows").forEach((el) => {
    el.hidden = true;
  });

  // --- steps -----------------------------------------------------------------------------------------------
  const save = form.querySelector(".log-save");
  function show(number, focus) {
    steps.forEach((step) => {
      step.hidden = step.dataset.step !== String(number);
    });
    links.forEach((link) => {
      if (link.dataset.step === String(number)) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
    });
    if (save) save.hidden = String(number) !== String(steps.length);
    if (focus) {
      const legend = steps[number - 1].querySelector("legend");
      form.scrollIntoView({ block: "start" });
      if (legend) {
        legend.tabIndex = -1;
        legend.focus({ preventScroll: true });
      }
    }
  }
  links.forEach((link) =>
    link.addEventListener("click", (event) => {
      event.preventDefault();
      show(Number(link.dataset.step), true);
    })
  );
  form.querySelectorAll(".js-step-go").forEach((button) =>
    button.addEventListener("click", () => show(Number(button.dataset.step), true))
  );
  const wrong = steps.find((step) => step.querySelector(".is-invalid, .alert-danger, .row-duplicates"));
  show(wrong ? Number(wrong.dataset.step) : 1, false);

  // --- the space's people ----------------------------------------------------------------------------------
  const badge = form.querySelector(".js-present-count");
  function count() {
    const ticked = roster ? roster.querySelectorAll("input[name=present]:checked:not(:disabled)").length : 0;
    const added = rows().filter((row) => row.dataset.state === "added").length;
    if (badge) badge.textContent = T.ticked.replace("%(count)s", String(ticked + added));
  }
  if (roster) roster.addEventListener("change", count);
  const filter = document.getElementById("roster-filter");
  if (filter && roster) {
    filter.addEventListener("input", () => {
      const words = plain(filter.value).split(" ").filter(Boolean);
      roster.querySelectorAll(".roster-item").forEach((item) => {
        const key = item.dataset.search || plain(item.textContent);
        item.hidden = !words.every((word) => key.includes(word));
      });
    });
  }

  function tick(person) {
    if (!roster) return;
    const box = roster.querySelector(`input[name=present][value="${person.id}"]`);
    if (box) {
      box.checked = true;
      box.closest(".roster-item").hidden = false;
    } else {
      const item = document.createElement("li");
      item.className = "form-check roster-item";
      item.dataset.search = plain(`${person.name} ${person.community || ""}`);
      const input = document.createElement("input");
      input.className = "form-check-input";
      input.type = "checkbox";
      input.name = "present";
      input.value = String(person.id);
      input.id = `present-${person.id}`;
      input.checked = true;
      const label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = input.id;
      label.textContent = person.name;
      const detail = document.createElement("span");
      detail.className = "d-block small text-body-secondary";
      detail.textContent = [person.community, person.district].filter(Boolean).join(" · ");
      label.append(detail);
      item.append(input, label);
      roster.append(item);
    }
    const empty = document.getElementById("roster-empty");
    if (empty) empty.hidden = true;
    count();
  }

  // --- the register's search box ---------------------------------------------------------------------------
  const query = document.getElementById("register-q");
  const results = document.getElementById("register-results");
  let searchTimer = null;
  let searchSeq = 0;
  function search() {
    const q = query.value.trim();
    results.replaceChildren();
    if (q.length < 2) return;
    const seq = ++searchSeq;
    const url = `${form.dataset.searchUrl}?limit=8&q=${encodeURIComponent(q)}`;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => {
        if (seq !== searchSeq) return;
        results.replaceChildren();
        if (!data.results.length) {
          const li = document.createElement("li");
          li.className = "list-group-item small";
          li.textContent = T.nobody;
          results.append(li);
        }
        data.results.forEach((person) => {
          const li = document.createElement("li");
          li.className = "list-group-item d-flex align-items-center gap-2";
          const text = document.createElement("span");
          text.className = "flex-grow-1";
          text.textContent = [person.name, person.community, person.district].filter(Boolean).join(" · ");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "btn btn-outline-primary";
          button.textContent = T.add;
          button.setAttribute("aria-label", `${T.add}: ${person.name}`);
          button.addEventListener("click", () => {
            tick(person);
            query.value = "";
            results.replaceChildren();
            query.focus();
          });
          li.append(text, button);
          results.append(li);
        });
      })
      .catch(() => {});
  }
  if (query && results) {
    query.addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(search, 250);
    });
    query.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault(); // Enter searches; it never sends the log
    });
  }

  // --- new people --------------------------------------------------------------------------------------------
  function rows() {
    return rowsBox ? Array.from(rowsBox.querySelectorAll("[data-row]")) : [];
  }
  const field = (row, name) => row.querySelector(`[name$="-${name}"]`);
  const value = (row, name) => {
    const input = field(row, name);
    if (!input) return "";
    return input.type === "checkbox" ? input.checked : input.value.trim();
  };
  function touched(row) {
    return Array.from(row.querySelectorAll("input, select, textarea")).some((input) => {
      if (input.type === "hidden") return input.value !== "";
      if (input.type === "checkbox" || input.type === "radio") return input.checked !== input.defaultChecked;
      if (input.tagName === "SELECT") return Array.from(input.options).some((o) => o.selected !== o.defaultSelected);
      return input.value !== input.defaultValue;
    });
  }
  function clear(row) {
    row.querySelectorAll("input, select, textarea").forEach((input) => {
      if (input.type === "hidden") input.value = "";
      else if (input.type === "checkbox" || input.type === "radio") input.checked = false;
      else if (input.tagName === "SELECT") Array.from(input.options).forEach((o) => (o.selected = o.defaultSelected));
      else input.value = "";
      input.classList.remove("is-invalid");
    });
    const duplicates = row.querySelector(".row-duplicates");
    if (duplicates) duplicates.remove();
    row.querySelector(".row-warning").hidden = true;
    row.querySelector(".row-fields").hidden = false;
    row.querySelector(".row-summary").hidden = true;
    row.dataset.state = "";
    row.hidden = true;
    count();
  }
  function collapse(row, note) {
    const name = `${value(row, "given_names")} ${value(row, "surnames")}`.trim();
    const link = field(row, "link_to");
    const kind = link && /^\d+$/.test(link.value) ? T.linked : value(row, "consent") ? T.new : T.anonymous;
    row.querySelector(".row-summary-text").textContent = [name, kind, note].filter(Boolean).join(" · ");
    row.querySelector(".row-fields").hidden = true;
    row.querySelector(".row-warning").hidden = true;
    row.querySelector(".row-summary").hidden = false;
    row.dataset.state = "added";
    count();
  }
  function warn(row, matches) {
    const box = row.querySelector(".row-warning");
    box.replaceChildren();
    box.className = "row-warning alert alert-warning";
    const p = document.createElement("p");
    p.className = "mb-2 fw-semibold";
    p.textContent = T.maybe;
    box.append(p);
    matches.forEach((person) => {
      const line = document.createElement("div");
      line.className = "d-flex flex-wrap align-items-center gap-2 mb-2";
      const text = document.createElement("span");
      text.className = "flex-grow-1";
      text.textContent = [person.name, person.community, person.district].filter(Boolean).join(" · ");
      const same = document.createElement("button");
      same.type = "button";
      same.className = "btn btn-primary js-same-person";
      same.textContent = T.same;
      same.setAttribute("aria-label", `${T.same}: ${person.name}`);
      same.addEventListener("click", () => {
        tick(person);
        clear(row);
      });
      line.append(text, same);
      box.append(line);
    });
    const other = document.createElement("button");
    other.type = "button";
    other.className = "btn btn-outline-secondary js-someone-else";
    other.textContent = T.someoneElse;
    other.addEventListener("click", () => {
      field(row, "link_to").value = "new";
      collapse(row);
    });
    box.append(other);
    box.hidden = false;
    const first = box.querySelector("button");
    if (first) first.focus();
  }
  function check(row) {
    for (const name of ["given_names", "gender"]) {
      const input = field(row, name);
      if (!value(row, name)) {
        input.classList.add("is-invalid");
        input.focus();
        return;
      }
      input.classList.remove("is-invalid");
    }
    if (!value(row, "consent") || field(row, "link_to").value) {
      collapse(row);
      return;
    }
    const params = new URLSearchParams();
    ["given_names", "surnames", "dni", "district", "community"].forEach((name) => params.set(name, value(row, name)));
    const box = row.querySelector(".row-warning");
    box.className = "row-warning small";
    box.textContent = T.checking;
    box.hidden = false;
    fetch(`${form.dataset.checkUrl}?${params}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((data) => (data.matches.length ? warn(row, data.matches) : collapse(row)))
      .catch(() => collapse(row, T.offline));
  }
  function prepare(row) {
    row.querySelector(".row-actions").hidden = false;
    row.querySelectorAll(".js-row-add").forEach((b) => b.addEventListener("click", () => check(row)));
    row.querySelectorAll(".js-row-clear").forEach((b) => b.addEventListener("click", () => clear(row)));
    row.querySelectorAll(".js-row-edit").forEach((b) =>
      b.addEventListener("click", () => {
        field(row, "link_to").value = "";
        row.querySelector(".row-fields").hidden = false;
        row.querySelector(".row-summary").hidden = true;
        row.dataset.state = "open";
        field(row, "given_names").focus();
      })
    );
    // A row the server sent back (typed, refused, or asking who a probable duplicate is) stays open.
    if (touched(row) || row.querySelector(".row-duplicates, .is-invalid, .alert-danger")) row.dataset.state = "open";
    else row.hidden = true;
  }
  rows().forEach(prepare);
  const add = form.querySelector(".js-new-person");
  if (add) {
    add.addEventListener("click", () => {
      let row = rows().find((r) => r.hidden);
      if (!row && template && total) {
        const index = parseInt(total.value, 10);
        const wrapper = document.createElement("div");
        wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        row = wrapper.firstElementChild;
        rowsBox.append(row);
        total.value = String(index + 1);
        prepare(row);
      }
      row.hidden = false;
      row.dataset.state = "open";
      const title = row.querySelector(".row-title");
      if (title) title.textContent = T.new;
      field(row, "given_names").focus();
    });
  }
  count();
});
