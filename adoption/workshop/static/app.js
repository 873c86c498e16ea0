"use strict";
// The workshop page: plain JavaScript, no library, nothing fetched from elsewhere.
// Text from the scenario, files or the server is only ever shown as text (textContent,
// DOM nodes); the HTML the server sends (tables, figures, the verdict) is escaped there,
// and the Content-Security-Policy lets no inline script run whatever a page holds.
const token = new URLSearchParams(location.search).get("token");
const $ = (id) => document.getElementById(id);
let state = null, initial = {}, planEdits = {}, polling = null, livePlaying = null;
let checkTimer = null, liveLayout = null, liveHistory = [];
let tab = JSON.parse(sessionStorage.getItem("workshop-tab") || "null");  // {session, csrf}
const SHARE = "share (0–1)";
const STATE_COLOURS = {
  no_access: "#d9d9d9", unaware: "#bdbdbd", aware: "#9ecae1", trying: "#fdae6b",
  active: "#31a354", lapsed: "#fd8d3c", abandoned: "#de2d26", rejecting: "#756bb1",
};
const KIND_WORDS = {
  provisional: "Provisional: runs are still arriving", best: "Verdict", tie: "Verdict: a tie",
  "no plan pays": "Verdict: no plan pays", only: "Verdict",
};

// An element with attributes (properties) and children (strings become text nodes).
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (value !== null && value !== undefined) node[key] = value;
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

function banner(message) {
  $("banner").textContent = message;
  $("banner").hidden = !message;
}

class Gone extends Error {}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (tab) { headers["x-session"] = tab.session; headers["x-csrf"] = tab.csrf; }
  if (token) headers["x-token"] = token;
  const response = await fetch(path, { ...options, headers });
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const message = body.error || body;
    if (body.gone) { polling = null; livePlaying = null; banner(message); throw new Gone(message); }
    if (body.token) { polling = null; livePlaying = null; banner(message); }
    throw new Error(message);
  }
  return body;
}
const post = (path, data) => api(path, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });

// A status asked for by the loop and one asked for by a button (Cancel) can cross on a busy
// server: an answer older than one already shown is dropped (null), or a stale "running"
// would stay on screen after the loop that could correct it has stopped.
function newestOnly(path) {
  let asked = 0, shown = 0;
  return async () => {
    const ticket = ++asked;
    const answer = await api(typeof path === "function" ? path() : path);
    if (ticket < shown) return null;
    shown = ticket;
    return answer;
  };
}

async function newSession() {
  tab = null;
  tab = await post("/api/session", {});
  sessionStorage.setItem("workshop-tab", JSON.stringify(tab));
}

// --- units: shares as percentages, money in the workshop's currency -------------------

const isShare = (unit) => unit === SHARE;
const unitWords = (unit) => isShare(unit) ? "%" : (unit || "").replace(/\bmoney\b/, state.currency);
const shown = (unit, value) => value === null || value === undefined || value === "" ? ""
  : isShare(unit) ? Number((value * 100).toFixed(6)) : value;
const stored = (unit, text) => text === "" ? null
  : isShare(unit) ? Number((Number(text) / 100).toFixed(10)) : Number(text);

// An input for a lever or a plan's field; an unset value reads `unset` (a lever left
// unset is sized by the model: "automatic"; a gate criterion left unset is not used).
function control(lever, value, label, unset = "automatic") {
  let input;
  if (lever.kind === "boolean") {
    input = el("input", { type: "checkbox", checked: Boolean(value) });
  } else if (lever.kind === "choice") {
    input = el("select", {}, (value === null ? [el("option", { value: "" }, "—")] : []),
      lever.choices.map((c) => el("option", { value: String(c), selected: c === value }, String(c))));
  } else {
    input = el("input", { type: "number", step: lever.kind === "integer" ? "1" : "any",
      placeholder: value === null ? unset : "" });
    input.value = shown(lever.unit, value);
    const scale = isShare(lever.unit) ? 100 : 1;
    if (lever.minimum !== null) input.min = lever.minimum * scale;
    if (lever.maximum !== null) input.max = lever.maximum * scale;
  }
  input.setAttribute("aria-label", label);
  input.dataset.unit = lever.unit;
  input.dataset.kind = lever.kind;
  return input;
}

