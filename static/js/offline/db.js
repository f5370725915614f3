// A small promise wrapper over IndexedDB (after jakearchibald/idb): one database, its stores, and
// transactions as async functions. Inside tx() await only the store calls: awaiting anything else
// (a fetch, a timer) lets IndexedDB commit the transaction under you.

const NAME = "shifu";
const VERSION = 1;

function upgrade(db) {
  db.createObjectStore("bundle"); // "current": { user_id, etag, data, saved_at }
  db.createObjectStore("outbox", { keyPath: "client_uuid" }).createIndex("seq", "seq", { unique: true });
  db.createObjectStore("refused", { keyPath: "client_uuid" }).createIndex("seq", "seq");
  db.createObjectStore("blobs"); // client_uuid → a photo, until the server has it
  db.createObjectStore("meta"); // session, last_sync, the seq counter, drafts
}

let opening = null;

export function open() {
  opening ||= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => upgrade(request.result);
    request.onsuccess = () => {
      const db = request.result;
      // A newer version of the app opened in another tab: step aside so its upgrade can run.
      db.onversionchange = () => { db.close(); opening = null; };
      resolve(db);
    };
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

export function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function wrap(store) {
  return {
    get: (key) => promised(store.get(key)),
    put: (value, key) => promised(key === undefined ? store.put(value) : store.put(value, key)),
    delete: (key) => promised(store.delete(key)),
    all: (index) => promised(index ? store.index(index).getAll() : store.getAll()),
    count: () => promised(store.count()),
  };
}

// tx(["outbox", "blobs"], "readwrite", async ({ outbox, blobs }) => { ... }) → what work returned,
// once the transaction has committed.
export async function tx(names, mode, work) {
  const list = [].concat(names);
  const transaction = (await open()).transaction(list, mode);
  const done = new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onabort = () => reject(transaction.error || new DOMException("事务中止", "AbortError"));
  });
  let result;
  try {
    result = await work(Object.fromEntries(list.map((name) => [name, wrap(transaction.objectStore(name))])));
  } catch (error) {
    done.catch(() => {}); // the abort below is ours: report the error that caused it
    try { transaction.abort(); } catch { /* already finished */ }
    throw error;
  }
  await done;
  return result;
}

export const get = (store, key) => tx(store, "readonly", (s) => s[store].get(key));
export const put = (store, value, key) => tx(store, "readwrite", (s) => s[store].put(value, key));
export const remove = (store, key) => tx(store, "readwrite", (s) => s[store].delete(key));
