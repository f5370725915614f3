// Who is signed in on this phone: online, the server says; offline, the copy saved at the last
// sign-in says (with its CSRF token), so a reload in a cellar carries on as the same technician.
import * as store from "../offline/store.js";
import * as sync from "../offline/sync.js";
import * as api from "./api.js";
import { setStatusUser } from "./status.js";

export const SIGNED_OUT = { authenticated: false };

// What the phone itself remembers, read at once: the app draws from it while the server is asked.
export async function saved() {
  return api.useSession(await store.savedSession()) || SIGNED_OUT;
}

export async function restore() {
  try {
    const fresh = await api.getSession();
    if (!fresh.authenticated) await store.forgetSession();
    return fresh;
  } catch {
    return saved();
  }
}

// Whether two sessions would draw the same screens (who, and whether a first password must go first).
export function sameScreens(a, b) {
  const who = (session) => session.authenticated
    ? [session.user.id, session.user.role, session.user.must_change_password].join() : "";
  return who(a) === who(b);
}

// onSignedOutByServer(): a 401 while sending. The outbox is kept and sent after signing in again.
export async function begin(session, onSignedOutByServer) {
  setStatusUser(session.user, session.time_zone);
  // A first password is replaced before anything is sent or fetched (the server answers nothing else).
  if (!session.authenticated || session.user.role !== "technician" || session.user.must_change_password) {
    return session;
  }
  await store.saveSession(session);
  navigator.storage?.persist?.().catch(() => {}); // ask the browser not to evict the outbox
  sync.start(session.user, onSignedOutByServer);
  return session;
}

export async function changePassword(current, next, again, onSignedOutByServer) {
  return begin(await api.changePassword(current, next, again), onSignedOutByServer);
}

export async function signIn(username, password, onSignedOutByServer) {
  return begin(await api.signIn(username, password), onSignedOutByServer);
}

// server: false when the server already ended it (401); the outbox is kept either way.
export async function end({ server = true } = {}) {
  sync.stop();
  if (server) await api.signOut().catch(() => null);
  await store.forgetSession();
  setStatusUser(null);
  return SIGNED_OUT;
}

export function registerWorker() {
  // WeChat's in-app browser on iOS has no service workers: the app works there, but only online.
  navigator.serviceWorker?.register("/field/sw.js", { scope: "/field/" })
    .catch((error) => console.warn("离线缓存未能启用", error));
}