function readControl(input) {
  if (input.type === "checkbox") return input.checked;
  if (input.type === "number") return stored(input.dataset.unit, input.value);
  return input.value === "" ? null : input.value;
}

// --- the first screen: question, scenario, target, key levers -------------------------

function leverRow(lever, sentence) {
  const input = control(lever, lever.value, lever.label);
  input.addEventListener("change", sendLevers);
  const range = lever.plausible
    ? ` Plausible: ${shown(lever.unit, lever.plausible[0])} to ${shown(lever.unit, lever.plausible[1])} ${unitWords(lever.unit)}.`
    : "";
  const help = `${lever.description}.${range} Source: ${lever.source}. (${lever.path})`;
  const row = el(sentence ? "p" : "div", { className: "lever", title: help, dataset: { path: lever.path } },
    el("label", {}, lever.label[0].toUpperCase() + lever.label.slice(1), ": ", input, " ",
      el("span", { className: "unit" }, unitWords(lever.unit))));
  if (!sentence) row.append(el("small", {}, lever.description + "." + range));
  return row;
}

function renderLevers() {
  $("key-levers").replaceChildren(...state.levers.filter((l) => l.key).map((l) => leverRow(l, true)));
  const rest = state.levers.filter((l) => !l.key);
  $("all-levers-summary").textContent = `All other levers (${rest.length}), folded: find one by any word`;
  const box = $("levers");
  box.replaceChildren();
  for (const group of state.groups) {
    const members = rest.filter((l) => l.group === group);
    if (!members.length) continue;
    box.append(el("details", { className: "group", dataset: { group } },
      el("summary", {}, `${group} (${members.length})`), members.map((l) => leverRow(l, false))));
  }
}

// The levers a search finds: the server's rule (every word begins a word of the
// lever's label, description, path, group or unit), asked as the room types.
async function filterLevers() {
  const query = $("lever-filter").value;
  const found = new Set((await api("/api/levers?" + new URLSearchParams({ q: query }))).paths);
  if (query !== $("lever-filter").value) return;  // a later search has been typed
  const searching = query.trim().length > 0;
  let shownCount = 0;
  for (const div of $("levers").querySelectorAll(".lever")) {
    div.hidden = searching && !found.has(div.dataset.path);
    if (!div.hidden) shownCount += 1;
  }
  for (const group of $("levers").querySelectorAll("details.group")) {
    group.open = searching && [...group.querySelectorAll(".lever")].some((d) => !d.hidden);
  }
  $("lever-found").textContent = searching ? `${shownCount} lever(s) found` : "";
}

function overrides() {
  const result = {};
  for (const div of document.querySelectorAll(".lever")) {
    const value = readControl(div.querySelector("input,select"));
    const changed = JSON.stringify(value) !== JSON.stringify(initial[div.dataset.path]);
    div.classList.toggle("changed", changed);
    if (changed) result[div.dataset.path] = value;
  }
  return result;
}

async function sendLeversNow() {
  try {
    const answer = await post("/api/scenario", { overrides: overrides(), plans: planEdits });
    $("sentence").textContent = answer.sentence;
    $("lever-error").textContent = "";
    return true;
  } catch (e) {
    $("lever-error").textContent = e.message;
    return false;
  }
}

function renderTarget() {
  const target = state.target;
  $("target-metric").replaceChildren(...state.target_metrics.map((m) =>
    el("option", { value: m.name, selected: m.name === target.metric }, m.label)));
  $("target-comparison").replaceChildren(...Object.entries(state.operators).map(([op, words]) =>
    el("option", { value: op, selected: op === target.comparison }, words)));
  showTargetUnit();
  $("target-value").value = shown(targetUnit(), target.value);
  $("target-words").textContent = `(${state.target_words})`;
}

function targetUnit() {
  const metric = state.target_metrics.find((m) => m.name === $("target-metric").value);
  return metric && metric.unit === "share" ? SHARE : (metric ? metric.unit : "");
}
function showTargetUnit() { $("target-unit").textContent = unitWords(targetUnit()); }

