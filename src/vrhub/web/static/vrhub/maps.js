// The hot spot map: LSOA boundaries from the page's GeoJSON URL (data-geojson), coloured by Gi* band, with a
// base-map tile layer only when the server configures one (data-tile-url): many partner networks block tiles.
(function () {
  "use strict";
  var el = document.getElementById("hotspot-map");
  if (!el || typeof L === "undefined") return;

  var BANDS = [
    { label: "Hot spot, FDR p < 0.01", colour: "#a50f15" },
    { label: "Hot spot, FDR p < 0.05", colour: "#f46d43" },
    { label: "Not significant", colour: "#eeeeee" },
    { label: "Cold spot, FDR p < 0.05", colour: "#74add1" }
  ];

  function band(p) {
    if (p.hot && p.p_fdr < 0.01) return BANDS[0];
    if (p.hot) return BANDS[1];
    if (p.p_fdr < 0.05 && p.gi_z < 0) return BANDS[3];
    return BANDS[2];
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }

  var map = L.map(el, { scrollWheelZoom: false });
  var tiles = el.dataset.tileUrl;
  if (tiles) {
    // The credit comes from the server (the page shows it too): OpenStreetMap's, which tiles built on it need.
    L.tileLayer(tiles, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }

  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    })
    .then(function (doc) {
      var layer = L.geoJSON(doc, {
        style: function (feature) {
          var b = band(feature.properties);
          return { color: "#ffffff", weight: 0.5, fillColor: b.colour, fillOpacity: tiles ? 0.7 : 1 };
        },
        onEachFeature: function (feature, lyr) {
          var p = feature.properties;
          lyr.bindPopup(
            "<strong>" + text(p.lsoa_name || p.lsoa_code) + "</strong><br>" +
            "Count: " + text(p.count) + "<br>" +
            "Gi* z: " + text(p.gi_z == null ? "" : p.gi_z.toFixed(2)) + "<br>" +
            text(band(p).label) + (p["class"] ? "<br>" + text(p["class"]) : "")
          );
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      var legend = L.control({ position: "bottomright" });
      legend.onAdd = function () {
        var box = L.DomUtil.create("div", "leaflet-control-layers leaflet-control-layers-expanded");
        BANDS.forEach(function (b) {
          var row = L.DomUtil.create("div", "", box);
          var swatch = L.DomUtil.create("span", "", row);
          swatch.style.display = "inline-block";
          swatch.style.width = "12px";
          swatch.style.height = "12px";
          swatch.style.marginRight = "6px";
          swatch.style.background = b.colour;
          swatch.style.border = "1px solid #505a5f";
          row.appendChild(document.createTextNode(b.label));
        });
        return box;
      };
      legend.addTo(map);
    })
    .catch(function (err) {
      el.textContent = "The map could not be drawn; the hot spots are listed in the table.";
      if (window.console) console.error(err);
    });
})();
