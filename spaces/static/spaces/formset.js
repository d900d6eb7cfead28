// "Add more rows" without a round trip: clone the empty row kept in a <template>. Without this file the
// same button submits the form and the server answers with more blank rows, keeping what was typed.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button.js-add-rows").forEach((button) => {
    const prefix = button.dataset.prefix;
    const rows = document.querySelector(`.js-formset-rows[data-prefix="${prefix}"]`);
    const template = document.querySelector(`template.js-formset-template[data-prefix="${prefix}"]`);
    const total = document.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    if (!rows || !template || !total) return;
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const count = parseInt(button.dataset.count || "1", 10);
      let first = null;
      for (let i = 0; i < count; i += 1) {
        const index = parseInt(total.value, 10);
        const wrapper = document.createElement("div");
        wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        const row = wrapper.firstElementChild;
        const heading = row.querySelector("p.fw-semibold");
        if (heading) heading.textContent = `${heading.textContent.trim()} ${index + 1}`;
        rows.appendChild(row);
        total.value = String(index + 1);
        first = first || row;
      }
      const input = first && first.querySelector("input, select, textarea");
      if (input) input.focus();
    });
  });
});
