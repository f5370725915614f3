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

// The oldest items of this technician that go up together (another technician's, on a shared phone, wait
// for them): a photo alone, its bytes being its own request, or the records before the next photo, at most
// RUN_MAX (app/commands/schemas.py BATCH_MAX). [] when there are none.
export const RUN_MAX = 25;
export async function nextRun(userId) {
  const items = (await tx("outbox", "readonly", ({ outbox }) => outbox.all("seq"))).filter((item) => item.user_id === userId);
  if (!items.length || items[0].type === "photo") return items.slice(0, 1);
  const photo = items.findIndex((item) => item.type === "photo");
  return items.slice(0, Math.min(photo === -1 ? items.length : photo, RUN_MAX));
}

export const blobOf = (item) => tx("blobs", "readonly", ({ blobs }) => blobs.get(item.client_uuid));

// The server's answers to a run, in one transaction, so the screen never shows half of it: `sent` items
// ({item, workOrder}: 2xx, first time or replayed) go with their photo, their order replaced by the server's;
// `refused` ones ({item, status, error}: 409/422/404…) are kept with their answer for the technician to see,
// a photo with its blob.
export async function settleRun(sent, refused = []) {
  await tx(["outbox", "blobs", "bundle", "refused"], "readwrite", async (stores) => {
    const current = await stores.bundle.get("current");
    let replaced = false;
    for (const { item, workOrder } of sent) {
      await stores.outbox.delete(item.client_uuid);
      await stores.blobs.delete(item.client_uuid);
      if (workOrder && current?.user_id === item.user_id) {
        replaceJob(current, workOrder);
        replaced = true;
      }
    }
    if (replaced) await stores.bundle.put(current, "current");
    for (const { item, status, error } of refused) {
      await stores.outbox.delete(item.client_uuid);
      await stores.refused.put({ ...item, status, error, refused_at: new Date().toISOString(), acknowledged: false });
    }
  });
  if (sent.length) changed("sent");
  if (refused.length) changed("refused");
}

export const settle = (item, workOrder) => settleRun([{ item, workOrder }]);
export const refuse = (item, status, error) => settleRun([], [{ item, status, error }]);

// "知道了": the banner goes, the record stays on the phone (and on the desk).
export async function acknowledge(clientUuid) {
  await tx("refused", "readwrite", async ({ refused }) => {
    const item = await refused.get(clientUuid);
    if (item) await refused.put({ ...item, acknowledged: true });
  });
  changed("refused");
}
