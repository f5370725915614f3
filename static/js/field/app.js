// The app shell: who is signed in, which screen the hash names, and painting it from the phone's
// own copy (IndexedDB). Nothing here waits for the network: taps become outbox items
// (actions.js) and offline/sync.js sends them when it can.
import { startCountdowns } from "../clocks/countdown.js";
import { onChange } from "../offline/changes.js";
import * as outbox from "../offline/outbox.js";
import * as store from "../offline/store.js";
import * as sync from "../offline/sync.js";
import { ROUTE as SLIP_ROUTE } from "../slips/route.js";
import * as actions from "./actions.js";
import { h, replaceChildren } from "./dom.js";
import { renderGoneJob, renderJob } from "./job.js";
import { renderJobs } from "./jobs.js";
import { nextNoticeAt } from "./lateness.js";
import { renderLogin, renderNewPassword, renderWrongRole } from "./login.js";
import { renderRefused } from "./refused.js";
import * as sessions from "./session.js";
import { startStatusLine, startUploadLine } from "./status.js";

// The visit's and the slip's screens are loaded when first opened (and soon after start, in idle time):
// the first screen — sign-in or 我的工单 — does not wait for the signature pad to download.
const visitScreens = () => import("./visit.js");
const slipScreens = () => import("../slips/screens.js");

const main = document.getElementById("app");
const title = document.getElementById("screen-title");
const back = document.getElementById("back");
const signOutButton = document.getElementById("sign-out");

let session = null;
let paintSeq = 0;
let shownKey = null; // the screen on display: repainting it again is quiet (no scroll, no focus move)
let ui = {}; // what only this screen knows: a photo being processed, a message — gone on a new screen
let deferred = false; // a repaint that waited for the technician to leave a text field or lift a finger
let paintingQuietly = false; // this paint is a background one (a sync, another tab), not a tap

function chrome(screenTitle, backTo = null) {
  title.textContent = screenTitle;
  document.title = `${screenTitle} · 师傅`;
  back.hidden = !backTo;
  if (backTo) back.href = backTo;
  signOutButton.hidden = !session?.authenticated;
}

function show(node, key) {
  // The same screen again never replaces what is in use. A finger on the glass (a signature being
  // drawn, a button being pressed) holds every repaint until it lifts; a background repaint (a sync
  // answer, another tab) also waits while a field has the focus (both follow: repaintDeferred), and
  // leaves a screen marked data-hold (a signature pad, the sign-in and password forms) alone until the
  // technician moves on.
  const held = paintingQuietly && (typing() || main.querySelector("[data-hold]"));
  if (key === shownKey && (pointerDown || held)) {
    deferred = true;
    return;
  }
  const fresh = key !== shownKey;
  if (fresh) ui = {};
  shownKey = key;
  const field = fresh ? null : typingIn();
  replaceChildren(main, node);
  if (fresh) {
    window.scrollTo(0, 0);
    (main.querySelector("#step-title") || main).focus({ preventScroll: true });
  } else if (field) {
    keepTyping(field);
  }
}

// A tap's repaint while the technician types elsewhere on the screen (a photo finished processing):
// the field is drawn again from the draft, which has every keystroke, and the caret goes back in it.
function typingIn() {
  const field = document.activeElement;
  if (!field?.id || !main.contains(field) || !field.matches(TEXT_FIELDS)) return null;
  return { id: field.id, start: field.selectionStart, end: field.selectionEnd };
}

function keepTyping({ id, start, end }) {
  const field = document.getElementById(id);
  if (!field || !field.matches(TEXT_FIELDS)) return;
  field.focus({ preventScroll: true });
  field.setSelectionRange?.(start, end);
}

// A tap: the action is written, the screen repainted from the local copy, its buttons settled.
// Taps are ignored until the new screen is up: the old button must not be pressed twice.
async function tap(work) {
  const before = shownKey;
  await actions.guarded(async () => {
    await work();
    await paint();
    actions.settle(main);
  });
  // Same screen, new state: the button the finger was on may be gone; the status says what happened
  // (unless the technician is already typing somewhere: the focus stays there).
  if (shownKey === before && !typing()) main.querySelector("#job-status")?.focus({ preventScroll: true });
}

function go(hash) {
  history.pushState(null, "", hash); // no hashchange: tap() paints (and settles) the new screen itself
}

