// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // The language selector submits itself once a language is picked; its button stays for no-JS users.
  document.querySelectorAll("form.js-autosubmit select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
