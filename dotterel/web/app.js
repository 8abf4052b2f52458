/* Dotterel explorer: a hash-routed page over the JSON API.
 *
 * Safety rule of this file: data (article text, names, evidence, ids) only
 * ever reaches the page as text nodes (el()/text()) or as URL-encoded parts
 * of "#/..." links built here.  Nothing from the API is assigned to
 * innerHTML, outerHTML, insertAdjacentHTML or a src/href of its own.
 */
"use strict";

const QUADS = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"];
const QUAD_LABEL = {
  verbal_cooperation: "Verbal cooperation", material_cooperation: "Material cooperation",
  verbal_conflict: "Verbal conflict", material_conflict: "Material conflict",
};
const QUAD_COLOR = {
  verbal_cooperation: "#3b8bd9", material_cooperation: "#1f9e6e",
  verbal_conflict: "#e3a21a", material_conflict: "#c8412b",
};
let PLOVER = {};          // type -> {quad, score}
const charts = [];        // live Chart instances, destroyed on navigation

// ------------------------------------------------------------------ DOM helpers
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "href") node.setAttribute("href", safeHref(v));
    else if (k === "onclick" || k === "onsubmit" || k === "onchange") node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
// only in-page routes are ever linked
function safeHref(h) { return (typeof h === "string" && h.startsWith("#/")) ? h : "#/"; }
function route(...parts) { return "#/" + parts.map(p => encodeURIComponent(p)).join("/"); }
function withQuery(base, params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) u.set(k, v);
  const s = u.toString();
  return s ? base + "?" + s : base;
}
function mount(...nodes) {
  while (charts.length) charts.pop().destroy();
  const app = document.getElementById("app");
  app.replaceChildren(...nodes.flat(Infinity).filter(n => n !== null && n !== undefined && n !== false));
}
function errorBox(msg) { return el("p", { class: "error" }, msg); }

