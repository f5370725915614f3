// The outbox: every action the technician takes, kept in IndexedDB until the server has answered.
// An item is written here before anything is sent, so a dead signal, a reload or a flat battery
// loses nothing; `seq` keeps the order the actions were taken in, across tabs.
import { changed } from "./changes.js";
import { tx } from "./db.js";
import { replaceJob } from "./store.js";

// crypto.randomUUID needs a secure context (https or localhost); a phone testing over the LAN has not.
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// job: the local job; its number and door are kept with the item, to name it if it is ever refused.
export async function record({ user, job, type, payload, blob = null }) {
  const household = job.household;
  const item = {
    client_uuid: uuid(), user_id: user.id, type, work_order_id: job.id, payload,
    device_time: new Date().toISOString(),
    job: { number: job.number, place: `${household.estate} ${household.building}号楼 ${household.unit}单元 ${household.room}室` },
  };
  await tx(["outbox", "blobs", "meta"], "readwrite", async ({ outbox, blobs, meta }) => {
    // The counter lives in the same transaction as the item: two tabs can never take the same number.
    item.seq = ((await meta.get("seq")) || 0) + 1;
    await meta.put(item.seq, "seq");
    await outbox.put(item);
    if (blob) await blobs.put(blob, item.client_uuid);
  });
  changed("outbox");
  return item;
}

// The oldest item of this technician (another technician's, on a shared phone, waits for them).
export async function next(userId) {
  const items = await tx("outbox", "readonly", ({ outbox }) => outbox.all("seq"));
  return items.find((item) => item.user_id === userId) || null;
}

export const blobOf = (item) => tx("blobs", "readonly", ({ blobs }) => blobs.get(item.client_uuid));

// The server has it (2xx, first time or replayed): drop the item and its photo, keep the server's order.
export async function settle(item, workOrder) {
  await tx(["outbox", "blobs", "bundle"], "readwrite", async ({ outbox, blobs, bundle }) => {
    await outbox.delete(item.client_uuid);
    await blobs.delete(item.client_uuid);
    const current = await bundle.get("current");
    if (workOrder && current?.user_id === item.user_id) {
      replaceJob(current, workOrder);
      await bundle.put(current, "current");
    }
  });
  changed("sent");
}

// The server said no (409/422/404…): keep what was captured, with its answer, for the technician to
// see. A refused photo keeps its blob.
export async function refuse(item, status, error) {
  await tx(["outbox", "refused"], "readwrite", async ({ outbox, refused }) => {
    await outbox.delete(item.client_uuid);
    await refused.put({ ...item, status, error, refused_at: new Date().toISOString(), acknowledged: false });
  });
  changed("refused");
}

// "知道了": the banner goes, the record stays on the phone (and on the desk).
export async function acknowledge(clientUuid) {
  await tx("refused", "readwrite", async ({ refused }) => {
    const item = await refused.get(clientUuid);
    if (item) await refused.put({ ...item, acknowledged: true });
  });
  changed("refused");
}
