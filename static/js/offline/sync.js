// Sends the outbox to the server, oldest first and one at a time, then pulls the bundle (and the
// price list) once the outbox is empty. Runs on start, on `online`, after every new action, when the
// phone is looked at again, and on a timer: every minute when all is well, backing off from 2 s to
// 5 min (with jitter, so a hundred phones coming out of a lift do not knock together) while the
// server can't be reached.
// Background Sync is not relied on: iOS and Firefox lack it.
import * as api from "../field/api.js";
import { refreshPriceList } from "../slips/price-list.js";
import { changed, onChange } from "./changes.js";
import * as outbox from "./outbox.js";
import * as store from "./store.js";

const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 5 * 60 * 1000;
const PULL_EVERY_MS = 60 * 1000;

let user = null;
let onSignedOut = () => {};
let running = null;
let again = false;
let failures = 0;
let timer = null;
let wantPull = false;
let lastPull = 0;
export const state = { syncing: false, failing: false };
// "item" events while the outbox is being sent: detail {what, index, count, loaded, total} for the item
// going up now (bytes sent of its request), null when the pass is over. The screen shows it (status.js).
export const progress = new EventTarget();
const ALREADY_RECORDED = "already_recorded"; // app/work_orders/services.py
const WHAT = { photo: "照片", transition: "工单状态", step: "入户步骤", note: "备注", reading: "室温", repair: "维修记录",
  damage: "损坏记录", material: "用料", sign_slip: "签名服务单" };

// user: the signed-in technician; signedOut(): called on a 401 (the outbox is kept for later).
export function start(currentUser, signedOut) {
  user = currentUser;
  onSignedOut = signedOut;
  kick({ pull: true });
}

export function stop() {
  user = null;
  clearTimeout(timer);
}

// One pass at a time in this tab (a new action during a pass asks for one more), and one at a time
// across the technician's tabs (Web Locks), so two tabs never send the same item at once. The server
// would apply it once anyway (client_uuid), but it need not be asked twice.
// pull: fetch the bundle even if it was fetched a moment ago (start, 刷新, back online). After an
// action it is not needed: the server's answer carries the order as it is now.
export function kick({ pull = false } = {}) {
  if (!user) return Promise.resolve();
  wantPull ||= pull;
  if (running) {
    again = true;
    return running;
  }
  const pass = () => (user ? sendAll(user) : null);
  running = (navigator.locks ? navigator.locks.request("shifu-sync", pass) : pass())
    .catch((error) => console.warn("同步出错", error))
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        kick();
      }
    });
  return running;
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(() => kick({ pull: true }), ms);
}

function retryLater() {
  failures += 1;
  const ceiling = Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
  schedule(ceiling / 2 + Math.random() * (ceiling / 2));
  setState({ syncing: false, failing: true });
}

// run: the items going up in this request, first…last their places in the pass.
function report(run, first, last, count, loaded = 0, total = 0) {
  const what = run && (run.length === 1 ? WHAT[run[0].type] || run[0].type : `${run.length} 条记录`);
  const detail = run && { what, index: last, first, count: Math.max(count, last), loaded, total };
  progress.dispatchEvent(new CustomEvent("item", { detail }));
}

function setState(next) {
  Object.assign(state, next);
  changed("sync");
}

async function sendAll(me) {
  if (!navigator.onLine) { // reliable when false: wait for `online` rather than fail in a loop
    setState({ syncing: false, failing: false });
    return schedule(PULL_EVERY_MS);
  }
  setState({ syncing: true });
  const session = api.sessionCount();
  const sent = await sendEach(me);
  if (sent === "signed-out") return signedOutUnlessRenewed(session);
  if (sent === "retry") return retryLater();
  if (wantPull || Date.now() - lastPull >= PULL_EVERY_MS) {
    wantPull = false;
    const pulled = await pull(me);
    if (pulled === "signed-out") return signedOutUnlessRenewed(session);
    if (pulled === "retry") {
      wantPull = true;
      return retryLater();
    }
    await refreshPriceList((await store.bundleFor(me.id))?.data); // for quotes with no signal
    lastPull = Date.now();
  }
  failures = 0;
  await store.markSynced();
  setState({ syncing: false, failing: false });
  schedule(PULL_EVERY_MS);
}

// The outbox, oldest first: a photo on its own, the records between photos together in one request (on one
// bar of signal every request costs a round trip). "sent" when it is empty, or why it stopped.
async function sendEach(me) {
  const count = (await store.counts(me.id)).waiting;
  let index = 0;
  try {
    for (let run = await outbox.nextRun(me.id); run.length; run = await outbox.nextRun(me.id)) {
      const first = index + 1;
      index += run.length;
      const onProgress = (loaded, total) => report(run, first, index, count, loaded, total);
      const outcome = run.length === 1 ? await sendOne(run[0], false, onProgress) : await sendRun(run, onProgress);
      if (outcome === "signed-out" || outcome === "retry") return outcome;
    }
    return "sent";
  } finally {
    report(null);
  }
}