async function api(path, params) {
  const url = params ? withQuery(path, params) : path;
  const res = await fetch(url, { headers: { "Accept": "application/json" } });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const detail = body && body.detail ? body.detail : res.statusText;
    throw new Error(`${res.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  }
  return body;
}

// ------------------------------------------------------------------ labels
function entLabel(ents) {
  return (ents || []).map(e => e.name || [e.country, e.sector].filter(Boolean).join(" ") || "?").join(" + ");
}
function placeLabel(loc) {
  if (!loc) return "";
  return loc.name && loc.country ? `${loc.name} (${loc.country})` : (loc.name || loc.country || "");
}
function quadOf(type) { return (PLOVER[type] || {}).quad || ""; }
function typeTag(type) { return el("span", { class: "tag q-" + quadOf(type) }, type); }
function countries(ents) { return [...new Set((ents || []).map(e => e.country).filter(Boolean))]; }

function eventsTable(events, opts) {
  const rows = events.map(ev => el("tr", { dataset: { eventId: ev.id } },
    el("td", {}, ev.date || "–"),
    el("td", {}, typeTag(ev.event_type), ev.mode ? el("span", { class: "muted" }, ev.mode) : null),
    el("td", {}, entLabel(ev.actor), ev.recipient && ev.recipient.length ? " → " + entLabel(ev.recipient) : ""),
    el("td", {}, placeLabel(ev.location)),
    el("td", {}, el("a", { href: route("event", ev.id), class: "event-link" }, ev.evidence || "(no evidence)")),
  ));
  return el("table", { class: "events", id: (opts && opts.id) || null },
    el("thead", {}, el("tr", {}, ["Date", "Type", "Actor → recipient", "Place", "Evidence"].map(h => el("th", {}, h)))),
    el("tbody", {}, rows));
}

// ------------------------------------------------------------------ charts
function baseOptions(xTitle, yTitle) {
  return {
    responsive: true, maintainAspectRatio: false, animation: false,
    plugins: { legend: { position: "bottom" } },
    scales: {
      x: { title: { display: true, text: xTitle } },
      y: { title: { display: true, text: yTitle }, beginAtZero: true },
    },
  };
}
function chartBox(id) {
  const canvas = el("canvas", { id, role: "img" });
  return [el("div", { class: "chart-box" }, canvas), canvas];
}
function quadChart(canvas, tl, label) {
  if (typeof Chart === "undefined") return;
  const opts = baseOptions(tl.by[0].toUpperCase() + tl.by.slice(1), "Events");
  opts.scales.x.stacked = true; opts.scales.y.stacked = true; opts.scales.y.ticks = { precision: 0 };
  opts.plugins.title = { display: true, text: label };
  charts.push(new Chart(canvas, {
    type: "bar",
    data: {
      labels: tl.periods.map(p => periodLabel(p.period, tl.by)),
      datasets: QUADS.map(q => ({ label: QUAD_LABEL[q], backgroundColor: QUAD_COLOR[q],
                                   data: tl.periods.map(p => p.counts[q] || 0) })),
    },
    options: opts,
  }));
}
function scoreChart(canvas, tl, label) {
  if (typeof Chart === "undefined") return;
  const opts = baseOptions(tl.by[0].toUpperCase() + tl.by.slice(1), "Mean PLOVER score (−10 conflict, +10 cooperation)");
  opts.scales.y = { title: opts.scales.y.title, min: -10, max: 10, position: "left" };
  opts.scales.y2 = { title: { display: true, text: "Events" }, beginAtZero: true, position: "right",
                     ticks: { precision: 0 },
                     grid: { drawOnChartArea: false } };
  opts.plugins.title = { display: true, text: label };
  charts.push(new Chart(canvas, {
    data: {
      labels: tl.periods.map(p => periodLabel(p.period, tl.by)),
      datasets: [
        { type: "line", label: "Mean cooperation–conflict score", yAxisID: "y",
          data: tl.periods.map(p => p.mean_score), borderColor: "#14324f", backgroundColor: "#14324f",
          pointRadius: 4, tension: 0 },
        { type: "bar", label: "Events", yAxisID: "y2", data: tl.periods.map(p => p.events),
          backgroundColor: "rgba(59,139,217,0.35)" },
      ],
    },
    options: opts,
  }));
}
function periodLabel(iso, by) {
  if (by === "month") return iso.slice(0, 7);
  if (by === "year") return iso.slice(0, 4);
  return iso;
}

// ------------------------------------------------------------------ pages
async function overview(params) {
  const f = { since: params.get("since") || "", until: params.get("until") || "",
              type: params.get("type") || "", country: params.get("country") || "",
              by: params.get("by") || "month" };
  const form = filterForm(f, true);
  const [chartDiv, canvas] = chartBox("overview-chart");
  const dyadsCard = el("div", { class: "card" }, el("h2", {}, "Top dyads"), el("p", { class: "muted" }, "Loading…"));
  const actorsCard = el("div", { class: "card" }, el("h2", {}, "Top actors"), el("p", { class: "muted" }, "Loading…"));
  const recent = el("div", {}, el("h2", {}, "Recent events"));
  mount(el("h1", {}, "Overview"), form, el("div", { class: "card" }, chartDiv),
        el("div", { class: "grid" }, dyadsCard, actorsCard), recent);
  const common = { since: f.since, until: f.until };
  try {
    const [tl, dy, ac, evs] = await Promise.all([
      api("/api/timeline", { ...common, by: f.by, type: f.type, country: f.country }),
      api("/api/dyads", { ...common, type: f.type, country: f.country, limit: 15 }),
      api("/api/actors", { ...common, country: f.country, limit: 15 }),
      api("/api/events", { ...common, type: f.type, country: f.country, limit: 25 }),
    ]);
    quadChart(canvas, tl, "Events over time by PLOVER quad class");
    dyadsCard.replaceChildren(el("h2", {}, "Top dyads"), dyadTable(dy.dyads));
    actorsCard.replaceChildren(el("h2", {}, "Top actors"), actorTable(ac.actors));
    recent.replaceChildren(el("h2", {}, `Recent events (${evs.events.length} of ${evs.total})`),
                           eventsTable(evs.events, { id: "recent-events" }));
  } catch (e) { recent.replaceChildren(errorBox(e.message)); }
}

function filterForm(f, withBy) {
  const inp = (name, label, ph) => el("label", {}, label, el("input", { name, value: f[name] || "", placeholder: ph }));
  const typeSel = el("select", { name: "type" }, el("option", { value: "" }, "any"),
    Object.keys(PLOVER).map(t => { const o = el("option", { value: t }, t); if (t === f.type) o.selected = true; return o; }));
  const bySel = el("select", { name: "by" }, ["day", "week", "month", "year"].map(b => {
    const o = el("option", { value: b }, b); if (b === f.by) o.selected = true; return o; }));
  const form = el("form", { class: "filters", id: "filters" },
    inp("since", "Since", "YYYY-MM-DD"), inp("until", "Until", "YYYY-MM-DD"),
    el("label", {}, "Type", typeSel), inp("country", "Country (ISO3)", "AZE"),
    withBy ? el("label", {}, "Per", bySel) : null,
    el("button", { type: "submit" }, "Apply"));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    location.hash = withQuery("#/", data);
  });
  return form;
}

function dyadTable(dyads) {
  if (!dyads.length) return el("p", { class: "muted" }, "No country pairs.");
  return el("table", { id: "dyads-table" },
    el("thead", {}, el("tr", {}, el("th", {}, "Dyad"), el("th", { class: "num" }, "Events"),
      QUADS.map(q => el("th", { class: "num", title: QUAD_LABEL[q] }, QUAD_LABEL[q].replace(/ .*/, "") + " " + (q.includes("coop") ? "coop." : "confl."))),
      el("th", { class: "num" }, "Mean score"))),
    el("tbody", {}, dyads.map(d => el("tr", {},
      el("td", {}, el("a", { href: route("dyad", d.a, d.b), class: "dyad-link" }, `${d.a}–${d.b}`)),
      el("td", { class: "num" }, d.events),
      QUADS.map(q => el("td", { class: "num" }, d.quads[q])),
      el("td", { class: "num" }, d.mean_score === null ? "–" : d.mean_score.toFixed(2))))));
}

function actorTable(actors) {
  if (!actors.length) return el("p", { class: "muted" }, "No actors.");
  return el("table", { id: "actors-table" },
    el("thead", {}, el("tr", {}, ["Actor", "Country", "Sector"].map(h => el("th", {}, h)),
      ["Events", "as actor", "as recipient"].map(h => el("th", { class: "num" }, h)))),
    el("tbody", {}, actors.map(a => el("tr", {},
      el("td", {}, a.name || "(unnamed)"),
      el("td", {}, a.country ? el("a", { href: withQuery("#/", { country: a.country }) }, a.country) : ""),
      el("td", {}, a.sector || ""),
      el("td", { class: "num" }, a.events), el("td", { class: "num" }, a.as_actor),
      el("td", { class: "num" }, a.as_recipient)))));
}

async function dyadPage(a, b, params) {
  const by = params.get("by") || "month";
  const [chartDiv, canvas] = chartBox("dyad-chart");
  const list = el("div", {}, el("p", { class: "muted" }, "Loading…"));
  const summary = el("div", { class: "card", id: "dyad-summary" });
  const bySel = el("select", { id: "dyad-by" }, ["day", "week", "month", "year"].map(x => {
    const o = el("option", { value: x }, x); if (x === by) o.selected = true; return o; }));
  bySel.addEventListener("change", () => { location.hash = withQuery(route("dyad", a, b), { by: bySel.value }); });
  mount(el("h1", {}, `Dyad ${a}–${b}`), el("p", {}, el("a", { href: route("dyad", b, a) }, "swap"), " · per ", bySel),
        summary, el("div", { class: "card" }, chartDiv), el("h2", {}, "Events"), list);
  try {
    const dyad = `${a},${b}`;
    const [tl, evs, dy] = await Promise.all([
      api("/api/timeline", { dyad, by }),
      api("/api/events", { dyad, limit: 500 }),
      api("/api/dyads", { country: a, limit: 500 }),
    ]);
    const row = dy.dyads.find(d => (d.a === a && d.b === b) || (d.a === b && d.b === a));
    summary.replaceChildren(row ? el("dl", { class: "kv" },
      el("dt", {}, "Events"), el("dd", {}, row.events),
      el("dt", {}, "Mean PLOVER score"), el("dd", {}, row.mean_score === null ? "–" : row.mean_score.toFixed(2)),
      QUADS.map(q => [el("dt", {}, QUAD_LABEL[q]), el("dd", {}, row.quads[q])]))
      : el("p", { class: "muted" }, "No events between these countries."));
    scoreChart(canvas, tl, `${a}–${b}: cooperation–conflict score per ${by}`);
    list.replaceChildren(evs.events.length ? eventsTable(evs.events, { id: "dyad-events" })
                                           : el("p", { class: "muted" }, "No events."));
  } catch (e) { list.replaceChildren(errorBox(e.message)); }
}

// spans inside the evidence: [start, end) in code points of the article text
const DATE_RE = /\b(?:(?:on|last|this|next)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tomorrow|tonight)\b(?:,?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2}(?:,\s*\d{4})?)?|\b(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+\d{1,2})?(?:,?\s+\d{4})?\b|\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b/gi;

function findAll(hay, needle) {
  const out = [];
  if (!needle || needle.length < 2) return out;
  const h = hay.toLowerCase(), n = needle.toLowerCase();
  let i = h.indexOf(n);
  while (i >= 0) {
    const before = i === 0 ? " " : h[i - 1], after = h[i + n.length] || " ";
    if (!/\w/.test(before) && !/\w/.test(after)) out.push([i, i + n.length]);
    i = h.indexOf(n, i + 1);
  }
  return out;
}
function nameCandidates(ent) {
  const out = [];
  if (ent.name) {
    out.push(ent.name);
    const parts = ent.name.split(/\s+/);
    if (parts.length > 1) out.push(parts[parts.length - 1]);
  }
  return out;
}
function evidenceSpans(evChars, ev) {
  // evChars: the evidence as an array of code points; returns [s, e, cls] within it
  const evText = evChars.join("");
  // map UTF-16 index of evText to code-point index
  const u16ToCp = []; let cp = 0;
  for (const ch of evChars) { for (let k = 0; k < ch.length; k++) u16ToCp.push(cp); cp++; }
  u16ToCp.push(cp);
  const spans = [];
  const add = (s, e, cls) => spans.push([u16ToCp[s], u16ToCp[e], cls]);
  for (const [role, ents] of [["actor", ev.actor], ["recipient", ev.recipient]]) {
    for (const ent of ents || []) {
      for (const cand of nameCandidates(ent)) {
        const hits = findAll(evText, cand);
        hits.forEach(([s, e]) => add(s, e, "span-" + role));
        if (hits.length) break;
      }
    }
  }
  if (ev.location && ev.location.name) findAll(evText, ev.location.name).forEach(([s, e]) => add(s, e, "span-place"));
  for (const m of evText.matchAll(DATE_RE)) add(m.index, m.index + m[0].length, "span-date");
  spans.sort((x, y) => x[0] - y[0] || (y[1] - y[0]) - (x[1] - x[0]));
  const kept = []; let end = -1;
  for (const s of spans) if (s[0] >= end && s[1] > s[0]) { kept.push(s); end = s[1]; }
  return kept;
}

function highlightedArticle(text, ev) {
  const chars = Array.from(text || "");           // code points, as the store's offsets count
  const s = Math.max(0, Math.min(ev.evidence_start ?? -1, chars.length));
  const e = Math.max(s, Math.min(ev.evidence_end ?? -1, chars.length));
  const box = el("div", { class: "article-text", id: "article-text" });
  if (ev.evidence_start === null || ev.evidence_start === undefined || e <= s) {
    box.appendChild(document.createTextNode(text || ""));
    return box;
  }
  const evChars = chars.slice(s, e);
  const mark = el("mark", { class: "evidence current", id: "evidence" });
  let pos = 0;
  for (const [a, b, cls] of evidenceSpans(evChars, ev)) {
    if (a > pos) mark.appendChild(document.createTextNode(evChars.slice(pos, a).join("")));
    mark.appendChild(el("mark", { class: cls }, evChars.slice(a, b).join("")));
    pos = b;
  }
  if (pos < evChars.length) mark.appendChild(document.createTextNode(evChars.slice(pos).join("")));
  box.append(document.createTextNode(chars.slice(0, s).join("")), mark,
             document.createTextNode(chars.slice(e).join("")));
  return box;
}

async function eventPage(id) {
  mount(el("p", { class: "muted" }, "Loading…"));
  let d, art;
  try {
    d = await api("/api/events/" + encodeURIComponent(id));
    art = await api("/api/articles/" + encodeURIComponent(d.event.article_id));
  } catch (e) { mount(el("h1", {}, "Event"), errorBox(e.message)); return; }
  const ev = d.event;
  const facts = el("dl", { class: "kv", id: "event-facts" },
    el("dt", {}, "Type"), el("dd", {}, typeTag(ev.event_type), ev.mode || "", " ", el("span", { class: "muted" }, QUAD_LABEL[quadOf(ev.event_type)] || "")),
    el("dt", {}, "Actor"), el("dd", {}, entLabel(ev.actor) || "–", " ", countries(ev.actor).join(", ")),
    el("dt", {}, "Recipient"), el("dd", {}, entLabel(ev.recipient) || "–", " ", countries(ev.recipient).join(", ")),
    el("dt", {}, "Date"), el("dd", {}, ev.date || "–"),
    el("dt", {}, "Place"), el("dd", {}, placeLabel(ev.location) || "–"),
    el("dt", {}, "Contexts"), el("dd", {}, (ev.contexts || []).join(", ") || "–"),
    el("dt", {}, "Salience"), el("dd", {}, ev.salience || "–"),
    el("dt", {}, "Article"), el("dd", {}, art.headline || art.doc || "", " ", el("span", { class: "muted" }, [art.source, art.story_date].filter(Boolean).join(", "))));
  const cs = [...new Set([...countries(ev.actor), ...countries(ev.recipient)])];
  const dyadLinks = [];
  for (let i = 0; i < cs.length; i++) for (let j = i + 1; j < cs.length; j++)
    dyadLinks.push(el("a", { href: route("dyad", cs[i], cs[j]) }, `${cs[i]}–${cs[j]}`), " ");
  const legend = el("p", { class: "legend-inline" },
    el("span", {}, el("mark", { class: "evidence current" }, "evidence")),
    el("span", {}, el("mark", { class: "span-actor" }, "actor")),
    el("span", {}, el("mark", { class: "span-recipient" }, "recipient")),
    el("span", {}, el("mark", { class: "span-date" }, "date")),
    el("span", {}, el("mark", { class: "span-place" }, "place")));
  const mentions = el("table", { id: "mentions-table" },
    el("thead", {}, el("tr", {}, ["Mention", "Article", "Date", "Evidence"].map(h => el("th", {}, h)))),
    el("tbody", {}, d.mentions.map(m => el("tr", {},
      el("td", {}, el("a", { href: route("event", m.id) }, m.id === ev.id ? "this" : m.id)),
      el("td", {}, m.headline || m.doc || ""), el("td", {}, m.date || "–"),
      el("td", {}, m.evidence || "")))));
  const others = art.events.filter(x => x.id !== ev.id);
  mount(el("h1", {}, `${ev.event_type}${ev.mode ? " (" + ev.mode + ")" : ""}: ${entLabel(ev.actor)}${ev.recipient && ev.recipient.length ? " → " + entLabel(ev.recipient) : ""}`),
        el("div", { class: "card" }, facts, dyadLinks.length ? el("p", {}, "Dyads: ", dyadLinks) : null),
        el("h2", {}, `Mentions of this event (${d.mentions.length})`), mentions,
        el("h2", {}, "Article"), legend, highlightedArticle(art.text, ev),
        others.length ? [el("h2", {}, "Other events in this article"), eventsTable(others, { id: "article-events" })] : null);
  const mark = document.getElementById("evidence");
  if (mark) mark.scrollIntoView({ block: "center" });
}

async function searchPage(params) {
  const q = params.get("q") || "";
  const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  const limit = 50;
  const input = el("input", { name: "q", value: q, placeholder: "words in the evidence or the article", size: 40 });
  const typeSel = el("select", { name: "type" }, el("option", { value: "" }, "any type"),
    Object.keys(PLOVER).map(t => { const o = el("option", { value: t }, t); if (t === params.get("type")) o.selected = true; return o; }));
  const country = el("input", { name: "country", value: params.get("country") || "", placeholder: "ISO3", size: 5 });
  const form = el("form", { class: "filters", id: "search-form" }, el("label", {}, "Text", input),
    el("label", {}, "Type", typeSel), el("label", {}, "Country", country), el("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    location.hash = withQuery("#/search", Object.fromEntries(new FormData(form).entries()));
  });
  const out = el("div", { id: "search-results" });
  mount(el("h1", {}, "Search"), form, out);
  if (!q && !params.get("type") && !params.get("country")) { out.replaceChildren(el("p", { class: "muted" }, "Type words to search the evidence sentences and article texts.")); return; }
  try {
    const r = await api("/api/events", { q, type: params.get("type"), country: params.get("country"), limit, offset });
    const pager = el("div", { class: "pager" },
      offset > 0 ? el("a", { href: withQuery("#/search", { q, type: params.get("type"), country: params.get("country"), offset: Math.max(0, offset - limit) }) }, "← previous") : null,
      el("span", { class: "muted" }, `${r.total ? offset + 1 : 0}–${offset + r.events.length} of ${r.total}`),
      offset + limit < r.total ? el("a", { href: withQuery("#/search", { q, type: params.get("type"), country: params.get("country"), offset: offset + limit }) }, "next →") : null);
    out.replaceChildren(r.events.length ? eventsTable(r.events, { id: "search-events" }) : el("p", { class: "muted" }, "Nothing found."), pager);
  } catch (e) { out.replaceChildren(errorBox(e.message)); }
}

// ------------------------------------------------------------------ router
async function render() {
  const h = location.hash || "#/";
  const [path, qs] = h.slice(1).split("?");
  const params = new URLSearchParams(qs || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === "dyad" && parts.length === 3) return await dyadPage(parts[1].toUpperCase(), parts[2].toUpperCase(), params);
    if (parts[0] === "event" && parts.length === 2) return await eventPage(parts[1]);
    if (parts[0] === "search") return await searchPage(params);
    return await overview(params);
  } catch (e) { mount(errorBox(e.message)); }
  finally { document.body.dataset.ready = h; }
}

async function start() {
  try { PLOVER = (await api("/api/stats")).plover || {}; } catch (e) { PLOVER = {}; }
  document.getElementById("quick-search").addEventListener("submit", ev => {
    ev.preventDefault();
    location.hash = withQuery("#/search", { q: document.getElementById("quick-q").value });
  });
  window.addEventListener("hashchange", render);
  render();
}
document.addEventListener("DOMContentLoaded", start);
