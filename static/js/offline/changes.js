// Telling whoever shows the phone's data that it changed: this tab's screens and status line, and
// the technician's other tabs (BroadcastChannel), which read IndexedDB again.
// what: "outbox" (a new action), "sent", "refused", "bundle", "sync" (status only).

const here = new EventTarget();
const channel = "BroadcastChannel" in self ? new BroadcastChannel("shifu-data") : null;

export function changed(what) {
  here.dispatchEvent(new CustomEvent("change", { detail: { what, remote: false } }));
  channel?.postMessage({ what });
}

export function onChange(listener) {
  here.addEventListener("change", (event) => listener(event.detail));
  channel?.addEventListener("message", (event) => listener({ what: event.data.what, remote: true }));
}
