// govkg explorer: plain JavaScript, no dependencies. Every view talks to the server's own API:
// /queries (stored queries), /sparql (entity pages, map), /graph.svg (neighbourhoods).
"use strict";

const NS = {
  govkg: "https://w3id.org/govkg/ont#",
  id: "https://w3id.org/govkg/id/",
  gaz: "https://w3id.org/govkg/gaz/",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  owl: "http://www.w3.org/2002/07/owl#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  dcterms: "http://purl.org/dc/terms/",
  prov: "http://www.w3.org/ns/prov#",
  geo: "http://www.opengis.net/ont/geosparql#",
};
const ENTITY_TYPES = ["Project", "Place", "Programme", "Organisation"];
const app = document.getElementById("app");
let catalogue = null;

// ---------- small helpers ----------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

class ApiError extends Error {
  constructor(message, parameter) {
    super(message);
    this.parameter = parameter;
  }
}

async function fetchOk(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    let parameter;
    try {
      const body = await response.json();
      message = body.error || message;
      parameter = body.parameter;
    } catch (_) { /* not JSON */ }
    throw new ApiError(message, parameter);
  }
  return response;
}

async function getJson(url) {
  return (await fetchOk(url, { headers: { Accept: "application/json" } })).json();
}

/** Runs SPARQL at /sparql; returns {vars, rows, truncated} with rows of {var: binding}. */
async function sparql(query) {
  const response = await fetchOk("/sparql", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/sparql-results+json",
    },
    body: new URLSearchParams({ query }),
  });
  const json = await response.json();
  return {
    vars: json.head.vars || [],
    rows: (json.results && json.results.bindings) || [],
    truncated: response.headers.get("govkg-truncated") === "true",
  };
}

