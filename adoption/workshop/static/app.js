"use strict";
// The workshop page: plain JavaScript, no library, nothing fetched from elsewhere.
// Text from the scenario, files or the server is only ever shown as text (textContent,
// DOM nodes); the HTML the server sends (tables, figures, the verdict) is escaped there,
// and the Content-Security-Policy lets no inline script run whatever a page holds.
const token = new URLSearchParams(location.search).get("token");
const $ = (id) => document.getElementById(id);
let state = null, initial = {}, planEdits = {}, polling = null, livePlaying = null;
let tab = JSON.parse(sessionStorage.getItem("workshop-tab") || "null");  // {session, csrf}

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

async function newSession() {
  tab = null;
  tab = await post("/api/session", {});
  sessionStorage.setItem("workshop-tab", JSON.stringify(tab));
}

function leverControl(lever) {
  if (lever.kind === "boolean") return el("input", { type: "checkbox", checked: Boolean(lever.value) });
  if (lever.kind === "choice") {
    return el("select", {}, lever.choices.map((c) =>
      el("option", { value: String(c), selected: c === lever.value }, String(c))));
  }
  const input = el("input", { type: "number", step: lever.kind === "integer" ? "1" : "any" });
  input.value = lever.value ?? "";
  if (lever.minimum !== null) input.min = lever.minimum;
  if (lever.maximum !== null) input.max = lever.maximum;
  return input;
}

function renderLevers() {
  const box = $("levers");
  box.replaceChildren();
  for (const group of state.groups) {
    const section = el("details", { className: "group", dataset: { group } }, el("summary", {}, group));
    for (const lever of state.levers.filter((l) => l.group === group)) {
      const range = lever.kind === "number" || lever.kind === "integer"
        ? `range ${lever.minimum ?? "…"} to ${lever.maximum ?? "…"}` : "";
      const control = leverControl(lever);
      control.setAttribute("aria-label", lever.path);
      control.addEventListener("change", sendLevers);
      const name = lever.path.split(".").slice(1).join(".") || lever.path;
      section.append(el("div", { className: "lever", dataset: { path: lever.path } },
        el("label", {}, name, " ", control, " ", el("span", { className: "unit" }, lever.unit)),
        el("small", {}, lever.description + (range ? ` (${range})` : ""))));
    }
    box.append(section);
  }
}

function leverValue(div) {
  const control = div.querySelector("input,select");
  if (control.type === "checkbox") return control.checked;
  if (control.type === "number") return control.value === "" ? null : Number(control.value);
  return control.value;
}

function overrides() {
  const result = {};
  for (const div of document.querySelectorAll(".lever")) {
    const value = leverValue(div);
    const changed = JSON.stringify(value) !== JSON.stringify(initial[div.dataset.path]);
    div.classList.toggle("changed", changed);
    if (changed) result[div.dataset.path] = value;
  }
  return result;
}

async function sendLevers() {
  try {
    await post("/api/scenario", { overrides: overrides(), plans: planEdits });
    $("lever-error").textContent = "";
    return true;
  } catch (e) {
    $("lever-error").textContent = e.message;
    return false;
  }
}

function renderPlans() {
  const names = Object.keys(state.plans);
  const previously = [...document.querySelectorAll("input[name=plan]:checked")].map((c) => c.value);
  const chosen = previously.length ? previously : names.slice(0, 3);
  $("plans").replaceChildren(...names.map((name) =>
    el("label", { title: state.descriptions[name] || "" },
      el("input", { type: "checkbox", name: "plan", value: name, checked: chosen.includes(name) }),
      " ", name)));
  for (const select of [$("plan-editor-choice"), $("live-plan")]) {
    select.replaceChildren(...names.map((n) => el("option", { value: n }, n)));
  }
  showPlan();
}

function showPlan() {
  const name = $("plan-editor-choice").value;
  $("plan-editor").value = JSON.stringify(planEdits[name] || state.plans[name], null, 2);
}