// A 401 to a request sent with the session this pass began with. If the phone was given a new one since (a new
// password: the server ended the old session and answered with a fresh one), the 401 was about the old: the
// pass is run again, with the new session, rather than signing the technician out.
function signedOutUnlessRenewed(session) {
  if (api.sessionCount() === session) return signedOut();
  again = true;
  wantPull = true;
  setState({ syncing: false });
}

function signedOut() {
  setState({ syncing: false, failing: false });
  stop();
  onSignedOut();
}

// Never inside an IndexedDB transaction: read the item, send, then record the answer in a new one.
async function post(item, onProgress) {
  if (item.type !== "photo") {
    onProgress(0, 0);
    return api.sendCommand(item);
  }
  return api.sendPhoto(item, await outbox.blobOf(item), onProgress);
}

async function sendOne(item, retried = false, onProgress = () => {}) {
  let response;
  try {
    response = await post(item, onProgress);
  } catch {
    return "retry"; // no answer at all: the item stays, as it was
  }
  if (response.ok) {
    await outbox.settle(item, (await response.json()).work_order);
    return "sent";
  }
  const trouble = await troubled(response, retried, () => sendOne(item, true, onProgress));
  if (trouble) return trouble;
  const body = await api.errorBody(response);
  if (body.error === ALREADY_RECORDED) {
    // The same step or action arrived from another tab or phone first: nothing was lost. The item goes
    // quietly, and the next pull brings the order as the server has it. 被退回 is for what was not taken.
    await outbox.settle(item, null);
    wantPull = true;
    return "sent";
  }
  await outbox.refuse(item, response.status, body);
  return "refused";
}

// An answer that is about the request, not its items: 401 signs out, the server's own trouble is tried later, a
// stale CSRF token is fetched again and the request sent once more (`again`). null for any other answer.
async function troubled(response, retried, again) {
  if (response.status === 401) return "signed-out";
  if (response.status >= 500 || response.status === 429 || response.status === 408) return "retry";
  if ((await api.errorBody(response)).error !== "csrf_failed" || retried) return null;
  try {
    await api.getSession();
  } catch {
    return "retry";
  }
  return again();
}

// A run of records in one request, each applied on its own (POST /commands/batch), the answers settled in one
// go. Any other refusal of the whole request (a server without the batch, 404/405, behind a rolling update; 422,
// one item it cannot read) sends the run one item at a time: each item then gets its own answer.
async function sendRun(run, onProgress, retried = false) {
  let response;
  try {
    onProgress(0, 0);
    response = await api.sendCommands(run);
  } catch {
    return "retry";
  }
  if (response.ok) {
    const { results } = await response.json();
    if (results?.length !== run.length || results.some((r, i) => r.client_uuid !== run[i].client_uuid)) return "retry";
    return settleRun(run, results);
  }
  const trouble = await troubled(response, retried, () => sendRun(run, onProgress, true));
  if (trouble) return trouble;
  for (const item of run) {
    const outcome = await sendOne(item, false, onProgress);
    if (outcome === "signed-out" || outcome === "retry") return outcome;
  }
  return "sent";
}

async function settleRun(run, results) {
  const sent = [];
  const refused = [];
  run.forEach((item, i) => {
    const { http_status: status, error, work_order: workOrder } = results[i];
    if (status === 200 || error?.error === ALREADY_RECORDED) sent.push({ item, workOrder: workOrder || null });
    else refused.push({ item, status, error });
    if (status !== 200 && error?.error === ALREADY_RECORDED) wantPull = true; // as sendOne does
  });
  await outbox.settleRun(sent, refused);
  return "sent";
}

async function pull(me) {
  const saved = await store.bundleFor(me.id);
  let response;
  try {
    response = await api.fetchBundle(saved?.etag);
  } catch {
    return "retry";
  }
  if (response.status === 304) return "same";
  if (response.status === 401) return "signed-out";
  if (!response.ok) return "retry";
  await store.saveBundle(me.id, response.headers.get("ETag"), await response.json());
  return "new";
}

// Another tab added an action: it sends it, but if that tab is closed at once, this one will.
onChange(({ what, remote }) => {
  if (remote && what === "outbox") schedule(1000);
});
self.addEventListener("online", () => {
  failures = 0;
  kick({ pull: true });
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") kick({ pull: true });
});