/** An IRI that can be written as <…> in SPARQL without escaping anything. */
function safeIri(iri) {
  if (!/^https?:\/\/[^\s<>"{}|^`\\]+$/.test(iri)) throw new ApiError(`not a usable IRI: ${iri}`);
  return `<${iri}>`;
}

function compact(iri) {
  let best = null;
  for (const [p, ns] of Object.entries(NS)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [p, ns];
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
}

function isEntityIri(iri) {
  return iri.startsWith(NS.id) || iri.startsWith(NS.gaz);
}

function entityHref(iri) {
  return `#/entity/${encodeURIComponent(iri)}`;
}

function shortName(iri) {
  const c = compact(iri);
  const i = c.lastIndexOf("/");
  return i >= 0 ? c.slice(i + 1) : c.replace(/^[a-z]+:/, "");
}

function typeName(iri) {
  return iri.startsWith(NS.govkg) ? iri.slice(NS.govkg.length) : compact(iri);
}

function cell(binding) {
  if (!binding) return el("td", {});
  if (binding.type === "uri") {
    const text = compact(binding.value);
    if (isEntityIri(binding.value)) {
      return el("td", {}, el("a", { class: "entity", href: entityHref(binding.value), title: binding.value }, text));
    }
    return el("td", { title: binding.value }, text);
  }
  const numeric = binding.datatype && /#(integer|decimal|double|float|int|long)$/.test(binding.datatype);
  let text = binding.value;
  if (numeric && binding.datatype.endsWith("#double")) {
    const n = Number(text);
    if (Number.isFinite(n)) text = n.toFixed(1);
  }
  return el("td", { class: numeric ? "num" : null }, text);
}

function resultsTable(result) {
  if (!result.rows.length) return el("p", { class: "status" }, "No results.");
  return el("div", { class: "table-wrap" },
    el("table", { class: "results" },
      el("thead", {}, el("tr", {}, result.vars.map((v) => el("th", {}, v)))),
      el("tbody", {}, result.rows.map((row) => el("tr", {}, result.vars.map((v) => cell(row[v])))))));
}

function errorBox(e) {
  return el("div", { class: "error", role: "alert" },
    e.parameter ? `Parameter “${e.parameter}”: ${e.message}` : e.message);
}

function setActiveNav(name) {
  for (const a of document.querySelectorAll("nav a[data-nav]")) {
    a.classList.toggle("active", a.dataset.nav === name);
  }
}

async function loadCatalogue() {
  if (!catalogue) catalogue = await getJson("/queries");
  return catalogue;
}

// ---------- router ----------

function parseHash() {
  const hash = location.hash.replace(/^#/, "") || "/queries";
  const [path, query] = hash.split("?");
  return { parts: path.split("/").filter(Boolean), params: new URLSearchParams(query || "") };
}

async function route() {
  const { parts, params } = parseHash();
  app.replaceChildren();
  try {
    switch (parts[0]) {
      case "entity":
        setActiveNav("");
        await entityView(decodeURIComponent(parts.slice(1).join("/")));
        break;
      case "graph":
        setActiveNav("graph");
        graphView(params);
        break;
      case "map":
        setActiveNav("map");
        await mapView(params);
        break;
      case "sparql":
        setActiveNav("sparql");
        sparqlView(params);
        break;
      default:
        setActiveNav("queries");
        await queriesView(parts[1] ? decodeURIComponent(parts[1]) : null, params);
    }
  } catch (e) {
    app.append(errorBox(e));
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);

// ---------- stored queries ----------

function paramInput(p, value) {
  const id = `param-${p.name}`;
  let input;
  if (p.type === "type") {
    input = el("select", { id, name: p.name },
      ENTITY_TYPES.map((t) => el("option", { value: t, selected: t === value ? "selected" : null }, t)));
  } else {
    input = el("input", {
      id,
      name: p.name,
      type: p.type === "integer" || p.type === "decimal" ? "number" : "text",
      step: p.type === "integer" ? "1" : p.type === "decimal" ? "any" : null,
      value: value ?? "",
      placeholder: p.required ? "required" : "",
    });
  }
  return el("label", { for: id },
    el("span", {}, `${p.name} `, el("span", { class: "muted" }, `(${p.type})`)),
    input,
    p.description ? el("span", { class: "hint" }, p.description) : null);
}

async function queriesView(name, params) {
  const queries = await loadCatalogue();
  const selected = queries.find((q) => q.name === name) || null;
  const list = el("ul", { class: "query-list" }, queries.map((q) =>
    el("li", {}, el("a", {
      href: `#/queries/${encodeURIComponent(q.name)}`,
      "data-query": q.name,
      class: selected && q.name === selected.name ? "selected" : null,
    }, el("div", { class: "name" }, q.name), el("div", { class: "summary" }, q.summary)))));
  const right = el("div", {});
  app.append(el("div", { class: "layout" }, list, right));
  if (!name) {
    right.append(el("div", { class: "panel" },
      el("h2", {}, "Stored queries"),
      el("p", {}, "Pick a query on the left, fill its parameters and run it. Entities in the results link to their pages."),
      el("p", { class: "muted small" }, `${queries.length} queries. The same API is documented at /openapi.json.`)));
    return;
  }
  if (!selected) {
    right.append(errorBox(new ApiError(`unknown stored query “${name}”`)));
    return;
  }
  const form = el("form", { class: "params", id: "query-form" },
    selected.parameters.map((p) => paramInput(p, params.has(p.name) ? params.get(p.name) : p.default)),
    el("button", { type: "submit" }, "Run"));
  const out = el("div", { id: "results" });
  right.append(el("div", { class: "panel" },
    el("h2", {}, selected.name), el("p", { class: "muted" }, selected.summary), form), out);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = new URLSearchParams();
    for (const p of selected.parameters) {
      const v = form.elements[p.name].value.trim();
      if (v !== "") values.set(p.name, v);
    }
    values.set("run", "1");
    const target = `#/queries/${encodeURIComponent(selected.name)}?${values}`;
    if (location.hash === target) route();
    else location.hash = target;
  });
  if (params.get("run") === "1") await runStored(selected, params, form, out);
}

async function runStored(q, params, form, out) {
  const values = new URLSearchParams();
  for (const p of q.parameters) {
    if (params.has(p.name)) values.set(p.name, params.get(p.name));
  }
  const url = `/queries/${encodeURIComponent(q.name)}?${values}`;
  out.replaceChildren(el("p", { class: "status" }, "Running…"));
  const started = performance.now();
  try {
    const response = await fetchOk(url, { headers: { Accept: "application/sparql-results+json" } });
    const json = await response.json();
    const result = { vars: json.head.vars, rows: json.results.bindings };
    const ms = Math.round(performance.now() - started);
    const truncated = response.headers.get("govkg-truncated") === "true";
    out.replaceChildren(
      el("p", { class: "status" },
        `${result.rows.length} row${result.rows.length === 1 ? "" : "s"} in ${ms} ms`,
        truncated ? " (cut at the server's row limit)" : "",
        " · download ",
        el("a", { href: `${url}&format=csv` }, "CSV"), " ",
        el("a", { href: `${url}&format=json` }, "JSON")),
      resultsTable(result));
  } catch (e) {
    out.replaceChildren(errorBox(e));
    if (e.parameter && form.elements[e.parameter]) form.elements[e.parameter].classList.add("invalid");
  }
}

// ---------- entity page ----------

async function entityView(iri) {
  const subject = safeIri(iri);
  const [props, incoming, evidence] = await Promise.all([
    sparql(`SELECT ?p ?o (SAMPLE(?l) AS ?olabel) WHERE { ${subject} ?p ?o .
      OPTIONAL { ?o rdfs:label ?l FILTER(isIRI(?o)) } } GROUP BY ?p ?o ORDER BY ?p ?o`),
    sparql(`SELECT ?s ?p (SAMPLE(?l) AS ?slabel) WHERE { ?s ?p ${subject} ; rdfs:label ?l .
      FILTER(?p != govkg:mentionOf) } GROUP BY ?s ?p ORDER BY ?p ?slabel LIMIT 500`),
    sparql(`SELECT DISTINCT ?sentence ?report ?file ?year WHERE {
      ?m govkg:mentionOf ${subject} ; govkg:inSentence ?s . ?s dcterms:isPartOf ?report .
      ?s govkg:text ?sentence .
      OPTIONAL { ?report govkg:fileName ?file } OPTIONAL { ?report govkg:year ?year } }
      ORDER BY ?year ?report LIMIT 500`),
  ]);
  const types = [];
  const labels = [];
  const aliases = [];
  const relations = [];
  const facts = [];
  for (const row of props.rows) {
    const p = row.p.value;
    const o = row.o;
    if (p === NS.rdf + "type") types.push(typeName(o.value));
    else if (p === NS.rdfs + "label") labels.push(o.value);
    else if (p === NS.skos + "altLabel") aliases.push(o.value);
    else if (o.type === "uri" && p !== NS.govkg + "mentionedIn") relations.push({ dir: "→", p, o: o.value, label: row.olabel && row.olabel.value });
    else if (o.type !== "uri") facts.push({ p, value: o.value });
  }
  for (const row of incoming.rows) {
    relations.push({ dir: "←", p: row.p.value, o: row.s.value, label: row.slabel && row.slabel.value });
  }
  const title = labels.find((l) => /[\u4e00-\u9fff]/.test(l)) || labels[0] || shortName(iri);
  const isProject = types.includes("Project");
  const names = [...new Set([...labels, ...aliases])].filter((n) => n.length > 1).sort((a, b) => b.length - a.length);

  app.append(el("div", { class: "panel" },
    el("h2", { class: "entity-title" }, title),
    el("div", {}, types.map((t) => el("span", { class: `badge ${t}` }, t))),
    el("p", { class: "iri" }, iri),
    labels.length > 1 || aliases.length ? el("p", {}, "Also: ", [...new Set([...labels, ...aliases])].filter((n) => n !== title).join("、")) : null,
    facts.length ? el("p", { class: "small muted" }, facts.map((f) => `${compact(f.p)} ${f.value}`).join(" · ")) : null));

  if (isProject) {
    const timeline = await sparql(`SELECT DISTINCT ?year ?status ?trigger ?sentence ?file WHERE {
      ?st govkg:project ${subject} ; govkg:status ?s ; govkg:trigger ?trigger ;
          govkg:evidence ?sent ; dcterms:isPartOf ?report .
      ?sent govkg:text ?sentence .
      OPTIONAL { ?st govkg:year ?year } OPTIONAL { ?report govkg:fileName ?file }
      BIND(STRAFTER(STR(?s), "#") AS ?status) } ORDER BY ?year ?file`);
    app.append(el("section", { class: "timeline" }, el("h3", {}, "Timeline 进展"),
      timeline.rows.length
        ? el("ol", { class: "timeline" }, timeline.rows.map((r) => el("li", {},
          el("span", { class: "when" }, r.year ? r.year.value : "undated"),
          el("span", { class: "badge" }, r.status.value), " ",
          el("span", { class: "muted small" }, `“${r.trigger.value}”`),
          el("div", {}, highlight(r.sentence.value, names)),
          el("div", { class: "small muted" }, r.file ? r.file.value : ""))))
        : el("p", { class: "muted" }, "No status statements for this project.")));
  }

  app.append(el("section", { class: "relations" }, el("h3", {}, `Relations 关系 (${relations.length})`),
    relations.length
      ? el("div", { class: "table-wrap" }, el("table", { class: "results" },
        el("thead", {}, el("tr", {}, el("th", {}, ""), el("th", {}, "relation"), el("th", {}, "entity"))),
        el("tbody", {}, relations.map((r) => el("tr", {},
          el("td", {}, r.dir),
          el("td", {}, compact(r.p)),
          el("td", {}, isEntityIri(r.o)
            ? el("a", { class: "entity", href: entityHref(r.o), title: r.o }, r.label || shortName(r.o))
            : compact(r.o)))))))
      : el("p", { class: "muted" }, "No relations.")));

  app.append(el("section", { class: "evidence" }, el("h3", {}, `Evidence 依据 (${evidence.rows.length} sentences)`),
    evidence.rows.length
      ? el("ul", { class: "evidence" }, evidence.rows.map((r) => el("li", {},
        el("div", {}, highlight(r.sentence.value, names)),
        el("div", { class: "source" },
          r.year ? `${r.year.value} · ` : "",
          r.file ? r.file.value : compact(r.report.value)))))
      : el("p", { class: "muted" }, "No sentences mention this entity.")));

  if (types.some((t) => ENTITY_TYPES.includes(t))) {
    const around = labels[0] || title;
    const box = el("div", { class: "graph-box" }, el("p", { class: "muted" }, "Drawing…"));
    app.append(el("section", { class: "graph" },
      el("h3", {}, "Neighbourhood 关系图 ",
        el("a", { class: "small", href: `#/graph?around=${encodeURIComponent(around)}&depth=1` }, "open in graph view")),
      box));
    drawGraph(around, 1, box);
  }
}

/** The sentence with every name in `names` marked. */
function highlight(text, names) {
  if (!names.length) return text;
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const parts = text.split(new RegExp(`(${escaped.join("|")})`));
  return el("span", {}, parts.map((p, i) => (i % 2 ? el("mark", {}, p) : p)));
}

// ---------- graph view ----------

async function drawGraph(around, depth, box) {
  const url = `/graph.svg?${new URLSearchParams({ around, depth: String(depth) })}`;
  try {
    const response = await fetchOk(url);
    const blob = await response.blob();
    const img = el("img", { src: URL.createObjectURL(blob), alt: `graph around ${around}`, class: "graph-svg" });
    box.replaceChildren(img,
      el("p", { class: "small" }, el("a", { href: url.replace("/graph.svg", "/graph.dot") }, "DOT source")));
  } catch (e) {
    box.replaceChildren(errorBox(e));
  }
}

function graphView(params) {
  const around = params.get("around") || "";
  const depth = params.get("depth") || "1";
  const form = el("form", { class: "params" },
    el("label", {}, "Entity label", el("input", { name: "around", value: around, placeholder: "e.g. 望坛" })),
    el("label", {}, "Depth", el("input", { name: "depth", type: "number", min: "0", max: "5", value: depth })),
    el("button", { type: "submit" }, "Draw"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/graph?${new URLSearchParams({ around: form.elements.around.value.trim(), depth: form.elements.depth.value })}`;
  });
  const box = el("div", { class: "graph-box" });
  app.append(el("div", { class: "panel" }, el("h2", {}, "Entity graph 图谱"),
    el("p", { class: "muted" }, "The neighbourhood of an entity: relations as labelled edges, co-mentions dashed."), form), box);
  if (around) drawGraph(around, depth, box);
  else box.append(el("p", { class: "muted" }, "Give an entity label to draw its neighbourhood."));
}

// ---------- map ----------

/** Parses WKT into {kind: "point"|"line"|"polygon", parts: [[[lon, lat], …], …]}. */
function parseWkt(text) {
  const body = text.replace(/^\s*<[^>]*>\s*/, "").trim();
  const m = /^([A-Za-z]+)\s*(.*)$/s.exec(body);
  if (!m) return null;
  const type = m[1].toUpperCase();
  const groups = [...m[2].matchAll(/\(([^()]+)\)/g)].map((g) =>
    g[1].split(",").map((pair) => pair.trim().split(/\s+/).map(Number)).filter((c) => c.length >= 2 && c.every(Number.isFinite)));
  const kind = type.includes("POINT") ? "point" : type.includes("LINE") ? "line" : "polygon";
  return { kind, parts: groups };
}

async function mapView(params) {
  const maxDistance = params.get("max_distance") || "1000";
  const extent = params.get("extent") || "core";
  const queries = await loadCatalogue();
  const nearQuery = queries.find((q) => q.name === "near-central-axis");
  const [places, projects] = await Promise.all([
    sparql(`SELECT ?g (SAMPLE(?l) AS ?label) ?kind ?wkt WHERE {
      ?g a govkg:GazetteerPlace ; govkg:placeKind ?kind ; geo:hasGeometry/geo:asWKT ?wkt .
      OPTIONAL { ?g rdfs:label ?l FILTER(LANG(?l) = "zh") } } GROUP BY ?g ?kind ?wkt`),
    sparql(`SELECT DISTINCT ?project (SAMPLE(?l) AS ?label) ?g WHERE {
      ?project a govkg:Project ; rdfs:label ?l ; govkg:locatedAt ?pl . ?pl govkg:gazetteerPlace ?g }
      GROUP BY ?project ?g`),
  ]);
  let near = new Map();
  let nearNote = null;
  if (nearQuery) {
    try {
      const r = await getJson(`/queries/near-central-axis?${new URLSearchParams({ max_distance: maxDistance })}`);
      for (const row of r.results.bindings) {
        if (row.project) near.set(row.project.value, { label: row.label && row.label.value, distance: row.metres ? Number(row.metres.value) : NaN });
      }
    } catch (e) {
      nearNote = errorBox(e);
    }
  } else {
    nearNote = el("p", { class: "muted" }, "The stored query near-central-axis is not in this server's catalogue, so no projects are highlighted.");
  }

  const geoms = new Map();
  let axis = null;
  for (const row of places.rows) {
    const g = parseWkt(row.wkt.value);
    if (!g || !g.parts.length) continue;
    const item = { iri: row.g.value, label: row.label ? row.label.value : shortName(row.g.value), kind: typeName(row.kind.value), geom: g };
    geoms.set(item.iri, item);
    if (item.iri === NS.gaz + "中轴线") axis = item;
  }
  const axisPoints = axis ? axis.geom.parts.flat() : [[116.3915, 39.906]];
  const lon0 = axisPoints.reduce((s, c) => s + c[0], 0) / axisPoints.length;
  const lat0 = axisPoints.reduce((s, c) => s + c[1], 0) / axisPoints.length;
  const cos = Math.cos((lat0 * Math.PI) / 180);
  const K = 12000; // pixels per degree of latitude
  const px = (c) => [((c[0] - lon0) * cos * K), (-(c[1] - lat0) * K)];
  const metresPerPixel = 111195 / K;

  let box;
  if (extent === "all") {
    const pts = [...geoms.values()].flatMap((g) => g.geom.parts.flat())
      .filter((c) => c[0] > 115.4 && c[0] < 117.6 && c[1] > 39.4 && c[1] < 41.1).map(px);
    box = [Math.min(...pts.map((p) => p[0])), Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[1]))];
  } else {
    const pts = axisPoints.map(px);
    const pad = 420;
    box = [Math.min(...pts.map((p) => p[0])) - pad * 1.3, Math.min(...pts.map((p) => p[1])) - pad * 0.4,
      Math.max(...pts.map((p) => p[0])) + pad * 1.3, Math.max(...pts.map((p) => p[1])) + pad * 0.4];
  }
  const [x0, y0, x1, y1] = box;
  const w = x1 - x0;
  const h = y1 - y0;
  const scale = Math.max(w, h) / 900; // keep strokes and text readable at any extent
  const svg = svgEl("svg", { class: "map", viewBox: `${x0} ${y0} ${w} ${h}`, role: "img", "aria-label": "Schematic map of places and projects around the Central Axis" });
  // Grid every 0.01° (about 1 km).
  const grid = svgEl("g", { class: "grid" });
  for (let lon = Math.floor((lon0 - 1) * 100) / 100; lon < lon0 + 1; lon += 0.01) {
    const x = px([lon, lat0])[0];
    if (x >= x0 && x <= x1) grid.append(svgEl("line", { x1: x, y1: y0, x2: x, y2: y1, "stroke-width": scale }));
  }
  for (let lat = Math.floor((lat0 - 1) * 100) / 100; lat < lat0 + 1; lat += 0.01) {
    const y = px([lon0, lat])[1];
    if (y >= y0 && y <= y1) grid.append(svgEl("line", { x1: x0, y1: y, x2: x1, y2: y, "stroke-width": scale }));
  }
  svg.append(grid);
  const path = (pts, close) => pts.map((c, i) => `${i ? "L" : "M"}${px(c).map((v) => v.toFixed(1)).join(" ")}`).join(" ") + (close ? " Z" : "");
  const areas = svgEl("g", {});
  const lines = svgEl("g", {});
  const points = svgEl("g", {});
  const labels = svgEl("g", {});
  for (const item of geoms.values()) {
    if (item === axis || item.kind === "Municipality" || item.kind === "District") continue;
    if (item.geom.kind === "polygon") {
      areas.append(svgEl("path", { class: "area", d: item.geom.parts.map((p) => path(p, true)).join(" "), "stroke-width": scale }, svgEl("title", {}, item.label)));
    } else if (item.geom.kind === "line") {
      lines.append(svgEl("path", { class: "line", d: item.geom.parts.map((p) => path(p, false)).join(" "), "stroke-width": 1.5 * scale }, svgEl("title", {}, item.label)));
    } else {
      for (const c of item.geom.parts.flat()) {
        const [x, y] = px(c);
        points.append(svgEl("circle", { class: "place", cx: x, cy: y, r: 2.5 * scale }, svgEl("title", {}, `${item.label} (${item.kind})`)));
        if (extent !== "all") labels.append(svgEl("text", { class: "place-label", x: x + 4 * scale, y: y + 3 * scale, "font-size": 11 * scale }, item.label));
      }
    }
  }
  svg.append(areas, lines);
  if (axis) {
    const d = axis.geom.parts.map((p) => path(p, false)).join(" ");
    const bufferWidth = (2 * Number(maxDistance)) / metresPerPixel;
    if (nearQuery && Number.isFinite(bufferWidth) && bufferWidth > 0) {
      svg.append(svgEl("path", { class: "buffer", d, "stroke-width": bufferWidth }, svgEl("title", {}, `${maxDistance} m of the Central Axis`)));
    }
    svg.append(svgEl("path", { class: "axis", d, "stroke-width": 4 * scale }, svgEl("title", {}, "中轴线 Central Axis")));
    const top = px(axis.geom.parts[0][0]);
    svg.append(svgEl("text", { class: "axis-label", x: top[0] + 8 * scale, y: top[1] - 8 * scale, "font-size": 14 * scale }, "中轴线 Central Axis"));
  }
  svg.append(points, labels);
  // Projects, at the centre of their gazetteer place; several at one place fan out.
  const perPlace = new Map();
  const projectLayer = svgEl("g", {});
  const nearLayer = svgEl("g", {});
  for (const row of projects.rows) {
    const place = geoms.get(row.g.value);
    if (!place || place.kind === "Municipality" || place.kind === "District") continue;
    const pts = place.geom.parts.flat();
    const c = [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
    const n = perPlace.get(place.iri) || 0;
    perPlace.set(place.iri, n + 1);
    let [x, y] = px(c);
    x += (n % 4) * 9 * scale;
    y += Math.floor(n / 4) * 9 * scale;
    const iri = row.project.value;
    const isNear = near.has(iri);
    const size = (isNear ? 9 : 6) * scale;
    const label = row.label ? row.label.value : shortName(iri);
    const link = svgEl("a", { href: entityHref(iri) },
      svgEl("rect", { class: isNear ? "project near" : "project", x: x - size / 2, y: y - size / 2, width: size, height: size, "data-iri": iri },
        svgEl("title", {}, `${label} @ ${place.label}${isNear ? ` — ${Math.round(near.get(iri).distance)} m from the axis` : ""}`)));
    if (isNear) {
      link.append(svgEl("text", { class: "project-label", x: x + 7 * scale, y: y - 5 * scale, "font-size": 12 * scale }, label));
      nearLayer.append(link);
    } else {
      projectLayer.append(link);
    }
  }
  svg.append(projectLayer, nearLayer);

  const form = el("form", { class: "params" },
    el("label", {}, "Distance from the axis (m)", el("input", { name: "max_distance", type: "number", min: "0", step: "50", value: maxDistance, disabled: nearQuery ? null : "disabled" })),
    el("label", {}, "Extent", el("select", { name: "extent" },
      el("option", { value: "core", selected: extent === "core" ? "selected" : null }, "Central Axis"),
      el("option", { value: "all", selected: extent === "all" ? "selected" : null }, "All of Beijing"))),
    el("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/map?${new URLSearchParams({ max_distance: form.elements.max_distance.value, extent: form.elements.extent.value })}`;
  });
  const nearList = [...near.entries()].sort((a, b) => a[1].distance - b[1].distance);
  app.append(el("div", { class: "panel" }, el("h2", {}, "Map 地图: the Central Axis 中轴线"),
    el("p", { class: "muted small" }, "Schematic: gazetteer geometries (WGS84) on a local plane; no tiles. Projects are drawn at the place that locates them."),
    form,
    el("p", { class: "legend" },
      el("span", {}, el("i", { style: "background:#b03a2e" }), "Central Axis"),
      el("span", {}, el("i", { style: "background:#e4572e" }), "project near the axis"),
      el("span", {}, el("i", { style: "background:#8aa1b4" }), "other project"),
      el("span", {}, el("i", { style: "background:#5b7083;border-radius:50%" }), "gazetteer place"))));
  app.append(el("div", { class: "map-layout" }, svg,
    el("div", { class: "panel" },
      el("h3", {}, `Near the axis (${nearList.length})`),
      nearNote,
      el("ol", { class: "near-list" }, nearList.map(([iri, v]) => el("li", {},
        el("a", { class: "entity", href: entityHref(iri) }, v.label || shortName(iri)),
        el("span", { class: "muted small" }, ` ${Math.round(v.distance)} m`)))))));
}

// ---------- SPARQL ----------

const EXAMPLE_QUERY = `# govkg prefixes (govkg:, id:, gaz:, geo:, gfn: …) are predeclared.
SELECT ?place ?label ?metres WHERE {
  gaz:中轴线 geo:hasGeometry/geo:asWKT ?axis .
  ?place a govkg:GazetteerPlace ; rdfs:label ?label ; geo:hasGeometry/geo:asWKT ?wkt .
  FILTER(LANG(?label) = "zh")
  BIND(gfn:distance(?wkt, ?axis) AS ?metres)
  FILTER(?metres < 300)
}
ORDER BY ?metres
LIMIT 50`;

function sparqlView(params) {
  const text = params.get("query") || EXAMPLE_QUERY;
  const area = el("textarea", { name: "query", spellcheck: "false" }, text);
  const out = el("div", {});
  const form = el("form", {}, area, el("p", {}, el("button", { type: "submit" }, "Run")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    out.replaceChildren(el("p", { class: "status" }, "Running…"));
    try {
      const response = await fetchOk("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json, text/turtle;q=0.9" },
        body: area.value,
      });
      const type = response.headers.get("content-type") || "";
      if (type.includes("json")) {
        const json = await response.json();
        if ("boolean" in json) out.replaceChildren(el("p", {}, `ASK: ${json.boolean}`));
        else out.replaceChildren(el("p", { class: "status" }, `${json.results.bindings.length} rows`), resultsTable({ vars: json.head.vars, rows: json.results.bindings }));
      } else {
        out.replaceChildren(el("pre", {}, await response.text()));
      }
    } catch (e) {
      out.replaceChildren(errorBox(e));
    }
  });
  app.append(el("div", { class: "panel" }, el("h2", {}, "SPARQL"),
    el("p", { class: "muted small" }, "Queries go to /sparql (read-only). GeoSPARQL functions and gfn:distance are available."), form), out);
}