function targetBody() {
  return { metric: $("target-metric").value, comparison: $("target-comparison").value,
    value: stored(targetUnit(), $("target-value").value) ?? 0 };
}

async function sendTargetNow() {
  try {
    const answer = await post("/api/target", targetBody());
    $("target-words").textContent = `(${answer.words})`;
    $("target-error").textContent = "";
    return true;
  } catch (e) { $("target-error").textContent = e.message; return false; }
}

// --- plans: choose one to five, edit waves and gates as forms ---------------------------

function renderPlans() {
  const names = Object.keys(state.plans);
  const previously = [...document.querySelectorAll("input[name=plan]:checked")].map((c) => c.value);
  const chosen = previously.length ? previously : names.slice(0, 3);
  $("plans").replaceChildren(...names.map((name) =>
    el("label", { title: state.descriptions[name] || "" },
      el("input", { type: "checkbox", name: "plan", value: name, checked: chosen.includes(name) }),
      " ", name, el("small", {}, " — " + (state.descriptions[name] || "")))));
  for (const select of [$("plan-editor-choice"), $("live-plan")]) {
    select.replaceChildren(...names.map((n) => el("option", { value: n }, n)));
  }
  renderPlanForm();
}

const planFields = (part) => state.plan_levers.filter((l) => l.path.startsWith(part + "."))
  .map((l) => ({ ...l, name: l.path.split(".")[1] }));
const GATE_MAIN = ["day", "on_fail", "pause_days", "max_pauses"];
const editedPlan = () => {
  const name = $("plan-editor-choice").value;
  if (!planEdits[name]) planEdits[name] = structuredClone(state.plans[name]);
  return planEdits[name];
};

function fieldInput(field, item, label) {
  const input = control(field, item[field.name] ?? null, label, "not used");
  input.addEventListener("input", () => { item[field.name] = readControl(input); checkPlan(); });
  input.addEventListener("change", () => { item[field.name] = readControl(input); checkPlan(); });
  return input;
}

function renderPlanForm() {
  const name = $("plan-editor-choice").value;
  if (!name) return;
  const plan = planEdits[name] || state.plans[name];
  const waveFields = planFields("waves");
  const places = [...state.regions, ...state.departments];
  $("waves-form").replaceChildren(
    el("tr", {}, waveFields.map((f) => el("th", { title: f.description },
      f.unit ? `${f.label} (${unitWords(f.unit)})` : f.label)),
      el("th", {}, "region or department"), el("th", {})),
    ...plan.waves.map((wave, index) => {
      const where = el("select", {}, el("option", { value: "" }, "—"),
        places.map((p) => el("option", { value: p, selected: p === wave.name }, p)));
      where.setAttribute("aria-label", `wave ${index + 1}: region or department`);
      where.addEventListener("change", () => { editedPlan().waves[index].name = where.value || null; checkPlan(); });
      const remove = el("button", {}, "remove");
      remove.addEventListener("click", () => { editedPlan().waves.splice(index, 1); renderPlanForm(); checkPlan(); });
      return el("tr", {}, waveFields.map((f) => el("td", {},
        fieldInput(f, editedRow("waves", index), `wave ${index + 1}: ${f.label}`))), el("td", {}, where), el("td", {}, remove));
    }));
  const gateFields = planFields("gates");
  $("gates-form").replaceChildren(...plan.gates.map((gate, index) => {
    const row = (f) => el("label", { className: "field", title: `${f.description}. Source: ${f.source}.` },
      f.label, ": ", fieldInput(f, editedRow("gates", index), `gate ${index + 1}: ${f.label}`), " ",
      el("span", { className: "unit" }, unitWords(f.unit)));
    const main = gateFields.filter((f) => GATE_MAIN.includes(f.name) || f.label.startsWith("gate criterion"));
    const more = gateFields.filter((f) => !main.includes(f));
    const remove = el("button", {}, "remove this gate");
    remove.addEventListener("click", () => { editedPlan().gates.splice(index, 1); renderPlanForm(); checkPlan(); });
    return el("fieldset", { className: "gate" }, el("legend", {}, `Gate ${index + 1}`), main.map(row),
      el("details", {}, el("summary", {}, "more about how it measures"), more.map(row)), remove);
  }));
}

