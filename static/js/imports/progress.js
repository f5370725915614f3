// The import's progress bar: ask the server once a second how far the job is, and open the result when
// it is done. The job runs on the server; this page may be reloaded or left at any time.
const panel = document.getElementById("import-progress");

async function poll() {
  let data;
  try {
    const response = await fetch(panel.dataset.statusUrl, { headers: { Accept: "application/json" } });
    data = await response.json();
  } catch {
    setTimeout(poll, 3000); // no answer (a restart, the network): try again
    return;
  }
  if (data.status !== panel.dataset.status || data.stalled) {
    location.reload();
    return;
  }
  const bar = document.getElementById("import-bar");
  const percent = document.getElementById("import-percent");
  if (bar) bar.value = data.progress;
  if (percent) percent.textContent = `${Math.floor(data.progress / 10)}%`;
  setTimeout(poll, 1000);
}

if (panel && document.getElementById("import-bar")) setTimeout(poll, 1000);
