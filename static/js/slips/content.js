// What a customer signs: the slip's content as one JSON document (docs/slips.md §1) and its SHA-256,
// written byte for byte as the server writes it (app/service_slips/content.py): keys sorted, no
// spaces, UTF-8, non-ASCII characters as themselves. Only integers, strings, booleans and null.
import { inCapitals } from "./money.js";

export const VERSION = 3;

// Python orders keys by code point; JS's default sort compares UTF-16 units (they differ past U+FFFF).
export function byCodePoint(a, b) {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const diff = left[i].codePointAt(0) - right[i].codePointAt(0);
    if (diff) return diff;
  }
  return left.length - right.length;
}

// json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
export function canonical(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  switch (typeof value) {
    case "string": return JSON.stringify(value); // the same escapes as Python's: \" \\ \n \u001f…
    case "boolean": return String(value);
    case "number":
      if (!Number.isSafeInteger(value)) throw new TypeError(`只能是整数:${value}`);
      return String(value);
    case "object":
      return `{${Object.keys(value).sort(byCodePoint)
        .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
    default:
      throw new TypeError(`不能写入服务单:${typeof value}`);
  }
}

// crypto.subtle exists only in a secure context (https, or localhost while testing).
export async function sha256Hex(bytes) {
  if (!crypto.subtle) throw new Error("需要通过 HTTPS 打开才能签署服务单。");
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const digest = (document) => sha256Hex(new TextEncoder().encode(canonical(document)));
export const blobSha256 = async (blob) => sha256Hex(await blob.arrayBuffer());

// Python's str.strip(): the server trims with it, and its whitespace is not quite JS's trim().
const PY_SPACE = "[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, "g");
export const pyStrip = (text) => String(text ?? "").replace(PY_STRIP, "");

// 2026-11-25T06:30:05Z: UTC to the second, the only way a time is written in the document.
export const utcText = (date) => `${date.toISOString().slice(0, 19)}Z`;

// 18.25 °C → 183, half-up from the number as written, like the server's tenths_of: 1.15 * 10 is
// 11.499… in floating point, but the customer saw "1.15".
export function tenthsOf(celsius) {
  const match = String(celsius).match(/^(-?)(\d+)(?:\.(\d+))?$/);
  if (!match) return Math.round(Number(celsius) * 10);
  const [, sign, whole, fraction = ""] = match;
  const tenths = Number(whole) * 10 + Number(fraction[0] || 0) + (Number(fraction[1] || 0) >= 5 ? 1 : 0);
  return sign ? -tenths : tenths;
}

function party(job) {
  const household = job.household;
  return {
    order: { number: job.number, category: job.category, description: job.description },
    customer: { account_number: household.account_number, name: household.name, phone: household.phone,
      address: household.address },
    technician: { name: job.technician?.name ?? null, badge_number: job.technician?.badge_number ?? null },
    branch: job.branch?.name ?? null,
  };
}

const documentLine = ({ price_item_id: _id, ...line }) => line;

// Materials the company bore (公司承担): one entry per material, quantities summed, by code (as the
// server's content.company_material_entries).
export function companyMaterials(materials) {
  const byCode = new Map();
  for (const m of materials || []) {
    const entry = byCode.get(m.code) || { code: m.code, name: m.name, specification: m.specification, unit: m.unit,
      quantity_centi: 0 };
    entry.quantity_centi += m.quantity_centi;
    byCode.set(m.code, entry);
  }
  return [...byCode.keys()].sort(byCodePoint).map((code) => byCode.get(code));
}

function sortedPhotos(photos) {
  const key = (p) => [p.step, p.kind, p.sha256 || ""];
  return photos.map(({ step, kind, sha256 }) => ({ step, kind, sha256 }))
    .sort((a, b) => key(a).reduce((order, part, i) => order || byCodePoint(part, key(b)[i]), 0));
}

// slip: { charged, versionId, lines (priced), afterSales: [{code, name, terms, months}], payment, feedback, clause, signedAt ("…Z"),
//         signatures: {customer, technician} (hex), photos: [{step, kind, sha256}], replaces }
export function buildDocument(job, visit, slip) {
  const repair = visit.repair;
  const lines = slip.charged ? slip.lines.map(documentLine) : [];
  const total = lines.reduce((sum, line) => sum + line.amount_fen, 0);
  return {
    v: VERSION,
    ...party(job),
    repair: { fault_location: repair.fault_location, resolution: repair.resolution,
      diagnosis: pyStrip(repair.diagnosis), result: pyStrip(repair.result) },
    charged: slip.charged,
    price_list_version_id: slip.charged ? slip.versionId : null,
    lines,
    total_fen: total,
    total_in_capitals: inCapitals(total),
    payment: slip.charged ? { method: slip.payment.method, collected_fen: slip.payment.collected_fen }
      : { method: "none", collected_fen: 0 },
    readings: visit.readings.map((r) => ({ room: r.room, tenths: tenthsOf(r.celsius),
      measured_at: utcText(new Date(r.measured_at || r.at)), minimum_tenths: r.minimum_tenths })),
    after_sales: slip.charged ? slip.afterSales || [] : [],
    company_materials: companyMaterials(visit.materials),
    damages: visit.damages.map((d) => pyStrip(d.description)),
    photos: sortedPhotos(slip.photos),
    feedback: { satisfaction: slip.feedback.satisfaction, comment: pyStrip(slip.feedback.comment) },
    clause: slip.clause,
    signed_at: slip.signedAt,
    signatures: { customer: slip.signatures.customer, technician: slip.signatures.technician },
    replaces: slip.replaces ?? null,
  };
}
