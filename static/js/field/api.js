// The field app's one door to the server: the session and its CSRF token, the requests the outbox
// needs (a command, a photo, the bundle, the price list), and a signed slip's PDF. Screens never call
// it for data: they draw from IndexedDB, and offline/sync.js sends and pulls through here.

const BASE = "/api/v1";
// A stairwell with one bar answers slowly or never: give up, the outbox will try again.
const TIMEOUT_MS = { session: 10000, command: 20000, photo: 60000, bundle: 20000, pdf: 60000 };
let csrfToken = null;
let sessions = 0; // sessions this page was given: a 401 may answer a request sent with an older one

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || "请求失败,请稍后重试。");
    this.status = status;
    this.code = body.error || "unknown";
    this.fields = body.fields || {};
  }
}

export async function errorBody(response) {
  try {
    const body = await response.clone().json();
    if (body && body.message) return body;
  } catch {
    // Not JSON (a proxy page, a crash): fall through to a generic message.
  }
  return { error: "http_" + response.status, message: `服务器暂时无法处理(${response.status}),请稍后重试。` };
}

// fetch() that throws an ApiError(0) when no answer came back at all (no signal, server down, timeout).
async function send(path, { method = "GET", headers = {}, body, timeout, accept = "application/json" }) {
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken || "";
  try {
    return await fetch(BASE + path, {
      method, body, credentials: "same-origin", headers: { Accept: accept, ...headers },
      signal: AbortSignal.timeout ? AbortSignal.timeout(timeout) : undefined,
    });
  } catch {
    throw new ApiError(0, { error: "network", message: "网络不通,请检查信号后重试。" });
  }
}

const json = (value) => ({ body: JSON.stringify(value), headers: { "Content-Type": "application/json" } });

async function request(method, path, value, retried = false) {
  const response = await send(path, { method, timeout: TIMEOUT_MS.session, ...(value ? json(value) : {}) });
  if (response.ok) return response.status === 204 ? null : response.json();
  const error = new ApiError(response.status, await errorBody(response));
  // A token that expired with the session: fetch a fresh one and try once more.
  if (error.code === "csrf_failed" && !retried) {
    await getSession();
    return request(method, path, value, true);
  }
  throw error;
}

// A session saved on the phone (reload with no signal) brings its token back with it.
export function useSession(session) {
  csrfToken = session?.csrf_token || null;
  sessions += 1;
  return session;
}

export const sessionCount = () => sessions;

export async function getSession() {
  return useSession(await request("GET", "/session"));
}

export async function signIn(username, password) {
  if (!csrfToken) await getSession();
  return useSession(await request("POST", "/session", { username, password }));
}

// One's own new password (a first password must be replaced first): the answer is a fresh session.
export async function changePassword(current, next, again) {
  return useSession(await request("POST", "/me/password", { current, new: next, again }));
}

export async function signOut() {
  await request("DELETE", "/session");
  return getSession();
}

// The outbox's requests answer with the raw Response: sync.js decides what each status means.
const commandOf = ({ client_uuid, type, work_order_id, payload, device_time }) =>
  ({ client_uuid, type, work_order_id, payload, device_time });

export function sendCommand(item) {
  return send("/commands", { method: "POST", timeout: TIMEOUT_MS.command, ...json(commandOf(item)) });
}

// Several records in one request (POST /commands/batch): one round trip where one bar of signal makes each dear.
export function sendCommands(items) {
  return send("/commands/batch", { method: "POST", timeout: TIMEOUT_MS.command,
    ...json({ commands: items.map(commandOf) }) });
}

// onProgress(loaded, total): bytes of the photo's request sent so far, as they go.
export function sendPhoto(item, blob, onProgress = () => {}) {
  const form = new FormData();
  form.append("client_uuid", item.client_uuid);
  form.append("work_order_id", String(item.work_order_id));
  form.append("step", item.payload.step);
  form.append("kind", item.payload.kind);
  form.append("device_time", item.device_time);
  form.append("file", blob, `${item.client_uuid}.jpg`);
  return upload("/photos", form, TIMEOUT_MS.photo, onProgress);
}

// A POST by XMLHttpRequest rather than fetch(): only it tells how much of the body has gone up, which
// on one bar of signal is what the technician waits on. Answers a Response, as send() does, or throws
// ApiError(0) when no answer came back at all.
function upload(path, body, timeout, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", BASE + path);
    request.timeout = timeout;
    request.setRequestHeader("Accept", "application/json");
    request.setRequestHeader("X-CSRFToken", csrfToken || "");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.addEventListener("load", () => {
      const type = request.getResponseHeader("Content-Type") || "text/plain";
      resolve(new Response(request.responseText, { status: request.status, headers: { "Content-Type": type } }));
    });
    const failed = () => reject(new ApiError(0, { error: "network", message: "网络不通,请检查信号后重试。" }));
    for (const name of ["error", "timeout", "abort"]) request.addEventListener(name, failed);
    request.send(body);
  });
}

// If-None-Match: an unchanged bundle costs one small request and a 304.
export function fetchBundle(etag) {
  return send("/me/bundle", { headers: etag ? { "If-None-Match": etag } : {}, timeout: TIMEOUT_MS.bundle });
}

// The price list in force, for quoting with no signal; a published version never changes (304).
export function fetchPriceList(etag) {
  return send("/price-list/current", { headers: etag ? { "If-None-Match": etag } : {}, timeout: TIMEOUT_MS.bundle });
}

// A signed slip's PDF (url as the server gave it, e.g. /api/v1/slips/7/pdf?copy=customer) → Blob.
// 202 正在生成: the server's queue is rendering it; ask again when it says (Retry-After), for up to a minute.
// onWait(message) tells the technician what is happening meanwhile.
export async function fetchPdf(url, onWait = () => {}) {
  const path = url.replace(BASE, "");
  for (let tries = 0; ; tries += 1) {
    const response = await send(path, { timeout: TIMEOUT_MS.pdf, accept: "application/pdf" });
    if (response.status !== 202) {
      if (!response.ok) throw new ApiError(response.status, await errorBody(response));
      return response.blob();
    }
    if (tries >= 30) throw new ApiError(202, { message: "服务单 PDF 还在生成,请稍后再试。" });
    onWait("正在生成服务单 PDF…");
    const seconds = Number(response.headers.get("Retry-After")) || 2;
    await new Promise((resolve) => { setTimeout(resolve, Math.min(seconds, 10) * 1000); });
  }
}
