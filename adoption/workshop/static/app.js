"use strict";
// The workshop page: plain JavaScript, no library, nothing fetched from elsewhere.
const session = sessionStorage.getItem("workshop-session") ||
  (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
sessionStorage.setItem("workshop-session", session);
const token = new URLSearchParams(location.search).get("token");
const $ = (id) => document.getElementById(id);
let state = null, initial = {}, planEdits = {}, polling = null, livePlaying = null;

async function api(path, options = {}) {
  const headers = { "x-session": session, ...(options.headers || {}) };
  if (token) headers["x-token"] = token;
  const response = await fetch(path, { ...options, headers });
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(body.error || body);
  return body;
}
const post = (path, data) => api(path, {
  method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });

function renderLevers() {
  const box = $("levers");
  box.innerHTML = "";
  for (const group of state.groups) {
    const section = document.createElement("details");
    section.className = "group";
    section.dataset.group = group;
    section.innerHTML = `<summary>${group}</summary>`;
    for (const lever of state.levers.filter((l) => l.group === group)) {
      const div = document.createElement("div");
      div.className = "lever";
      div.dataset.path = lever.path;
      const range = lever.kind === "number" || lever.kind === "integer"
        ? `range ${lever.minimum ?? "…"} to ${lever.maximum ?? "…"}` : "";
      let input;
      if (lever.kind === "boolean") {
        input = `<input type="checkbox" ${lever.value ? "checked" : ""}>`;
      } else if (lever.kind === "choice") {
        input = `<select>${lever.choices.map((c) =>
          `<option ${c === lever.value ? "selected" : ""}>${c}</option>`).join("")}</select>`;
      } else {
        const step = lever.kind === "integer" ? 1 : "any";
        input = `<input type="number" step="${step}" value="${lever.value ?? ""}"` +
          (lever.minimum !== null ? ` min="${lever.minimum}"` : "") +
          (lever.maximum !== null ? ` max="${lever.maximum}"` : "") + ">";
      }
      div.innerHTML = `<label>${lever.path.split(".").slice(1).join(".") || lever.path}` +
        ` ${input} <span class="unit">${lever.unit}</span></label>` +
        `<small>${lever.description}${range ? " (" + range + ")" : ""}</small>`;
      const control = div.querySelector("input,select");
      control.setAttribute("aria-label", lever.path);
      control.addEventListener("change", sendLevers);
      section.appendChild(div);
    }
    box.appendChild(section);
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
  $("plans").innerHTML = names.map((name) =>
    `<label title="${state.descriptions[name] || ""}"><input type="checkbox" name="plan" value="${name}"` +
    `${chosen.includes(name) ? " checked" : ""}> ${name}</label>`).join("");
  for (const select of [$("plan-editor-choice"), $("live-plan")]) {
    select.innerHTML = names.map((n) => `<option>${n}</option>`).join("");
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

function download(name, text, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function showViews(views) {
  $("results").hidden = false;
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
    const result = await api(path, {
      method: "POST", body: await file.arrayBuffer(),
      headers: { "x-filename": file.name.replace(/[^\w .-]/g, "_") } });
    return result;
  } catch (e) { $("load-error").textContent = e.message; return null; }
}

async function live(path, data) {
  const payload = await post(path, data);
  $("live-day").textContent = `${payload.plan}: day ${payload.day} of ${payload.horizon}`;
  $("live-counts").innerHTML = "<table><tr>" + Object.keys(payload.counts).map((k) => `<th>${k}</th>`).join("") +
    "</tr><tr>" + Object.values(payload.counts).map((v) => `<td>${v}</td>`).join("") + "</tr></table>";
  $("live-regions").innerHTML = "<h3>Active by region</h3>" + payload.regions;
  $("live-events").innerHTML = "<h3>Latest events</h3>" + payload.events;
  if (payload.network) $("live-network-view").innerHTML = payload.network;
  return payload;
}

document.addEventListener("DOMContentLoaded", () => {
  loadState().catch((e) => { $("lever-error").textContent = e.message; });
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
      $("gates").innerHTML = details.gates;
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
    await live("/api/live/start", { plan: $("live-plan").value });
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
    frame();
  });
  $("live-pause").addEventListener("click", () => { livePlaying = null; });
  // a closed tab cancels its runs at once (and a silent one is cancelled within 20 s)
  addEventListener("pagehide", () => {
    const url = "/api/cancel?session=" + session + (token ? "&token=" + token : "");
    navigator.sendBeacon(url);
  });
});
