// The price list (价目表) on the phone: fetched when there is signal (start, sync) and kept in
// IndexedDB, so a quote can be made in a cellar. A published version never changes; a newer one
// replaces it when the server says so, and an offline phone's cached version stays valid for signing.
import * as api from "../field/api.js";
import { changed } from "../offline/changes.js";
import { get, put } from "../offline/db.js";

const KEY = "price_list"; // meta: { etag, data: VersionOut, format, saved_at }
export const MISSING = "手机上还没有价目表。请在有信号的地方打开本应用,价目表会自动下载。";

export async function cachedPriceList() {
  return (await get("meta", KEY))?.data || null;
}

// Whether to ask the server: the bundle names the version in force (price_list_version_id), and the
// phone asks only when it has not got that one — never blindly, so a day with no price list in force
// does not cost a 404 a minute. (A bundle without the key, from an older server: asked only when a
// quote needs it, see priceListWanted.)
// A copy saved in an older shape is asked for again (2: each item carries its after-sales terms, which
// the slip states and the server checks).
const FORMAT = 2;
function wanted(bundle, saved) {
  if (!bundle || bundle.price_list_version_id == null) return false;
  return bundle.price_list_version_id !== saved?.data?.id || saved?.format !== FORMAT;
}

// Called by sync after the bundle; a failure keeps the copy we have (it is tried again next time).
export async function refreshPriceList(bundle, { force = false } = {}) {
  const saved = await get("meta", KEY);
  if (!force && !wanted(bundle, saved)) return "same";
  let response;
  try {
    response = await api.fetchPriceList(saved?.etag);
  } catch {
    return "retry";
  }
  if (response.status === 304) return "same";
  if (!response.ok) return "kept"; // 404: none in force today; the cached one still prices a quote
  await put("meta", { etag: response.headers.get("ETag"), data: await response.json(), format: FORMAT,
    saved_at: new Date().toISOString() }, KEY);
  changed("bundle");
  return "new";
}

// A quote is on screen and the phone has no price list: ask once (per page) while there is signal.
let asked = false;
export function priceListWanted() {
  if (asked || !navigator.onLine) return;
  asked = true;
  refreshPriceList(null, { force: true }).catch(() => { asked = false; });
}
