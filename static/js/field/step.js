// One step of the visit: what to do (the bundle's hint), its photos, a note, and one clear action
// at the bottom — 完成此步 — with 跳过 beside it, which asks why (the server refuses a skip without one).
import { quoteBlockers, slipBlockers, slipSection } from "../slips/visit-parts.js";
import { h, textArea } from "./dom.js";
import { photoSlot } from "./photo.js";
import { measuresRooms, readingBlockers, repairBlockers, repairForm } from "./repair.js";
import { stepLine } from "./summary.js";

const SKIP_REASONS = ["客户不需要", "现场条件不允许", "本次维修不涉及"];

// The step to do now: the first not yet recorded (the server takes them strictly in order).
export function nextStep(visit, checklist) {
  const recorded = new Set(visit.steps.map((s) => s.step));
  return checklist.steps.find((step) => !recorded.has(step.code)) || null;
}

export function photosOf(visit, step, kind) {
  return visit.photos.filter((photo) => photo.step === step.code && photo.kind === kind);
}

function skipPanel(step, { draft, onDraft, onFinish, repaint }) {
  const confirm = h("button", { class: "button button--warning button--block", type: "button",
    disabled: !draft.reason?.trim(), data: { action: "confirm-skip" }, on: { click: () => onFinish(step, "skipped") } },
  "确认跳过");
  const reason = textArea("skip-reason", "跳过原因(必填)", draft.reason, (value) => {
    onDraft({ reason: value });
    confirm.disabled = !value.trim();
  }, { rows: 2, required: true });
  const pick = (text) => { onDraft({ reason: text }); repaint(); };
  return h("div", { class: "action-bar action-bar--skip" },
    h("p", { class: "action-bar__question" }, `为什么跳过“${step.title}”?`),
    h("div", { class: "chips" }, SKIP_REASONS.map((text) =>
      h("button", { class: "chip", type: "button", on: { click: () => pick(text) } }, text))),
    reason,
    confirm,
    h("button", { class: "button button--secondary button--block", type: "button",
      on: { click: () => { onDraft({ skipping: false }); repaint(); } } }, "不跳过,返回此步"));
}

function photoSlots(visit, step, context) {
  if (!step.photos.length) return null;
  return h("div", { class: "step__photos" }, step.photos.map((kind) => photoSlot({
    id: `photo-${step.code}-${kind}`, step: step.code, kind, label: context.checklist.photo_kinds[kind] || kind,
    photos: photosOf(visit, step, kind), busy: context.busyPhoto === `${step.code}:${kind}`,
    onFile: (file) => context.onPhoto(step, kind, file),
  })));
}

// What is already recorded, with its time; folded away so the step at hand stays on top.
function recorded(visit, { checklist, timeZone }) {
  if (!visit.steps.length) return null;
  const byCode = new Map(checklist.steps.map((s) => [s.code, s]));
  return h("details", { class: "recorded" },
    h("summary", { class: "recorded__summary" }, `已记录 ${visit.steps.length} 步(查看时间)`),
    h("ol", { class: "summary-steps" }, visit.steps.map((record) =>
      stepLine(record, byCode.get(record.step) || { label: "", title: record.step }, timeZone))));
}

// What 完成此步 still waits for: photos; on 一修 the record (a 测温 order's readings, a paid quote the
// customer agreed to); on 一别 the signed slip.
function blockersOf(job, visit, step, context) {
  const missing = step.photos.filter((kind) => !photosOf(visit, step, kind).length)
    .map((kind) => `${context.checklist.photo_kinds[kind] || kind}照片`);
  if (step.code === "repair") {
    const { draft, quote } = context;
    return [...missing, ...repairBlockers(visit, draft), ...readingBlockers(job, visit),
      ...quoteBlockers(visit, draft, quote)];
  }
  return step.code === "goodbye" ? [...missing, ...slipBlockers(job, visit)] : missing;
}

// context: { checklist, draft, onDraft, onPhoto, onReading, onFinish, repaint, busyPhoto, timeZone }
export function renderStep(job, visit, step, context) {
  const { checklist, draft } = context;
  const index = checklist.steps.findIndex((s) => s.code === step.code);
  const finish = h("button", { class: "button button--primary button--block button--huge", type: "button",
    data: { action: "finish" }, "aria-describedby": "step-blockers",
    on: { click: () => context.onFinish(step, "done") } }, "完成此步");
  const blockers = h("p", { class: "notice notice--todo", id: "step-blockers" });
  const refresh = () => {
    const left = blockersOf(job, visit, step, context);
    finish.disabled = left.length > 0;
    blockers.hidden = !left.length;
    blockers.textContent = `完成此步前还需:${left.join("、")}`;
  };
  const onDraft = (patch) => { context.onDraft(patch); refresh(); };
  refresh();
  // Goodbye without the customer's signature is not a skip either, nor a 测温 order's 一修 (000 八).
  const skippable = !(step.code === "goodbye" && slipBlockers(job, visit).length)
    && !(step.code === "repair" && measuresRooms(job));
  const skip = skippable ? h("button", { class: "button button--secondary button--block", type: "button",
    data: { action: "skip" }, on: { click: () => { context.onDraft({ skipping: true }); context.repaint(); } } },
  "跳过此步") : null;
  const bar = draft.skipping && skippable ? skipPanel(step, context)
    : h("div", { class: "action-bar" }, blockers, finish, skip);
  return h("section", { class: "step", data: { step: step.code } },
    h("header", { class: "step__head" },
      h("p", { class: "step__count" }, `十个一 · 入户 ${checklist.steps.length} 步中的第 ${index + 1} 步`),
      h("h2", { class: "step__title", id: "step-title", tabindex: "-1" },
        h("span", { class: "step__label" }, step.label), step.title),
      h("p", { class: "step__hint" }, step.hint)),
    context.photoError ? h("p", { class: "notice notice--error", role: "alert" }, context.photoError) : null,
    photoSlots(visit, step, context),
    step.code === "repair" ? repairForm(visit, { ...context, job, onDraft }) : null,
    step.code === "goodbye" ? slipSection(job, visit, context) : null,
    textArea(`note-${step.code}`, "备注(可不填)", draft.note, (value) => onDraft({ note: value }), { rows: 2 }),
    recorded(visit, context),
    bar);
}