// the plan as edited; its wave or gate `index` (edits are made on the session's copy)
function editedRow(part, index) { return editedPlan()[part][index]; }

function checkPlan() {
  clearTimeout(checkTimer);
  $("plan-check").textContent = "checking…";
  $("plan-check").className = "note";
  checkTimer = setTimeout(async () => {
    try {
      await post("/api/check", { overrides: overrides(), plans: planEdits });
      $("plan-check").textContent = "✓ the plans are valid";
      $("plan-check").className = "ok";
    } catch (e) {
      $("plan-check").textContent = e.message;
      $("plan-check").className = "error";
    }
  }, 250);
}

async function loadState() {
  state = await api("/api/state");
  initial = Object.fromEntries(state.levers.map((l) => [l.path, l.value]));
  $("scenario-name").textContent = `scenario: ${state.scenario}` +
    (state.org_chart ? ` · org chart ${state.org_chart.split("/").pop()}` : "") +
    ` · ${state.workers} worker processes`;
  $("question").textContent = state.question;
  $("sentence").textContent = state.sentence;
  const glossary = state.glossary;
  $("ranking-title").title = `${glossary.npv} ${glossary.interval}`;
  $("money-caption").title = `${glossary.npv} ${glossary.breakeven}`;
  $("outcomes-caption").title = `${glossary.npv} ${glossary.abandonment} ${glossary.target}`;
  $("causes-title").title = glossary.causes;
  $("decisions-title").title = glossary.decisions;
  $("ab-difference-title").title = `${glossary.paired} ${glossary.interval}`;
  $("headline-sure").title = `${glossary.paired} ${glossary.interval}`;
  $("headline-target").title = glossary.target;
  $("headline-stops").title = glossary.decisions;
  $("headline-title").title = glossary.npv;
  renderTarget();
  renderLevers();
  renderPlans();
}

// On opening: this tab's session if the server still holds it, else a new one (and
// the user is told when the server no longer knows what this tab had set).
async function start() {
  if (tab) {
    try { await loadState(); return; } catch (e) {
      if (!(e instanceof Gone)) throw e;
      banner("The workshop server was restarted (or this tab sat idle too long): what this " +
        "tab had loaded and set is gone, and it starts again from the workshop's scenario.");
    }
  }
  await newSession();
  await loadState();
}

