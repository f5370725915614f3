// Turning a tap into outbox items: written to IndexedDB first (the screen is then repainted from
// the local copy), and sync asked to send them. Also the drafts of half-typed steps, and the guard
// that keeps a gloved double tap from pressing the button that appears under the finger.
import * as outbox from "../offline/outbox.js";
import * as store from "../offline/store.js";
import * as sync from "../offline/sync.js";
import { blobSha256 } from "../slips/content.js";
import { quantityCenti } from "../slips/money.js";
import { downscale } from "./photo.js";

const SETTLE_MS = 500;
let busy = false;

export async function record(user, job, type, payload, blob = null) {
  const item = await outbox.record({ user, job, type, payload, blob });
  sync.kick();
  return item;
}

// One action at a time: a tap while the last one is still being written is ignored.
export async function guarded(work) {
  if (busy) return false;
  busy = true;
  try {
    await work();
    return true;
  } finally {
    busy = false;
  }
}

// The buttons of a screen drawn after a tap sleep for a moment: the second half of a double tap
// lands on a disabled button instead of the next step.
export function settle(root) {
  const buttons = [...root.querySelectorAll(".action-bar button:not(:disabled)")];
  for (const button of buttons) {
    button.disabled = true;
    button.dataset.settling = ""; // looks as it will in a moment: no grey flash on every tap
  }
  setTimeout(() => buttons.forEach((button) => {
    button.disabled = false;
    delete button.dataset.settling;
  }), SETTLE_MS);
}

// ---- drafts: what was typed on a step before it was finished, kept across reloads ----

// One draft object per step, shared by every paint of it (two paints at once must not each load
// their own copy: the screen would check one while the keys fill the other).
const drafts = new Map(); // key → Promise of the draft object
const keyOf = (job, stepCode) => `${job.id}:${stepCode}`;

// Every keystroke and tap is written before the next one, synchronously: a reload, a tab the phone
// reclaims or a flat battery a tenth of a second later keeps it. IndexedDB is asynchronous (a write
// still in flight when the page goes is lost), so the draft is first written to localStorage, which is
// written through at once, and to IndexedDB beside it. Both are shared by the technician's tabs.
const JOURNAL = "shifu-draft:";

function journal(key, draft) {
  try {
    localStorage.setItem(JOURNAL + key, JSON.stringify(draft));
  } catch {
    // storage full or refused (private mode): IndexedDB still has it a moment later
  }
}

function journalled(key) {
  try {
    return JSON.parse(localStorage.getItem(JOURNAL + key) || "null");
  } catch {
    return null;
  }
}

export function draftFor(job, stepCode) {
  const key = keyOf(job, stepCode);
  // The journal is never older than IndexedDB's copy: it is written first, on every change.
  if (!drafts.has(key)) drafts.set(key, store.loadDraft(key).then((saved) => journalled(key) || saved || {}));
  return drafts.get(key);
}

// draft: the object draftFor gave; changed at once (the screen reads it) and written at once.
export function updateDraft(job, stepCode, draft, patch) {
  const key = keyOf(job, stepCode);
  Object.assign(draft, patch);
  journal(key, draft);
  return store.saveDraft(key, draft);
}

export async function dropDraft(job, stepCode) {
  const key = keyOf(job, stepCode);
  drafts.delete(key);
  try {
    localStorage.removeItem(JOURNAL + key);
  } catch {
    // nothing was journalled
  }
  await store.clearDraft(key);
}

// ---- the visit ----

const text = (value) => (value || "").trim();

// 完成此步 / 确认跳过. On 一修 the repair record (and any damage) goes first: the step is the last word.
export async function finishStep(user, job, visit, step, outcome) {
  const draft = await draftFor(job, step.code);
  if (step.code === "repair" && !visit.repair) {
    if (outcome === "done") {
      await record(user, job, "repair", { fault_location: draft.fault_location, resolution: draft.resolution,
        diagnosis: text(draft.diagnosis), result: text(draft.result) });
    }
    if (text(draft.damage)) await record(user, job, "damage", { description: text(draft.damage) });
  }
  const payload = { step: step.code, outcome };
  if (outcome === "skipped") payload.reason = text(draft.reason);
  if (text(draft.note)) payload.note = text(draft.note);
  await record(user, job, "step", payload);
  await dropDraft(job, step.code);
}

// "17,5" or "17.5" → 17.5; one decimal, as the thermometer shows it.
export function parseCelsius(input) {
  const raw = String(input ?? "").replace(",", ".").trim();
  const value = Number(raw);
  if (!raw || !Number.isFinite(value)) return { error: "请填写温度,例如 17.5" };
  if (value < -10 || value > 40) return { error: "温度应在 -10 至 40 °C 之间" };
  return { value: Math.round(value * 10) / 10 };
}

// Returns the words to show when the reading cannot be taken, else records it.
export async function addReading(user, job, room, input) {
  if (!room) return "请先选择房间";
  const { value, error } = parseCelsius(input);
  if (error) return error;
  await record(user, job, "reading", { room, celsius: value });
  updateDraft(job, "repair", await draftFor(job, "repair"), { room: "", celsius: "" });
  return null;
}

// Returns the words to show when the material cannot be recorded, else records it (公司承担). A van
// whose books hold less is no reason to refuse: the part was used; the server flags it.
export async function addMaterial(user, job, materials, materialId, input) {
  const material = materials.find((m) => String(m.material_id) === String(materialId));
  if (!material) return "请先选择材料";
  const centi = quantityCenti(String(input ?? "").replace(",", "."));
  if (centi === null) return "请填写数量,例如 1 或 1.5";
  if (material.whole_units && centi % 100) return `${material.name}按${material.unit}计,数量须为整数`;
  await record(user, job, "material", { material_id: material.material_id, quantity_centi: centi });
  updateDraft(job, "repair", await draftFor(job, "repair"), { material_id: "", material_quantity: "" });
  return null;
}

// The hash of the bytes sent is kept with the item: a signed slip lists every photo by it. (Plain
// http on the LAN has no crypto.subtle: the photo is still taken, the slip will say what is wrong.)
export async function takePhoto(user, job, step, kind, file) {
  const blob = await downscale(file);
  const hash = crypto.subtle ? await blobSha256(blob) : null;
  await record(user, job, "photo", { step: step.code, kind, upload_sha256: hash }, blob);
}
