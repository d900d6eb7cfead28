// The dashboard's filters: the district list keeps only the districts of the province chosen (each option
// says its province in data-province). Without JavaScript the server narrows it once the form is sent.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  document.querySelectorAll("form.js-dashboard-filters").forEach((form) => {
    const province = form.querySelector("select[name=province]");
    const district = form.querySelector("select[name=district]");
    if (!province || !district) return;
    const options = Array.from(district.options).filter((o) => o.dataset.province);
    const narrow = () => {
      const chosen = province.value;
      options.forEach((option) => {
        const away = Boolean(chosen) && option.dataset.province !== chosen;
        option.hidden = away;
        option.disabled = away;
        if (away && option.selected) district.value = "";
      });
    };
    // The server may have narrowed the list already; with JavaScript, every district is offered again so
    // that changing the province needs no reload.
    province.addEventListener("change", narrow);
    narrow();
  });
});