async function loadState() {
  state = await api("/api/state");
  initial = Object.fromEntries(state.levers.map((l) => [l.path, l.value]));
  $("scenario-name").textContent = `scenario: ${state.scenario}` +
    (state.org_chart ? ` · org chart ${state.org_chart.split("/").pop()}` : "") +
    ` · ${state.workers} worker processes`;
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

function showViews(views) {
  $("results").hidden = false;
  // server-made HTML: tables and SVG figures escaped there, no script allowed here
  for (const key of ["curves", "money", "outcomes", "ranking", "causes", "decisions"]) {
    $(key).innerHTML = views[key];
  }
  $("verdict").innerHTML = views.verdict;
  $("breakeven").textContent = "Break-even day: " + Object.entries(views.breakeven)
    .map(([plan, day]) => `${plan} ${day === null ? "not within the horizon" : "day " + day}`).join("; ");
  $("pinned-box").hidden = !views.pinned_difference;
  $("pinned").innerHTML = views.pinned_difference || "";
}

async function poll() {
  const job = await api("/api/job");
  if (job.state === "none") return;
  $("progress").max = job.total;
  $("progress").value = job.done;
  const behind = job.queued_behind ? `, ${job.queued_behind} ahead in the queue` : "";
  $("progress-text").textContent = `${job.done}/${job.total} runs · ${job.state}${behind}` +
    (job.failed ? ` · ${job.failed} failed` : "") + (job.error ? ` · ${job.error}` : "") +
    (job.elapsed_s ? ` · ${job.elapsed_s.toFixed(1)} s` : "");
  $("status").textContent = job.state;
  if (job.views) showViews(job.views);
  const running = job.state === "queued" || job.state === "running";
  $("cancel").disabled = !running;
  $("run").disabled = running;
  if (!running) polling = null;
}

async function run() {
  $("status").textContent = "starting";
  $("run").disabled = true;
  if (!(await sendLevers())) { $("status").textContent = ""; $("run").disabled = false; return; }
  const plans = [...document.querySelectorAll("input[name=plan]:checked")].map((c) => c.value);
  try {
    $("lever-error").textContent = "";
    await post("/api/run", { plans, replications: Number($("replications").value) });
  } catch (e) {
    $("lever-error").textContent = e.message;
    $("status").textContent = "";
    $("run").disabled = false;
    return;
  }
  $("details").hidden = true;
  if (!polling) {
    polling = true;
    // one request at a time: the next asks 500 ms after the last answer
    const loop = async () => {
      try { await poll(); } catch (e) { $("progress-text").textContent = e.message; }
      if (polling) setTimeout(loop, 500);
    };
    loop();
  }
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

function countsTable(counts) {
  return el("table", {},
    el("tr", {}, Object.keys(counts).map((k) => el("th", {}, k))),
    el("tr", {}, Object.values(counts).map((v) => el("td", {}, v))));
}

async function live(path, data) {
  const payload = await post(path, data);
  $("live-day").textContent = `${payload.plan}: day ${payload.day} of ${payload.horizon}`;
  $("live-counts").replaceChildren(countsTable(payload.counts));
  $("live-regions").innerHTML = payload.regions;  // server-escaped tables
  $("live-regions").prepend(el("h3", {}, "Active by region"));
  $("live-events").innerHTML = payload.events;
  $("live-events").prepend(el("h3", {}, "Latest events"));
  if (payload.network) $("live-network-view").innerHTML = payload.network;
  return payload;
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch((e) => { $("lever-error").textContent = e.message; });
  $("lever-filter").addEventListener("input", () => {
    const words = $("lever-filter").value.toLowerCase();
    for (const div of document.querySelectorAll(".lever")) {
      div.hidden = words && !div.textContent.toLowerCase().includes(words);
    }
    for (const group of document.querySelectorAll("details.group")) group.open = Boolean(words);
  });
  $("plan-editor-choice").addEventListener("change", showPlan);
  $("plan-apply").addEventListener("click", async () => {
    try { planEdits[$("plan-editor-choice").value] = JSON.parse($("plan-editor").value); }
    catch (e) { $("lever-error").textContent = "plan: " + e.message; return; }
    await sendLevers();
  });
  $("run").addEventListener("click", run);
  $("cancel").addEventListener("click", async () => { await post("/api/cancel", {}); await poll(); });
  $("pin").addEventListener("click", async () => {
    await post("/api/pin", {});
    $("unpin").hidden = false;
    $("pin").textContent = "Pinned as A (pin again to replace)";
  });
  $("unpin").addEventListener("click", async () => {
    await post("/api/unpin", {});
    $("unpin").hidden = true;
    $("pinned-box").hidden = true;
    $("pin").textContent = "Pin as A";
  });
  $("export-report").addEventListener("click", async () =>
    download("report.html", await api("/api/export/report.html"), "text/html"));
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
    } finally { $("details-button").disabled = false; }
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
    if (!(await sendLevers())) return;
    try {
      await live("/api/live/start", { plan: $("live-plan").value });
    } catch (e) { $("live-day").textContent = e.message; return; }
    for (const id of ["live-play", "live-pause", "live-step", "live-network"]) $(id).disabled = false;
  });
  $("live-step").addEventListener("click", () => live("/api/live/step", { days: 1, network: true }));
  $("live-network").addEventListener("click", () => live("/api/live/step", { days: 0, network: true }));
  $("live-play").addEventListener("click", () => {
    if (livePlaying) return;
    livePlaying = true;
    // five days a frame, the network redrawn each time; one request at a time
    const frame = async () => {
      const shown = await live("/api/live/step", { days: 5, network: true });
      if (livePlaying && shown.day < shown.horizon) setTimeout(frame, 100);
      else livePlaying = null;
    };
    frame().catch((e) => { livePlaying = null; $("live-day").textContent = e.message; });
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
