// The field app's service worker, served by the route /field/sw.js with two constants prepended:
// VERSION, a hash of every file below (any change is a new cache, and so an update), and SHELL,
// the URLs of the app shell (page, offline page, manifest, CSS, every module, icons).
//
// It never touches /api/: the technician's data lives in IndexedDB, written by the page itself,
// so a cached answer can never show a job that was reassigned or hide one that was sent.
/* global VERSION, SHELL */

const PREFIX = "shifu-shell-";
const CACHE = PREFIX + VERSION;
const SHELL_PAGE = SHELL[0];
const OFFLINE_PAGE = SHELL[1];
const SHELL_PATHS = new Set(SHELL);
// A stairwell with one bar of signal answers slowly or never: after this, open the cached app.
const NAVIGATION_TIMEOUT_MS = 4000;
// Flask answers with "Vary: Cookie"; the shell is the same for everyone, whatever the cookie.
const MATCH = { ignoreVary: true, ignoreSearch: true };

self.addEventListener("install", (event) => {
  // The new version is complete before it can take over: wait for every file to be stored.
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

async function precache() {
  const cache = await caches.open(CACHE);
  // cache: "no-cache" asks the server about every file, so a new version never stores a stale copy,
  // but a file the page has just loaded costs only a 304. No cookies: the shell is the same for everyone, and
  // an answer landing after a sign-in must not put an older session cookie back.
  await cache.addAll(SHELL.map((url) => new Request(url, { cache: "no-cache", credentials: "omit" })));
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim(); // the page that installed us works offline from now, not after a reload
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return; // the network's
  if (request.mode === "navigate") {
    event.respondWith(navigation(request));
  } else if (SHELL_PATHS.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

// Pages: the network first (a new version shows at once when there is signal), then the cached
// shell (the app is hash-routed: one page serves every screen), then the offline page. A server
// error counts as no answer: a proxy's 502 while the app restarts, a 503, a 504 from a slow
// upstream would otherwise replace the working app with a bare error page.
async function navigation(request) {
  let answer = null;
  try {
    answer = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    if (answer.status < 500) return answer;
  } catch {
    // no answer in time, or none at all
  }
  const cache = await caches.open(CACHE);
  return (await cache.match(SHELL_PAGE, MATCH)) || (await cache.match(OFFLINE_PAGE, MATCH)) || answer
    || Response.error();
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ...MATCH, cacheName: CACHE });
  return cached || fetch(request);
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
