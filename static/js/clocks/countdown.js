// Live deadlines (时限), shared by the desk's dispatch board and the field app.
// describeDeadline is pure; startCountdowns drives any element carrying data-due="<ISO>".
// Nothing touches the DOM at import time, so both pages (and tests) can import it freely.

// Under this many minutes a running clock turns amber (还剩 8 分钟).
export const SOON_MINUTES = 15;

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STATE_CLASSES = ["countdown--overdue", "countdown--soon", "countdown--ok", "countdown--none"];

// Whole units, largest first, at most two of them: "2 天 3 小时", "1 小时 20 分钟", "12 分钟".
// Rounded down, like a clock face: 29 min 59 s reads "29 分钟".
function span(ms) {
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} 分钟`;
  if (ms < DAY) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return minutes ? `${hours} 小时 ${minutes} 分钟` : `${hours} 小时`;
  }
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  return hours ? `${days} 天 ${hours} 小时` : `${days} 天`;
}

export function describeDeadline(dueIso, nowMs = Date.now()) {
  const due = dueIso ? Date.parse(dueIso) : NaN;
  if (Number.isNaN(due)) return { text: "无时限", state: "none" };
  const left = due - nowMs;
  // "还剩 8 分钟", but "还剩不到 1 分钟": no space before a word, as Chinese is written.
  const words = (prefix, ms) => (ms < MINUTE ? `${prefix}不到 1 分钟` : `${prefix} ${span(ms)}`);
  if (left <= 0) return { text: words("已超时", -left), state: "overdue" };
  const state = left < SOON_MINUTES * MINUTE ? "soon" : "ok";
  return { text: words("还剩", left), state };
}

// Paint one element; only touches the DOM when something changed, so a board of
// a hundred clocks ticking every second stays cheap.
export function paintCountdown(el, nowMs = Date.now()) {
  const { text, state } = describeDeadline(el.dataset.due, nowMs);
  if (el.textContent !== text) el.textContent = text;
  if (el.dataset.state !== state) {
    el.classList.remove(...STATE_CLASSES);
    el.classList.add("countdown", `countdown--${state}`);
    el.dataset.state = state;
  }
}

// How long something has been going on (a technician on site): "已到场 1 小时 20 分钟".
export function describeElapsed(sinceIso, prefix, nowMs = Date.now()) {
  const since = Date.parse(sinceIso);
  if (Number.isNaN(since)) return "";
  const gone = Math.max(0, nowMs - since);
  return gone < MINUTE ? `${prefix}不到 1 分钟` : `${prefix} ${span(gone)}`;
}

export function paintCountdowns(root = document, nowMs = Date.now()) {
  root.querySelectorAll("[data-due]").forEach((el) => paintCountdown(el, nowMs));
  root.querySelectorAll("[data-since]").forEach((el) => {
    const text = describeElapsed(el.dataset.since, el.dataset.sincePrefix || "已过", nowMs);
    if (el.textContent !== text) el.textContent = text;
  });
}

// Queries on every tick rather than once, so elements rendered later are picked up.
// Returns a function that stops the ticking.
export function startCountdowns(root = document, intervalMs = 1000) {
  paintCountdowns(root);
  const timer = setInterval(() => paintCountdowns(root), intervalMs);
  return () => clearInterval(timer);
}
