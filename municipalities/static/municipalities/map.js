// Cusco's provinces and districts, the project's municipalities highlighted, each linking to its page.
// Everything this script needs comes from data-* attributes of #municipality-map (no inline script: CSP).
(function () {
  "use strict";

  const BASE = { color: "#6c757d", weight: 1, fillColor: "#f1f3f5", fillOpacity: 0.6 };
  const IN_PROJECT_PROVINCE = { color: "#2f6b3b", weight: 1, fillColor: "#b7dfc0", fillOpacity: 0.7 };
  const PROJECT_DISTRICT = { color: "#8a2c0d", weight: 2, fillColor: "#e8743b", fillOpacity: 0.85 };
  const PROVINCE_LINE = { color: "#212529", weight: 2, fill: false, interactive: false };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then((response) => {
      if (!response.ok) throw new Error(url + " " + response.status);
      return response.json();
    });
  }

  function start(element) {
    const highlighted = JSON.parse(element.dataset.highlighted || "[]");
    const districts = new Map();
    const provinces = new Map();
    highlighted.forEach((m) => (m.level === "provincial" ? provinces : districts).set(m.ubigeo, m));

    const map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix(false);
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    map.attributionControl.addAttribution(element.dataset.attribution || "");

    function target(feature) {
      const code = feature.properties.IDDIST;
      return districts.get(code) || provinces.get(feature.properties.IDPROV) || null;
    }

    Promise.all([getJSON(element.dataset.districtsUrl), getJSON(element.dataset.provincesUrl)])
      .then(([districtData, provinceData]) => {
        const districtLayer = L.geoJSON(districtData, {
          style: (feature) => {
            const code = feature.properties.IDDIST;
            let style = BASE;
            let kind = "kp-other";
            if (districts.has(code)) {
              style = PROJECT_DISTRICT;
              kind = "kp-highlight kp-project-district";
            } else if (provinces.has(feature.properties.IDPROV)) {
              style = IN_PROJECT_PROVINCE;
              kind = "kp-highlight kp-project-province";
            }
            return Object.assign({}, style, { className: "kp-district " + kind + " kp-ubigeo-" + code });
          },
          onEachFeature: (feature, layer) => {
            const place = feature.properties.NOMBDIST;
            const municipality = target(feature);
            layer.bindTooltip(municipality ? municipality.name : place, { sticky: true });
            if (municipality) {
              layer.on("click", () => window.location.assign(municipality.url));
            }
          },
        }).addTo(map);
        L.geoJSON(provinceData, { style: () => Object.assign({}, PROVINCE_LINE, { className: "kp-province" }) }).addTo(map);
        map.fitBounds(districtLayer.getBounds());
        element.dataset.ready = "true";
      })
      .catch(() => {
        element.classList.add("municipality-map--failed");
        element.textContent = element.dataset.failedMessage || "";
      });
  }

  // Leaflet (about 45 KB compressed) and the boundaries (about 55 KB) are fetched only when the map is
  // shown: at once on a wide screen, on request on a phone, where data is dear and the list below the map
  // already links every municipality.
  function loadLeaflet(element) {
    if (window.L) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = element.dataset.leafletCss;
      document.head.appendChild(css);
      const script = document.createElement("script");
      script.src = element.dataset.leafletJs;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function show(element, loader) {
    if (loader) loader.hidden = true;
    element.hidden = false;
    loadLeaflet(element)
      .then(() => start(element))
      .catch(() => {
        element.classList.add("municipality-map--failed");
        element.textContent = element.dataset.failedMessage || "";
      });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const element = document.getElementById("municipality-map");
    if (!element) return;
    const loader = document.querySelector(".map-loader");
    if (window.matchMedia("(min-width: 768px)").matches) {
      show(element, loader);
      return;
    }
    loader.hidden = false;
    document.getElementById("municipality-map-show").addEventListener("click", () => show(element, loader), {
      once: true,
    });
  });
})();