function jobScreen(data, job) {
  chrome("工单详情", "#/jobs");
  show(renderJob(job, { timeZone: session.time_zone, checklist: data.checklist, onAction: (action) => tap(async () => {
    await actions.record(session.user, job, "transition", { action });
    if (action === "arrive") go(`#/jobs/${job.id}/visit`); // at the door: the visit opens
  }) }), location.hash);
}

async function visitScreenFor(data, job, seq) {
  const [{ renderVisit, visitScreen }, { loadSlipState }] = await Promise.all([visitScreens(), slipScreens()]);
  const { visit, step, key } = visitScreen(job, data.checklist);
  const draft = await actions.draftFor(job, key);
  const quote = step?.code === "repair"
    ? await loadSlipState(job, actions, { needed: draft.resolution === "paid" }) : null;
  if (seq !== paintSeq) return; // a newer paint started while the draft was read
  const user = session.user;
  chrome("入户服务", `#/jobs/${job.id}`);
  show(renderVisit(job, {
    checklist: data.checklist, timeZone: session.time_zone, draft, ...ui,
    quote: quote && { draft: quote.quoteDraft, version: quote.version },
    onDraft: (patch) => actions.updateDraft(job, key, draft, patch),
    repaint: () => paint(),
    onPhoto: (s, kind, file) => tap(async () => {
      ui.busyPhoto = `${s.code}:${kind}`;
      ui.photoError = null;
      await paint();
      await actions.takePhoto(user, job, s, kind, file).catch(() => { ui.photoError = "照片无法读取,请重拍。"; });
      ui.busyPhoto = null;
    }),
    onReading: (room, input) => tap(async () => { ui.readingError = await actions.addReading(user, job, room, input); }),
    materials: data.materials,
    onMaterial: (materialId, input) => tap(async () => {
      ui.materialError = await actions.addMaterial(user, job, data.materials, materialId, input);
    }),
    onFinish: (s, outcome) => tap(() => actions.finishStep(user, job, visit, s, outcome)),
    onComplete: () => tap(async () => {
      await actions.record(user, job, "transition", { action: "complete" });
      go(`#/jobs/${job.id}`);
    }),
  }), `${location.hash}:${step ? step.code : "summary"}`);
}

// The quote and the slip (slips/screens.js): drafts on the phone until 确认签名 puts one item in the outbox.
async function slipScreenFor(data, job, seq, route, part) {
  const { renderSlipScreen, stateForRoute } = await slipScreens();
  const state = await stateForRoute(job, route, actions);
  if (seq !== paintSeq) return;
  const screen = renderSlipScreen(job, route, part, state, {
    user: session.user, timeZone: session.time_zone, checklist: data.checklist, slipTerms: data.slipTerms, ui,
    updateDraft: actions.updateDraft, clearDraft: actions.dropDraft, repaint: () => paint(), tap,
    go: (hash, { paint: now = false } = {}) => { go(hash); if (now) paint(); },
  });
  chrome(screen.title, screen.back);
  show(screen.node, location.hash);
}

function missingJob(data, id) {
  chrome("工单详情", "#/jobs");
  show(renderGoneJob(data.refused.filter((item) => item.work_order_id === id), data.checklist), location.hash);
}

function jobsScreen(data) {
  chrome("我的工单");
  show(renderJobs(data.jobs, { user: session.user, timeZone: session.time_zone, notice: ui.notice, refused: data.refused,
    checklist: data.checklist,
    onRefresh: () => {
      ui.notice = navigator.onLine ? null
        : { kind: "todo", text: "现在离线:显示的是手机上保存的工单。有信号后会自动上传和更新。" };
      sync.kick({ pull: true });
      paint();
    } }), "#/jobs");
}

function refusedScreen(data) {
  chrome("被退回的记录", "#/jobs");
  show(renderRefused(data.refused, { checklist: data.checklist, timeZone: session.time_zone, blobs: data.blobs,
    onAcknowledge: (uuid) => outbox.acknowledge(uuid) }), "#/refused");
}

// Nothing is sent or received when an appointment's notice time comes: the screen is drawn again then,
// so the prompt to call the customer appears on its own (lateness.js).
let noticeTimer = null;

function repaintAtNextNotice(jobs) {
  clearTimeout(noticeTimer);
  const at = nextNoticeAt(jobs);
  if (at !== null) noticeTimer = setTimeout(repaintQuietly, Math.min(at - Date.now() + 500, 2 ** 31 - 1));
}