function download(name, text, type) {
  const link = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

// --- results ----------------------------------------------------------------------------

function showHeadline(card) {
  $("headline").className = "card " + card.kind.replace(/ /g, "-");
  $("headline-kind").textContent = KIND_WORDS[card.kind] || card.kind;
  $("headline-title").textContent = card.title;
  $("headline-sure").textContent = card.sure;
  $("headline-target").textContent = card.target;
  $("headline-stops").textContent = card.stops;
  $("headline-runs").textContent = card.runs;
}

function showAB(ab) {
  $("ab-box").hidden = !ab;
  if (!ab) return;
  $("ab-a").textContent = `${ab.a.sentence} ${ab.a.runs}.`;
  $("ab-b").textContent = `${ab.b.sentence} ${ab.b.runs}.`;
  $("ab-changes").replaceChildren(
    el("tr", {}, ["what changed", "A", "B"].map((h) => el("th", {}, h))),
    ...(ab.changes.length ? ab.changes.map((c) => el("tr", { title: c.path },
      el("td", {}, c.label), el("td", {}, c.a), el("td", {}, c.b)))
      : [el("tr", {}, el("td", { colSpan: 3 }, "nothing: A and B are the same scenario"))]));
  $("ab-difference").innerHTML = ab.difference;  // server-escaped table
}

function showViews(views) {
  $("results").hidden = false;
  showHeadline(views.headline);
  // server-made HTML: tables and SVG figures escaped there, no script allowed here
  for (const key of ["curves", "money", "outcomes", "ranking", "causes", "decisions"]) {
    $(key).innerHTML = views[key];
  }
  $("verdict").innerHTML = views.verdict;
  $("breakeven").textContent = "Break-even day: " + Object.entries(views.breakeven)
    .map(([plan, day]) => `${plan} ${day === null ? "not within the horizon" : "day " + day}`).join("; ");
  showAB(views.ab);
}

function showPrevious(job) {
  const viewingPrevious = job.previous && job.shown_job === job.previous.id;
  const cancelledCurrent = job.state === "cancelled" && job.shown_job === job.id;
  $("previous-note").hidden = !job.previous || !(viewingPrevious || cancelledCurrent);
  if ($("previous-note").hidden) return;
  $("previous-text").textContent = viewingPrevious
    ? `Showing the previous comparison (${job.previous.runs}).`
    : `This run was cancelled: partial results (${job.done} of ${job.total} runs). The previous comparison (${job.previous.runs}) is kept.`;
  $("previous-toggle").textContent = viewingPrevious ? "Show the latest run" : "Show the previous comparison";
  $("previous-toggle").dataset.previous = viewingPrevious ? "" : "yes";
}

// What sets the session's state (levers, target) is sent one request after another, each
// reading the form when its turn comes: two in flight could reach the server, and come
// back, in either order, leaving an older value on the server and on the screen.
function oneAtATime(send) {
  let last = Promise.resolve(true);
  return () => (last = last.then(send, send));
}
const sendLevers = oneAtATime(sendLeversNow);
const sendTarget = oneAtATime(sendTargetNow);

// the views on screen, by the server's version of them: the same are not sent again
let viewsVersion = "";
const askJob = newestOnly(() => "/api/job" + (viewsVersion ? `?have=${encodeURIComponent(viewsVersion)}` : ""));

async function poll() {
  const job = await askJob();
  if (job === null || job.state === "none") return;
  $("progress").max = job.total;
  $("progress").value = job.done;
  const behind = job.queued_behind ? `, ${job.queued_behind} ahead in the queue` : "";
  $("progress-text").textContent = `${job.done}/${job.total} runs · ${job.state}${behind}` +
    (job.failed ? ` · ${job.failed} failed` : "") +
    (job.elapsed_s ? ` · ${job.elapsed_s.toFixed(1)} s` : "");
  $("run-error").textContent = job.error || "";
  $("status").textContent = job.state;
  if (job.views) { showViews(job.views); viewsVersion = job.views.version; }
  showPrevious(job);
  const running = job.state === "queued" || job.state === "running";
  $("cancel").disabled = !running;
  $("run").disabled = running;
  if (!running) polling = null;
}

function startPolling() {
  if (polling) return;
  polling = true;
  // one request at a time: the next asks 500 ms after the last answer
  const loop = async () => {
    try { await poll(); } catch (e) { $("run-error").textContent = e.message; }
    if (polling) setTimeout(loop, 500);
  };
  loop();
}

// --- search for a better plan: progress as runs finish, Cancel between runs -------------

let searching = null, searchFound = null;

const askSearch = newestOnly("/api/search");

async function searchPoll() {
  const search = await askSearch();
  if (search === null || search.state === "none") return;
  $("search-progress").max = search.budget;
  $("search-progress").value = search.spent;
  $("search-text").textContent = `${search.spent}/${search.budget} runs · ${search.state}` +
    (search.elapsed_s ? ` · ${search.elapsed_s.toFixed(1)} s` : "");
  $("search-error").textContent = search.error || "";
  const running = search.state === "queued" || search.state === "running";
  $("search-cancel").disabled = !running;
  $("search-start").disabled = running;
  searchFound = search.found;
  $("search-found").hidden = !searchFound;
  if (searchFound) {
    $("search-verdict").textContent = searchFound.verdict;
    $("search-board").replaceChildren(
      el("tr", {}, searchFound.headings.map((h) => el("th", { title: state.glossary[searchFound.titles[h]] || "" }, h))),
      ...searchFound.leaderboard.map((row) => el("tr", {}, row.map((cell) => el("td", {}, cell)))));
  }
  if (!running) searching = null;
}

function startSearchPolling() {
  if (searching) return;
  searching = true;
  const loop = async () => {
    try { await searchPoll(); } catch (e) { $("search-error").textContent = e.message; }
    if (searching) setTimeout(loop, 500);
  };
  loop();
}

async function startSearch() {
  $("search-start").disabled = true;
  $("search-error").textContent = "";
  try {
    if (!(await sendLevers())) throw new Error($("lever-error").textContent);
    await post("/api/search/start", { budget: Number($("search-budget").value) });
  } catch (e) {
    $("search-error").textContent = e.message;
    $("search-start").disabled = false;
    return;
  }
  startSearchPolling();
}

async function adoptSearched() {
  planEdits[searchFound.name] = structuredClone(searchFound.best_plan);
  try {
    await post("/api/scenario", { overrides: overrides(), plans: planEdits });
    await loadState();
  } catch (e) { $("search-error").textContent = e.message; return; }
  const box = document.querySelector(`input[name=plan][value="${searchFound.name}"]`);
  if (box) box.checked = true;
  $("search-error").textContent = `${searchFound.name} added to the plans: tick it and press Run to compare it.`;
}

async function run() {
  $("status").textContent = "starting";
  $("run").disabled = true;
  $("run-error").textContent = "";
  const ready = (await sendLevers()) && (await sendTarget());
  const plans = [...document.querySelectorAll("input[name=plan]:checked")].map((c) => c.value);
  try {
    if (!ready) throw new Error($("lever-error").textContent || $("target-error").textContent);
    await post("/api/run", { plans, replications: Number($("replications").value), target: targetBody() });
  } catch (e) {
    $("run-error").textContent = e.message;
    $("status").textContent = "";
    $("run").disabled = false;
    return;
  }
  $("details").hidden = true;
  startPolling();
}

async function upload(path, file) {
  $("load-error").textContent = "";
  $("load-note").textContent = "";
  try {
    return await api(path, {
      method: "POST", body: await file.arrayBuffer(),
      headers: { "x-filename": file.name.replace(/[^\w .-]/g, "_") } });
  } catch (e) { $("load-error").textContent = e.message; return null; }
}

// --- the live model: data from the server, drawn here -----------------------------------

function drawCurve() {
  const canvas = $("live-curve"), ctx = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, left = 50, bottom = 30;
  ctx.clearRect(0, 0, w, h);
  if (!liveHistory.length) return;
  const last = liveHistory[liveHistory.length - 1];
  const horizon = last.horizon || 1, people = last.people || 1;
  const x = (day) => left + (w - left - 10) * day / horizon;
  const y = (n) => h - bottom - (h - bottom - 10) * n / people;
  ctx.strokeStyle = "#999"; ctx.fillStyle = "#333"; ctx.font = "12px sans-serif";
  ctx.beginPath(); ctx.moveTo(left, 10); ctx.lineTo(left, h - bottom); ctx.lineTo(w - 10, h - bottom); ctx.stroke();
  ctx.fillText("0", left - 12, h - bottom);
  ctx.fillText(`${people.toLocaleString()}`, 2, 16);
  ctx.fillText(`day ${last.day} of ${horizon}`, left, h - 8);
  for (const [name, colour] of Object.entries(STATE_COLOURS)) {
    ctx.strokeStyle = colour; ctx.lineWidth = name === "active" ? 3 : 1.5;
    ctx.beginPath();
    liveHistory.forEach((f, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x(f.day), y(f.counts[name])));
    ctx.stroke();
  }
  ctx.lineWidth = 1;
}

// The curve's legend and today's counts, built once per live model: a row per state
// with its meaning on hover; each frame then only rewrites the numbers (a row rebuilt
// under the pointer would drop its tooltip).
function buildCounts() {
  const header = el("tr", {}, el("th", {}, ""),
    el("th", {}, "state"), el("th", {}, "people"), el("th", { title: "Share of everyone in the organisation." }, "share"));
  const rows = Object.entries(STATE_COLOURS).map(([name, colour]) => {
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = colour;
    return el("tr", { title: state.states[name], dataset: { state: name } },
      el("td", {}, swatch), el("td", {}, name.replace("_", " ")),
      el("td", { className: "count" }, "–"), el("td", { className: "share" }, "–"));
  });
  $("live-counts").replaceChildren(header, ...rows);
}

function showCounts(frame) {
  for (const row of $("live-counts").querySelectorAll("tr[data-state]")) {
    const count = frame.counts[row.dataset.state];
    row.querySelector(".count").textContent = count.toLocaleString();
    row.querySelector(".share").textContent = `${(100 * count / (frame.people || 1)).toFixed(1)}%`;
  }
}

function shareColour(share) {  // grey (nobody active) to green (everyone)
  const mix = (a, b) => Math.round(a + (b - a) * share);
  return `rgb(${mix(220, 49)},${mix(220, 163)},${mix(220, 84)})`;
}

function drawNetwork(frame) {
  const canvas = $("live-network"), ctx = canvas.getContext("2d"), layout = liveLayout;
  const w = canvas.width, h = canvas.height;
  const px = (v) => w / 2 + v * (w / 2 - 40), py = (v) => h / 2 + v * (h / 2 - 40);
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = "rgba(0,0,0,0.08)";
  ctx.beginPath();
  for (const [a, b] of layout.ties) { ctx.moveTo(px(layout.x[a]), py(layout.y[a])); ctx.lineTo(px(layout.x[b]), py(layout.y[b])); }
  ctx.stroke();
  const biggest = Math.max(...layout.size, 1);
  for (let i = 0; i < layout.x.length; i += 1) {
    ctx.fillStyle = shareColour(frame.teams[i]);
    ctx.beginPath();
    ctx.arc(px(layout.x[i]), py(layout.y[i]), 2 + 6 * Math.sqrt(layout.size[i] / biggest), 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.fillStyle = "#333"; ctx.font = "13px sans-serif"; ctx.textAlign = "center";
  for (const d of layout.departments) ctx.fillText(d.name, px(d.x * 1.05), py(d.y * 1.05));
  ctx.textAlign = "start";
}

function showFrame(frame) {
  liveHistory.push({ day: frame.day, counts: frame.counts, horizon: frame.horizon, people: frame.people });
  $("live-day").textContent = `${frame.plan}: day ${frame.day} of ${frame.horizon}`;
  drawCurve();
  showCounts(frame);
  drawNetwork(frame);
  $("live-regions").replaceChildren(el("h3", { title: "Share of each region's people who are active users." }, "Active by region"), el("table", {},
    el("tr", {}, Object.keys(frame.regions).map((r) => el("th", {}, r))),
    el("tr", {}, Object.values(frame.regions).map((v) => el("td", {}, `${(v * 100).toFixed(1)}%`)))));
  $("live-events").replaceChildren(el("h3", {}, "Latest events"), el("table", {},
    el("tr", {}, ["day", "event", "what"].map((t) => el("th", {}, t))),
    frame.events.map(([day, kind, detail]) => el("tr", {},
      el("td", {}, Math.round(day * 10) / 10), el("td", {}, kind), el("td", {}, detail)))));
}

async function liveStep(days) {
  const frame = await post("/api/live/step", { days });
  showFrame(frame);
  return frame;
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch((e) => { $("lever-error").textContent = e.message; });
  $("lever-filter").addEventListener("input", () =>
    filterLevers().catch((e) => { $("lever-found").textContent = e.message; }));
  $("target-metric").addEventListener("change", () => { showTargetUnit(); sendTarget(); });
  $("target-comparison").addEventListener("change", sendTarget);
  $("target-value").addEventListener("change", sendTarget);
  $("plan-editor-choice").addEventListener("change", renderPlanForm);
  $("add-wave").addEventListener("click", () => {
    const waves = editedPlan().waves;
    waves.push({ day: (waves.length ? waves[waves.length - 1].day : 0) + 30, group: "rest", share: null, name: null });
    renderPlanForm(); checkPlan();
  });
  $("add-gate").addEventListener("click", () => {
    const gates = editedPlan().gates;
    gates.push({ day: (gates.length ? gates[gates.length - 1].day : 0) + 60 });
    renderPlanForm(); checkPlan();
  });
  $("run").addEventListener("click", run);
  $("search-start").addEventListener("click", startSearch);
  $("search-cancel").addEventListener("click", async () => { await post("/api/search/cancel", {}); await searchPoll(); });
  $("search-adopt").addEventListener("click", adoptSearched);
  $("cancel").addEventListener("click", async () => { await post("/api/cancel", {}); await poll(); });
  $("previous-toggle").addEventListener("click", async () => {
    await post("/api/show", { previous: Boolean($("previous-toggle").dataset.previous) });
    await poll();
  });
  $("pin").addEventListener("click", async () => {
    try {
      const pinned = await post("/api/pin", {});
      $("unpin").hidden = false;
      $("pin").textContent = `Pinned as A (${pinned.runs}); pin again to replace`;
    } catch (e) { $("run-error").textContent = e.message; }
  });
  $("unpin").addEventListener("click", async () => {
    await post("/api/unpin", {});
    $("unpin").hidden = true;
    $("ab-box").hidden = true;
    $("pin").textContent = "Pin as A";
  });
  $("export-report").addEventListener("click", async () => {
    try { download("report.html", await api("/api/export/report.html"), "text/html"); }
    catch (e) { $("run-error").textContent = e.message; }
  });
  $("export-scenario").addEventListener("click", async () => {
    if (await sendLevers()) download("scenario.yaml", await api("/api/export/scenario.yaml"), "application/yaml");
  });
  $("details-button").addEventListener("click", async () => {
    $("details-button").disabled = true;
    try {
      const details = await api("/api/details");
      $("gates").innerHTML = details.gates;  // server-escaped tables
      $("regions").innerHTML = details.regions;
      $("departments").innerHTML = details.departments;
      $("details").hidden = false;
    } catch (e) { $("run-error").textContent = e.message; }
    finally { $("details-button").disabled = false; }
  });
  $("scenario-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (file && await upload("/api/load/scenario", file)) {
      planEdits = {};
      await loadState();
      $("load-note").textContent = `loaded ${file.name}`;
    }
  });
  $("org-chart-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    const result = file && await upload("/api/load/org-chart", file);
    if (result) {
      $("load-note").textContent = `${file.name}: ${result.people} people`;
      await loadState();
    }
  });
  $("live-start").addEventListener("click", async () => {
    livePlaying = null;
    if (!(await sendLevers())) return;
    try {
      const frame = await post("/api/live/start", { plan: $("live-plan").value });
      liveLayout = frame.layout;
      liveHistory = [];
      buildCounts();
      showFrame(frame);
    } catch (e) { $("live-day").textContent = e.message; return; }
    for (const id of ["live-play", "live-pause", "live-step"]) $(id).disabled = false;
  });
  $("live-step").addEventListener("click", () => liveStep(1).catch((e) => { $("live-day").textContent = e.message; }));
  $("live-play").addEventListener("click", () => {
    if (livePlaying) return;
    livePlaying = true;
    // a day a frame, as fast as the server steps it; one request at a time
    let frames = 0, since = performance.now();
    const frame = async () => {
      const shown = await liveStep(1);
      frames += 1;
      const now = performance.now();
      if (now - since > 1000) {
        $("live-fps").textContent = `${(frames * 1000 / (now - since)).toFixed(1)} frames/s`;
        frames = 0; since = now;
      }
      if (livePlaying && !shown.finished) requestAnimationFrame(() => frame().catch(stop));
      else livePlaying = null;
    };
    const stop = (e) => { livePlaying = null; $("live-day").textContent = e.message; };
    frame().catch(stop);
  });
  $("live-pause").addEventListener("click", () => { livePlaying = null; });
  // a closed tab cancels its runs at once (and a silent one is cancelled within 20 s)
  addEventListener("pagehide", () => {
    if (!tab) return;
    const query = new URLSearchParams({ session: tab.session, csrf: tab.csrf });
    if (token) query.set("token", token);
    navigator.sendBeacon("/api/cancel?" + query);
  });
});
