// The field app's one door to the server. Screens call these functions and never fetch()
// themselves, so the next issue can put an IndexedDB store and an outbox behind the same
// names without touching a screen.

const BASE = "/api/v1";
let csrfToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || "请求失败,请稍后重试。");
    this.status = status;
    this.code = body.error || "unknown";
    this.fields = body.fields || {};
  }
}

async function errorBody(response) {
  try {
    const body = await response.json();
    if (body && body.message) return body;
  } catch {
    // Not JSON (a proxy page, a crash): fall through to a generic message.
  }
  return { error: "http_" + response.status, message: `服务器暂时无法处理(${response.status}),请稍后重试。` };
}

async function send(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRFToken"] = csrfToken || "";
  }
  try {
    return await fetch(BASE + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    // fetch() only rejects when no answer came back at all: no signal, or the server is down.
    throw new ApiError(0, { error: "network", message: "网络不通,请检查信号后重试。" });
  }
}

async function request(method, path, body, retried = false) {
  const response = await send(method, path, body);
  if (response.ok) return response.status === 204 ? null : response.json();
  const error = new ApiError(response.status, await errorBody(response));
  // A token that expired with the session: fetch a fresh one and try once more.
  if (error.code === "csrf_failed" && !retried) {
    await getSession();
    return request(method, path, body, true);
  }
  throw error;
}

function remember(session) {
  csrfToken = session.csrf_token;
  return session;
}

export async function getSession() {
  return remember(await request("GET", "/session"));
}

export async function signIn(username, password) {
  if (!csrfToken) await getSession();
  return remember(await request("POST", "/session", { username, password }));
}

export async function signOut() {
  await request("DELETE", "/session");
  return getSession();
}

export function myJobs() {
  return request("GET", "/me/jobs");
}

export function getJob(id) {
  return request("GET", `/work-orders/${encodeURIComponent(id)}`);
}

// device_time is the phone's own clock: the server records when the step really happened.
export function transition(id, action, note) {
  const body = { action, device_time: new Date().toISOString() };
  if (note) body.note = note;
  return request("POST", `/work-orders/${encodeURIComponent(id)}/transitions`, body);
}