async function paint({ quiet = false } = {}) {
  const seq = ++paintSeq;
  deferred = false;
  paintingQuietly = quiet;
  if (!session?.authenticated) return showLogin();
  if (session.user.role !== "technician") return showWrongRole();
  if (session.user.must_change_password) return showNewPassword();
  if (location.hash === "#/password") return showNewPassword({ voluntary: true });
  const data = await store.view(session.user);
  if (seq !== paintSeq) return;
  repaintAtNextNotice(data.jobs);
  const match = location.hash.match(/^#\/jobs\/(\d+)(\/visit)?$/) || location.hash.match(SLIP_ROUTE);
  if (location.hash === "#/refused") return refusedScreen(data);
  if (!match) {
    if (location.hash !== "#/jobs") history.replaceState(null, "", "#/jobs");
    return jobsScreen(data);
  }
  const job = data.jobs?.find((j) => j.id === Number(match[1]));
  if (!job) return missingJob(data, Number(match[1]));
  if (!match[2] || !data.checklist) return jobScreen(data, job);
  return match[2] === "/visit" ? visitScreenFor(data, job, seq) : slipScreenFor(data, job, seq, match[2], match[3]);
}

// The data changed (a sync, another tab): repaint, but never under a finger that is typing or
// pressing — a button replaced between touch and release would swallow the tap.
let pointerDown = false;

const TEXT_FIELDS = "textarea, input:not([type]), input[type=text], input[type=number], input[type=tel]";

function typing() {
  const field = document.activeElement;
  return Boolean(field && main.contains(field) && field.matches("input, textarea, select"));
}

function repaintQuietly() {
  if (pointerDown || typing()) deferred = true;
  else paint({ quiet: true });
}

function repaintDeferred() {
  setTimeout(() => { if (deferred) repaintQuietly(); }, 300);
}

function showLogin() {
  chrome("师傅 · 供热维修");
  show(renderLogin({ signIn: async (username, password) => {
    session = await sessions.signIn(username, password, signedOutByServer);
    paint(); // keeps a deep link such as #/jobs/12, else opens the list
  } }), "login");
  main.querySelector("input")?.focus();
}

function showNewPassword({ voluntary = false } = {}) {
  chrome(voluntary ? "修改密码" : "设置密码", voluntary ? "#/jobs" : null);
  show(renderNewPassword(session.user, { signOut, voluntary, change: async (current, next, again) => {
    session = await sessions.changePassword(current, next, again, signedOutByServer);
    if (voluntary) history.replaceState(null, "", "#/jobs");
    paint();
  } }), voluntary ? "password" : "new-password");
  main.querySelector("input")?.focus();
}

function showWrongRole() {
  chrome("师傅");
  show(renderWrongRole(session.user, { signOut }), "wrong-role");
}

async function signedOutByServer() {
  session = await sessions.end({ server: false });
  paint();
}

async function signOut() {
  session = await sessions.end();
  history.replaceState(null, "", "#/login");
  paint();
}

// Load the visit's and the slip's screens once the first screen is up, so opening a visit later (perhaps
// in a cellar with no signal and no service worker yet) finds them in memory.
function warmUp() {
  const later = window.requestIdleCallback || ((task) => setTimeout(task, 200));
  later(() => Promise.all([visitScreens(), slipScreens()]).catch((error) => console.warn("预加载", error)));
}

async function boot() {
  sessions.registerWorker();
  startStatusLine(document.getElementById("status-line"));
  startUploadLine(document.getElementById("upload-line"));
  startCountdowns(main);
  signOutButton.addEventListener("click", signOut);
  window.addEventListener("hashchange", () => paint());
  window.addEventListener("popstate", () => paint());
  main.addEventListener("pointerdown", () => { pointerDown = true; }, true);
  for (const type of ["pointerup", "pointercancel"]) {
    window.addEventListener(type, () => { pointerDown = false; repaintDeferred(); }, true);
  }
  main.addEventListener("focusout", repaintDeferred);
  onChange(({ what }) => { if (what !== "sync") repaintQuietly(); });
  show(h("p", { class: "loading" }, "正在加载…"), "loading");
  // The screen from what the phone remembers, at once (no round trip on one bar of signal), then the
  // server's word: drawn again only if it changes who is signed in, so nothing typed meanwhile is lost.
  session = await sessions.saved();
  paint();
  warmUp();
  const fresh = await sessions.restore();
  const redraw = !sessions.sameScreens(fresh, session);
  session = await sessions.begin(fresh, signedOutByServer);
  if (redraw) paint();
}

boot();
