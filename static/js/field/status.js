// The one quiet place that tells the technician the state of the phone's data.
// For now only the network; the next issue adds the outbox ("待上传 2 项") and last sync here.

function paint(line, online) {
  line.textContent = online ? "在线" : "离线 — 数据可能不是最新";
  line.classList.toggle("status-line--offline", !online);
  line.dataset.online = String(online);
}

export function startStatusLine(line) {
  const update = () => paint(line, navigator.onLine);
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
}
