// The phone's copy of the technician's world, in IndexedDB: who signed in last, the last bundle
// from the server, drafts of half-typed steps, and the view every screen is drawn from — each job
// as the server last sent it with the outbox's waiting actions applied on top.
import { changed } from "./changes.js";
import { get, put, remove, tx } from "./db.js";
import { applyWaiting } from "./optimistic.js";

// The session as last seen online: lets a reload with no signal carry on as the same technician.
export const savedSession = () => get("meta", "session");
export const saveSession = (session) => put("meta", session, "session");
export const forgetSession = () => remove("meta", "session");

export async function bundleFor(userId) {
  const bundle = await get("bundle", "current");
  return bundle && bundle.user_id === userId ? bundle : null;
}

export async function saveBundle(userId, etag, data) {
  await put("bundle", { user_id: userId, etag, data, saved_at: new Date().toISOString() }, "current");
  changed("bundle");
}

// The server's answer to one action carries the order as it is now: it replaces ours. (An answer
// without the visit — an older server — keeps the visit we had rather than losing it.)
export function replaceJob(bundle, job) {
  const jobs = bundle.data.jobs;
  const index = jobs.findIndex((j) => j.id === job.id);
  if (index >= 0 && !("visit" in job)) job.visit = jobs[index].visit;
  if (index >= 0) jobs[index] = job;
  else jobs.push(job);
}

export async function markSynced() {
  await put("meta", new Date().toISOString(), "last_sync");
  changed("sync");
}

// Half-typed text of a step (note, diagnosis…): kept so a reload or a locked phone loses nothing.
export const loadDraft = (key) => get("meta", `draft:${key}`);
export const saveDraft = (key, draft) => put("meta", draft, `draft:${key}`);
export const clearDraft = (key) => remove("meta", `draft:${key}`);

// Everything the screens show, read in one transaction so it is consistent.
export async function view(user) {
  const raw = await tx(["bundle", "outbox", "refused", "blobs", "meta"], "readonly", async (s) => {
    const mine = (items) => items.filter((item) => item.user_id === user.id);
    const waiting = mine(await s.outbox.all("seq"));
    const refused = mine(await s.refused.all("seq"));
    const blobs = new Map();
    for (const item of [...waiting, ...refused]) {
      if (item.type === "photo") blobs.set(item.client_uuid, await s.blobs.get(item.client_uuid));
    }
    return { bundle: await s.bundle.get("current"), waiting, refused, blobs, lastSync: await s.meta.get("last_sync") };
  });
  const bundle = raw.bundle?.user_id === user.id ? raw.bundle : null;
  const checklist = bundle?.data.checklist || null;
  const materials = vanAfter(bundle?.data.materials || [], raw.waiting);
  const jobs = bundle ? bundle.data.jobs.map((job) => {
    const local = applyWaiting(job, raw.waiting.filter((item) => item.work_order_id === job.id),
      { checklist, user, blobs: raw.blobs, materials });
    local.refused = raw.refused.filter((item) => item.work_order_id === job.id);
    return local;
  }) : null;
  return { jobs, checklist, materials, slipTerms: bundle?.data.slip_terms || null, waiting: raw.waiting, refused: raw.refused,
    blobs: raw.blobs, lastSync: raw.lastSync || null, bundleSavedAt: bundle?.saved_at || null };
}

// The van as the books will have it once the waiting materials arrive (each taken off once).
function vanAfter(materials, waiting) {
  const used = new Map();
  for (const item of waiting) {
    if (item.type !== "material") continue;
    used.set(item.payload.material_id, (used.get(item.payload.material_id) || 0) + item.payload.quantity_centi);
  }
  return materials.map((m) => ({ ...m, on_hand_centi: m.on_hand_centi - (used.get(m.material_id) || 0) }));
}

// For the status line, cheaper than a whole view. userId null: everyone's (the sign-in screen).
export async function counts(userId) {
  const mine = (item) => userId === null || item.user_id === userId;
  return tx(["outbox", "refused", "meta"], "readonly", async (s) => ({
    waiting: (await s.outbox.all()).filter(mine).length,
    refused: (await s.refused.all()).filter((item) => mine(item) && !item.acknowledged).length,
    lastSync: (await s.meta.get("last_sync")) || null,
  }));
}
