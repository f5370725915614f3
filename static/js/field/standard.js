// The room temperature standard (000 七) as the bundle carries it: from day_starts to day_ends (minutes
// after midnight, company time) at least day_min_tenths, at other times at least night_min_tenths. A
// reading taken offline is judged here exactly as the server judges it (app/temperature/standard.py),
// by the phone's clock: the time the customer sees beside it and signs.
import { formatDateTime } from "./format.js";

// A bundle saved from an older server has only min_room_celsius: that minimum all day.
export function standardOf(checklist) {
  if (checklist.room_standard) return checklist.room_standard;
  const tenths = Math.round((checklist.min_room_celsius ?? 18) * 10);
  return { day_starts: 0, day_ends: 1440, day_min_tenths: tenths, night_min_tenths: tenths,
    text: `不低于 ${celsiusText(tenths)}` };
}

// The minimum in tenths of a degree at `iso`, by the company's clock.
export function minimumAt(standard, iso) {
  const [hour, minute] = formatDateTime(iso, standard.time_zone || "Asia/Shanghai").slice(11).split(":").map(Number);
  const at = hour * 60 + minute;
  return standard.day_starts <= at && at < standard.day_ends ? standard.day_min_tenths : standard.night_min_tenths;
}

// 180 → "18 °C", 165 → "16.5 °C" (the server's celsius_text).
export function celsiusText(tenths) {
  const sign = tenths < 0 ? "-" : "";
  const whole = Math.floor(Math.abs(tenths) / 10);
  const tenth = Math.abs(tenths) % 10;
  return `${sign}${whole}${tenth ? `.${tenth}` : ""} °C`;
}

// Each room by its last reading, in the order measured: 17.6 °C and then 18.5 °C after bleeding meets it.
export function flatMeets(readings) {
  const last = new Map();
  for (const reading of readings) last.set(reading.room, reading.below_standard);
  return ![...last.values()].some(Boolean);
}
