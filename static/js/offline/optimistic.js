// What a waiting action does to the phone's copy of a job, before the server has answered.
// Mirrors the server's rules (app/work_orders/services.py TRANSITIONS, app/clocks, app/visits) just
// far enough to draw the next screen at once; the server's answer replaces the job when it comes.
import { minimumAt, standardOf } from "../field/standard.js";
import { tenthsOf } from "../slips/content.js";

// app/work_orders/vocabulary.py: the words the server would send back.
const STATUS_LABELS = {
  dispatched: "已派单", accepted: "已接单", on_the_way: "在途", on_site: "已到场", done: "已完工",
};
const ACTION_LABELS = { accept: "接单", contact: "已联系客户", tell: "已告知客户可能迟到", depart: "出发", arrive: "到场",
  complete: "完工" };
const OPEN = ["new", "dispatched", "accepted", "on_the_way", "on_site"];

// The technician's part of the state machine: from which statuses, to which, and the stamp it sets.
const TRANSITIONS = {
  accept: { from: ["dispatched"], to: "accepted", stamp: "accepted_at" },
  contact: { from: ["dispatched", "accepted", "on_the_way"], to: null, stamp: "contacted_at" },
  tell: { from: ["dispatched", "accepted", "on_the_way"], to: null, stamp: "customer_told_at" },
  depart: { from: ["accepted"], to: "on_the_way", stamp: "departed_at" },
  arrive: { from: ["on_the_way"], to: "on_site", stamp: "arrived_at" },
  complete: { from: ["on_site"], to: "done", stamp: "done_at" },
};
const CLOCK_STAMPS = { contact: "contacted_at", on_site: "arrived_at", fixed: "done_at" };

function emptyVisit(startedAt) {
  return { id: null, started_at: startedAt, finished_at: null, steps: [], notes: [], readings: [],
    repair: null, damages: [], photos: [], materials: [] };
}

// The visit being done now: the server's, or an empty one between arriving and the first record
// (the server opens its visit at the first record).
export function currentVisit(job) {
  if (job.visit) return job.visit;
  return job.status === "on_site" ? emptyVisit(job.arrived_at) : null;
}

function refreshClocks(job) {
  const now = Date.now();
  for (const clock of job.clocks || []) {
    clock.met_at = job[CLOCK_STAMPS[clock.name]] || null;
    if (clock.met_at) clock.state = Date.parse(clock.met_at) <= Date.parse(clock.due_at) ? "met" : "late";
    else clock.state = now > Date.parse(clock.due_at) ? "overdue" : "running";
  }
  const open = (job.clocks || []).filter((clock) => !clock.met_at).map((clock) => clock.due_at);
  job.next_due_at = OPEN.includes(job.status) && open.length
    ? open.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)) : null;
}

function transition(job, { action }, at, user) {
  const rule = TRANSITIONS[action];
  if (!rule || !rule.from.includes(job.status) || job[rule.stamp]) return;
  const from = job.status;
  job[rule.stamp] = at;
  if (action === "arrive") {
    job.contacted_at ||= at; // standing at the door is contact
    if (!job.visit || job.visit.finished_at) job.visit = emptyVisit(at);
  }
  if (rule.to) job.status = rule.to;
  job.status_label = STATUS_LABELS[job.status] || job.status_label;
  job.history = [...job.history, { action, action_label: ACTION_LABELS[action], from_status: from,
    to_status: job.status, actor: user.name, at, device_time: at, note: null, pending: true }];
  job.allowed_actions = Object.entries(TRANSITIONS)
    .filter(([, t]) => t.from.includes(job.status) && !job[t.stamp]).map(([name]) => name);
  refreshClocks(job);
}

// How each kind of record lands in the visit; `labels` are the bundle's checklist words.
const RECORDS = {
  step(visit, p, at, steps) {
    visit.steps.push({ step: p.step, outcome: p.outcome, reason: p.reason || null, note: p.note || null, at,
      pending: true });
    if (p.step === steps[steps.length - 1].code) visit.finished_at = at;
  },
  note: (visit, p, at) => visit.notes.push({ step: p.step || null, text: p.text, at, pending: true }),
  reading(visit, p, at, steps, checklist) {
    const minimum = minimumAt(standardOf(checklist), at);
    visit.readings.push({ room: p.room, room_label: checklist.rooms[p.room], celsius: p.celsius,
      minimum_tenths: minimum, below_standard: tenthsOf(p.celsius) < minimum, at, measured_at: at, pending: true });
  },
  repair(visit, p, at, steps, checklist) {
    visit.repair = { ...p, fault_location_label: checklist.fault_locations[p.fault_location],
      resolution_label: checklist.resolutions[p.resolution], at, pending: true };
  },
  damage: (visit, p, at) => visit.damages.push({ description: p.description, at, pending: true }),
  material(visit, p, at, steps, checklist, materials) {
    const known = materials.find((m) => m.material_id === p.material_id) || {};
    visit.materials ||= [];
    visit.materials.push({ material_id: p.material_id, code: known.code, name: known.name,
      specification: known.specification, unit: known.unit, quantity_centi: p.quantity_centi, below_zero: false,
      at, pending: true });
  },
};

// A slip signed on the phone and not yet sent: 待上传, with no serial until the server gives one.
function pendingSlip({ payload }) {
  const { content } = payload;
  return { id: null, serial: null, status: "pending", status_label: "待上传", charged: content.charged,
    total_fen: content.total_fen, payment_method: payload.payment.method, collected_fen: payload.payment.collected_fen,
    signed_at: payload.signed_at, content_sha256: payload.content_sha256, replaces: payload.replaces, pending: true };
}

// A copy of the server's job with the waiting items (oldest first) applied. blobs: client_uuid → Blob.
export function applyWaiting(job, items, { checklist, user, blobs, materials = [] }) {
  const copy = structuredClone(job);
  for (const item of items) {
    const at = item.device_time;
    if (item.type === "transition") {
      transition(copy, item.payload, at, user);
      continue;
    }
    if (item.type === "sign_slip") {
      copy.slip = pendingSlip(item);
      continue;
    }
    copy.visit = currentVisit(copy) || emptyVisit(at);
    if (item.type === "photo") {
      copy.visit.photos.push({ client_uuid: item.client_uuid, step: item.payload.step, kind: item.payload.kind,
        upload_sha256: item.payload.upload_sha256 || null, blob: blobs.get(item.client_uuid) || null,
        taken_at: at, pending: true });
    } else {
      RECORDS[item.type]?.(copy.visit, item.payload, at, checklist.steps, checklist, materials);
    }
  }
  copy.waiting = items.length;
  return copy;
}
