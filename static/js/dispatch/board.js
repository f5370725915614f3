// The dispatch board: live countdowns, filters that apply on change, and a quiet refresh.
import { startCountdowns } from "../clocks/countdown.js";
import "../work_orders/rows.js";

const REFRESH_MS = 60_000;

startCountdowns(document);

const filters = document.querySelector("form[data-autosubmit]");
filters?.addEventListener("change", () => filters.requestSubmit());

// Reload for new orders, but never while the dispatcher is using the filters.
setInterval(() => {
  if (!filters?.contains(document.activeElement)) window.location.reload();
}, REFRESH_MS);
