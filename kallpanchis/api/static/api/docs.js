// The API documentation page: Swagger UI (vendored under static/vendor/swagger-ui) is fetched only when the
// reader asks for it, so the page stays light on a phone; a static file because the CSP forbids inline script.
(function () {
  "use strict";
  function start(node) {
    window.SwaggerUIBundle({
      url: node.dataset.schemaUrl,
      domNode: node,
      deepLinking: false,
      docExpansion: "none",
      defaultModelsExpandDepth: 0,
      validatorUrl: null,
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var node = document.getElementById("swagger-ui");
    var button = document.querySelector(".js-load-reference");
    if (!node || !button) return;
    button.addEventListener("click", function () {
      button.disabled = true;
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = node.dataset.style;
      document.head.appendChild(style);
      var script = document.createElement("script");
      script.src = node.dataset.script;
      script.onload = function () {
        start(node);
        button.hidden = true;
      };
      document.head.appendChild(script);
    });
  });
})();
