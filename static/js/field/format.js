// How the field app writes times, addresses and phone numbers (style.md: Chinese conventions).

const formatters = new Map();

function formatterFor(timeZone) {
  if (!formatters.has(timeZone)) {
    formatters.set(timeZone, new Intl.DateTimeFormat("zh-CN", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }));
  }
  return formatters.get(timeZone);
}

// "2026-11-25 14:30" in the company's zone (Beijing), whatever zone the phone is set to.
export function formatDateTime(iso, timeZone = "Asia/Shanghai") {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const part = {};
  for (const { type, value } of formatterFor(timeZone).formatToParts(date)) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

// The part of the address a technician looks for on the stairwell door: 3号楼 2单元 501室.
export function formatDoor(household) {
  return `${household.building}号楼 ${household.unit}单元 ${household.room}室`;
}

// Mobile numbers grouped 3-4-4 so they can be read aloud; landlines are left as written.
export function formatPhone(phone) {
  const digits = (phone || "").replace(/\D/g, "");
  return /^1\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}` : phone || "";
}

export function telHref(phone) {
  return "tel:" + (phone || "").replace(/[^\d+]/g, "");
}

// The running clock behind next_due_at, for its label ("到场" in 到场 还剩 29 分钟).
export function nextClock(job) {
  if (!job.next_due_at) return null;
  const due = Date.parse(job.next_due_at);
  return (job.clocks || []).find((c) => !c.met_at && Date.parse(c.due_at) === due) || null;
}

// "上次同步 14:30" today, "11-24 14:30" before: short enough for the status line.
export function formatTime(iso, timeZone = "Asia/Shanghai") {
  const full = formatDateTime(iso, timeZone);
  if (!full) return "";
  const today = formatDateTime(new Date().toISOString(), timeZone).slice(0, 10);
  return full.startsWith(today) ? full.slice(11) : full.slice(5);
}
