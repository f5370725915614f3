// The app shell: who is signed in, which screen the hash names, and keeping it fresh.
// Screens are render functions of data; this module fetches (through api.js) and wires events.
import * as api from "./api.js";
import { startCountdowns } from "../clocks/countdown.js";
import { h, replaceChildren } from "./dom.js";
import { renderJob } from "./job.js";
import { renderJobs } from "./jobs.js";
import { renderLogin, renderWrongRole } from "./login.js";
import { startStatusLine } from "./status.js";

const REFRESH_MS = 60 * 1000;
const main = document.getElementById("app");
const title = document.getElementById("screen-title");
const back = document.getElementById("back");
const signOutButton = document.getElementById("sign-out");

let session = null;
let renderSeq = 0; // a slow answer for a screen the user already left is dropped
let posting = false; // no refresh may repaint the screen under a pending action

function chrome(screenTitle, { backTo = null } = {}) {
  title.textContent = screenTitle;
  document.title = `${screenTitle} · 师傅`;
  back.hidden = !backTo;
  if (backTo) back.href = backTo;
  signOutButton.hidden = !session?.authenticated;
}

// A new screen (not a quiet refresh) starts at the top, and a screen reader is told so by focus.
function show(node, { newScreen = false } = {}) {
  replaceChildren(main, node);
  if (newScreen) main.focus({ preventScroll: true });
}

function loading() {
  window.scrollTo(0, 0);
  show(h("p", { class: "loading" }, "正在加载…"));
}

function failure(error, retry) {
  show(h("section", { class: "panel" },
    h("p", { class: "notice notice--error", role: "alert" }, error.message),
    h("button", { class: "button button--primary button--block", type: "button", on: { click: retry } }, "重试")));
}

// Any 401 means the session ended (expired, signed out elsewhere): back to the sign-in screen.
async function guard(error) {
  if (error.status === 401) {
    session = await api.getSession().catch(() => null);
    route();
    return true;
  }
  return false;
}

let shownJobs = []; // what the list shows, kept on screen when a refresh fails

async function showJobs({ quiet = false } = {}) {
  const seq = ++renderSeq;
  chrome("我的工单");
  if (!quiet) loading();
  const context = { user: session.user, timeZone: session.time_zone, onRefresh: () => showJobs({ quiet: true }) };
  try {
    const jobs = await api.myJobs();
    if (seq !== renderSeq) return;
    shownJobs = jobs;
    show(renderJobs(jobs, context), { newScreen: !quiet });
  } catch (error) {
    if (seq !== renderSeq || (await guard(error))) return;
    if (quiet && main.querySelector(".jobs")) show(renderJobs(shownJobs, { ...context, error: error.message }));
    else failure(error, () => showJobs());
  }
}

async function showJob(id, { quiet = false } = {}) {
  const seq = ++renderSeq;
  chrome("工单详情", { backTo: "#/jobs" });
  if (!quiet) loading();
  try {
    const job = await api.getJob(id);
    if (seq === renderSeq) paintJob(job, {}, { newScreen: !quiet });
  } catch (error) {
    if (seq !== renderSeq || (await guard(error))) return;
    failure(error, () => showJob(id));
  }
}

function paintJob(job, state, options) {
  const onAction = (action) => act(job, action);
  show(renderJob(job, { timeZone: session.time_zone, onAction, ...state }), options);
}

async function act(job, action) {
  if (posting) return;
  posting = true;
  const seq = ++renderSeq;
  paintJob(job, { busy: action });
  try {
    const updated = await api.transition(job.id, action);
    if (seq !== renderSeq) return;
    paintJob(updated, {});
    // The button the finger was on is gone: move focus to the new status it produced.
    document.getElementById("job-status").focus({ preventScroll: true });
  } catch (error) {
    if (await guard(error)) return;
    // 409: the order changed meanwhile (reassigned, already done); show it as it is now.
    const fresh = error.status === 409 ? await api.getJob(job.id).catch(() => job) : job;
    if (seq === renderSeq) paintJob(fresh, { message: { kind: "error", text: error.message } });
  } finally {
    posting = false;
  }
}

function showLogin() {
  ++renderSeq;
  chrome("师傅 · 供热维修");
  show(renderLogin({
    signIn: async (username, password) => {
      session = await api.signIn(username, password);
      route(); // keeps a deep link such as #/jobs/12, else opens the list
    },
  }));
  main.querySelector("input")?.focus();
}

async function signOut() {
  session = await api.signOut().catch(() => api.getSession().catch(() => null));
  history.replaceState(null, "", "#/login");
  route();
}

function route({ quiet = false } = {}) {
  if (!session?.authenticated) return showLogin();
  if (session.user.role !== "technician") {
    ++renderSeq;
    chrome("师傅");
    return show(renderWrongRole(session.user, { signOut }));
  }
  const match = location.hash.match(/^#\/jobs\/(\d+)$/);
  if (match) return showJob(match[1], { quiet });
  if (location.hash !== "#/jobs") history.replaceState(null, "", "#/jobs");
  return showJobs({ quiet });
}

// Coming back to the phone (another app, the screen woke up): show what the desk changed.
// focus and visibilitychange often fire together; one refresh is enough.
let lastRefresh = 0;
function refreshQuietly() {
  const idle = !posting && session?.authenticated && !main.querySelector("form");
  if (document.visibilityState !== "visible" || !idle || Date.now() - lastRefresh < 2000) return;
  lastRefresh = Date.now();
  route({ quiet: true });
}

async function loadSession() {
  loading();
  try {
    session = await api.getSession();
    route();
  } catch (error) {
    failure(error, loadSession);
  }
}

startStatusLine(document.getElementById("status-line"));
startCountdowns(main);
signOutButton.addEventListener("click", signOut);
window.addEventListener("hashchange", () => route());
document.addEventListener("visibilitychange", refreshQuietly);
window.addEventListener("focus", refreshQuietly);
setInterval(() => { if (location.hash === "#/jobs") refreshQuietly(); }, REFRESH_MS);
loadSession();
