// The one quiet place that tells the technician the state of the phone's data: the network, how
// many actions wait to be sent, when the phone last heard from the server, and what was refused.
// Never a modal: it sits under the title on every screen.
import { onChange } from "../offline/changes.js";
import * as store from "../offline/store.js";
import { progress, state as sync } from "../offline/sync.js";
import { h, replaceChildren } from "./dom.js";
import { formatTime } from "./format.js";

let line = null;
let userId = null;
let timeZone = "Asia/Shanghai";
let painting = Promise.resolve();

function network() {
  if (!navigator.onLine) return "离线";
  return sync.failing ? "连不上服务器" : "在线";
}

async function paint() {
  const { waiting, refused, lastSync } = await store.counts(userId);
  const online = navigator.onLine;
  const parts = [
    h("span", { class: "status-line__network" }, network()),
    h("span", {}, waiting ? `${waiting} 条待上传` : "全部已上传"),
    h("span", {}, lastSync ? `上次同步 ${formatTime(lastSync, timeZone)}` : "尚未同步"),
    refused ? h("a", { class: "status-line__refused", href: "#/refused" }, `${refused} 条被退回`) : null,
  ];
  const text = parts.filter(Boolean).map((part) => part.textContent).join(" · ");
  if (text === line.textContent) return; // unchanged: a live region must not repeat itself every 30 s
  replaceChildren(line, parts.filter(Boolean).flatMap((part, i) => (i ? [" · ", part] : [part])));
  line.classList.toggle("status-line--offline", !online || sync.failing);
  Object.assign(line.dataset, { online: String(online), waiting: String(waiting), refused: String(refused) });
}

export function repaintStatus() {
  // One paint at a time, in order: a slow read must not overwrite a newer count.
  painting = painting.then(paint).catch((error) => console.warn("状态栏", error));
  return painting;
}

// user: the technician now signed in (null on the sign-in screen: everything waiting is counted).
export function setStatusUser(user, zone) {
  userId = user?.id ?? null;
  if (zone) timeZone = zone;
  repaintStatus();
}

export function startStatusLine(element) {
  line = element;
  window.addEventListener("online", repaintStatus);
  window.addEventListener("offline", repaintStatus);
  onChange(repaintStatus);
  setInterval(repaintStatus, 30 * 1000); // "上次同步" stays honest
  repaintStatus();
}

// The item going up now: "正在上传 3/14 照片 84/212 KB" and a bar, gone when the outbox is sent.
export function startUploadLine(element) {
  const what = element.querySelector(".upload-line__what");
  const bar = element.querySelector(".upload-line__bar");
  progress.addEventListener("item", ({ detail }) => {
    element.hidden = !detail;
    if (!detail) return;
    const bytes = detail.total ? ` ${kilobytes(detail.loaded)}/${kilobytes(detail.total)} KB` : "";
    const place = detail.first < detail.index ? `${detail.first}–${detail.index}` : detail.index;
    what.textContent = `正在上传 ${place}/${detail.count} ${detail.what}${bytes}`;
    bar.value = detail.total ? detail.loaded / detail.total : 0;
    Object.assign(element.dataset, { index: String(detail.index), loaded: String(detail.loaded) });
  });
}

const kilobytes = (bytes) => Math.round(bytes / 1024);
