// Live performance dashboard: polls the monitoring endpoints every 2 s with the key typed by the user.
// The key stays in sessionStorage (this tab only); a key passed as #key=... is moved there and removed from the URL.
"use strict";

const API = "/api/v1/performance";
const POLL_MS = 2000;
const STORE = "mp-dashboard-key";
let timer = null;

function $(id) { return document.getElementById(id); }

function takeKeyFromFragment() {
  const match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(STORE, decodeURIComponent(match[1]));
  history.replaceState(null, "", location.pathname + location.search);
}

async function getJSON(path) {
  const response = await fetch(API + path, { headers: { "X-API-Key": sessionStorage.getItem(STORE) || "" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const message = body.error ? body.error.message : response.statusText;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

const fmt = {
  ms(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    const ms = seconds * 1000;
    return ms >= 100 ? ms.toFixed(0) + " ms" : ms >= 1 ? ms.toFixed(1) + " ms" : ms.toFixed(3) + " ms";
  },
  pct(ratio, digits = 1) { return ratio === null || ratio === undefined ? "–" : (ratio * 100).toFixed(digits) + " %"; },
  num(value, digits = 0) { return value === null || value === undefined ? "–" : Number(value).toFixed(digits); },
  time(iso) { return new Date(iso).toLocaleTimeString(); },
  uptime(seconds) {
    const s = Math.floor(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h ? `${h} h ${m} min` : m ? `${m} min ${s % 60} s` : `${s} s`;
  },
};

function text(id, value) { $(id).textContent = value; }

function renderSummary(s) {
  text("rps", fmt.num(s.rps_1m, 1));
  text("rps5", fmt.num(s.rps_5m, 1));
  text("p50", fmt.ms(s.response_time.p50));
  text("p95", fmt.ms(s.response_time.p95));
  text("p99", fmt.ms(s.response_time.p99));
  text("max", fmt.ms(s.response_time.max));
  text("error-rate", fmt.pct(s.error_rate, 2));
  text("errors", s.server_errors_total);
  text("total", s.requests_total);
  text("in-flight", s.in_flight);
  text("peak", s.peak_in_flight);
  text("clients", s.active_clients_5m);
  text("cpu", fmt.num(s.cpu_percent, 1) + " %");
  text("memory", fmt.num(s.memory_mb, 0) + " MB");
  text("memory-percent", fmt.num(s.memory_percent, 1) + " %");
  text("memory-limit", `${fmt.num(s.memory_limit_mb, 0)} MB (${s.memory_limit_source})`);
  text("cache", fmt.pct(s.cache_hit_rate));
  text("pool", s.db_pool_in_use === null ? "n/a" : s.db_pool_in_use);
  text("uptime", fmt.uptime(s.uptime_seconds));
  text("updated", "updated " + new Date().toLocaleTimeString());
}

function row(tbody, cells, className) {
  const tr = document.createElement("tr");
  if (className) tr.className = className;
  for (const cell of cells) {
    const td = document.createElement("td");
    td.textContent = cell;
    tr.appendChild(td);
  }
  tbody.appendChild(tr);
}

function fillTable(id, rows, toCells, empty) {
  const tbody = $(id).querySelector("tbody");
  tbody.replaceChildren();
  if (!rows.length) {
    row(tbody, [empty], "empty");
    return;
  }
  for (const item of rows) row(tbody, toCells(item));
}

function renderAlerts(data) {
  const list = $("alerts");
  list.replaceChildren();
  for (const alert of data.alerts) {
    const li = document.createElement("li");
    li.className = "alert " + alert.state;
    const value = alert.value === null ? "no data" : Number(alert.value).toPrecision(3);
    li.textContent = `${alert.name}: ${alert.state} since ${fmt.time(alert.since)} — ${alert.summary} (now ${value})`;
    list.appendChild(li);
  }
}

function drawChart(canvas, series, labels, floor = 1) {
  const ctx = canvas.getContext("2d");
  const width = canvas.width, height = canvas.height, pad = 34;
  ctx.clearRect(0, 0, width, height);
  const values = series.flatMap((s) => s.values);
  // an idle series still gets a readable axis: the scale never shrinks below `floor`
  const top = Math.max(floor, ...values) * 1.15;
  ctx.strokeStyle = "#d0d7de";
  ctx.fillStyle = "#57606a";
  ctx.font = "11px system-ui, sans-serif";
  for (let i = 0; i <= 2; i++) {
    const y = pad / 2 + ((height - pad) * i) / 2;
    ctx.beginPath(); ctx.moveTo(pad, y); ctx.lineTo(width - 6, y); ctx.stroke();
    ctx.fillText(Number((top * (2 - i)) / 2).toPrecision(2), 2, y + 4);
  }
  if (labels.length) {
    ctx.fillText(labels[0], pad, height - 4);
    ctx.fillText(labels[labels.length - 1], width - 60, height - 4);
  }
  for (const s of series) {
    const n = s.values.length;
    if (!n) continue;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    s.values.forEach((v, i) => {
      const x = pad + (n === 1 ? 0 : ((width - pad - 6) * i) / (n - 1));
      const y = pad / 2 + (height - pad) * (1 - v / top);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    if (n === 1) ctx.arc(pad, pad / 2 + (height - pad) * (1 - s.values[0] / top), 3, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

function renderHistory(data) {
  const points = data.points;
  const labels = points.map((p) => new Date(p.start).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  drawChart($("chart-rps"), [{ values: points.map((p) => p.rps), color: "#0969da" }], labels);
  drawChart($("chart-latency"), [
    { values: points.map((p) => p.p50 * 1000), color: "#1a7f37" },
    { values: points.map((p) => p.p95 * 1000), color: "#bf8700" },
    { values: points.map((p) => p.p99 * 1000), color: "#cf222e" },
  ], labels);
  drawChart($("chart-errors"), [{ values: points.map((p) => p.error_rate * 100), color: "#cf222e" }], labels);
  drawChart($("chart-cpu"), [{ values: points.map((p) => p.cpu_percent), color: "#8250df" }], labels);
  drawChart($("chart-memory"), [{ values: points.map((p) => p.memory_mb), color: "#0969da" }], labels, 64);
}

async function refresh() {
  try {
    const [summary, endpoints, slow, failed, alerts, history] = await Promise.all([
      getJSON("/summary"),
      getJSON("/endpoints?sort=requests&order=desc"),
      getJSON("/slow-requests?threshold=0&limit=10"),
      getJSON("/error-requests?limit=10"),
      getJSON("/alerts"),
      getJSON("/history?window=1h"),
    ]);
    renderSummary(summary);
    renderAlerts(alerts);
    renderHistory(history);
    fillTable("endpoints", endpoints.endpoints.slice(0, 20), (e) => [
      e.method, e.endpoint, e.requests, e.client_errors, e.server_errors,
      fmt.ms(e.response_time.mean), fmt.ms(e.response_time.p95), fmt.ms(e.response_time.p99), fmt.ms(e.response_time.max),
    ], "no requests yet");
    fillTable("slow", slow.requests, (r) => [fmt.time(r.timestamp), `${r.method} ${r.endpoint}`, r.status_code, fmt.ms(r.response_time)], "none");
    fillTable("failed", failed.requests, (r) => [fmt.time(r.timestamp), `${r.method} ${r.endpoint}`, r.status_code, r.user_id || r.ip_address || "–"], "none");
    text("status", alerts.firing.length ? `Firing: ${alerts.firing.join(", ")}` : "Live · no alert firing");
    document.body.dataset.state = "live";
  } catch (error) {
    text("status", error.status === 401 ? "That key was refused: enter a valid API key." : `Cannot load the figures: ${error.message}`);
    document.body.dataset.state = error.status === 401 ? "locked" : "error";
    if (error.status === 401) stop();
  }
}

function stop() { if (timer !== null) { clearInterval(timer); timer = null; } }

function start() {
  stop();
  refresh();
  timer = setInterval(refresh, POLL_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  takeKeyFromFragment();
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(STORE, $("key").value.trim());
    $("key").value = "";
    start();
  });
  if (sessionStorage.getItem(STORE)) start();
});
