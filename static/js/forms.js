// Forms, everywhere (loaded by base.html; every form works without this file):
// - a refused form opens on the summary of its errors (templates/partials/form_errors.html): focused and in
//   view, each line a link that puts the cursor in its field;
// - a file input that states its allowed types and size (data-max-bytes, accept) refuses a wrong or too big
//   file before anything is uploaded; the server checks again.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
    summary.querySelectorAll("a[href^='#']").forEach((link) => {
      link.addEventListener("click", (event) => {
        const field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
        if (!field) return;
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        field.focus();
      });
    });
  }

  const allowed = (input, file) => {
    const accept = (input.getAttribute("accept") || "").split(",").map((s) => s.trim().toLowerCase());
    if (!accept.filter(Boolean).length) return true;
    const name = file.name.toLowerCase();
    const type = (file.type || "").toLowerCase();
    return accept.some((rule) =>
      rule.startsWith(".") ? name.endsWith(rule) : rule.endsWith("/*") ? type.startsWith(rule.slice(0, -1)) : type === rule
    );
  };
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach((input) => {
    const message = document.createElement("div");
    message.className = "invalid-feedback d-block";
    message.setAttribute("role", "alert");
    message.id = `${input.id || input.name}-file-error`;
    input.addEventListener("change", () => {
      message.remove();
      input.classList.remove("is-invalid");
      input.setCustomValidity("");
      const file = input.files && input.files[0];
      if (!file) return;
      let problem = "";
      if (!allowed(input, file)) problem = input.dataset.wrongType || "";
      else if (file.size > Number(input.dataset.maxBytes)) problem = input.dataset.tooBig || "";
      if (!problem) return;
      input.value = "";
      input.classList.add("is-invalid");
      input.setCustomValidity(problem);
      message.textContent = problem;
      input.setAttribute("aria-describedby", message.id);
      input.insertAdjacentElement("afterend", message);
    });
  });
});
