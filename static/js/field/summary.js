// After 一别: everything recorded in the flat on one screen, then 完工 (the server accepts it only
// once all nine steps are recorded, which they are by now).
import { slipSection } from "../slips/visit-parts.js";
import { h } from "./dom.js";
import { formatDateTime } from "./format.js";
import { thumbnail } from "./photo.js";
import { materialItem, readingItem, repairSummary } from "./repair.js";

export function stepLine(record, step, timeZone) {
  const skipped = record.outcome === "skipped";
  return h("li", { class: ["summary-step", skipped && "summary-step--skipped"] },
    h("span", { class: "summary-step__name" }, `${step.label} ${step.title}`),
    h("span", { class: skipped ? "tag tag--skipped" : "tag tag--done" }, skipped ? "跳过" : "✓ 完成"),
    h("span", { class: "summary-step__when" }, formatDateTime(record.at, timeZone).slice(11)),
    record.pending ? h("span", { class: "tag tag--waiting" }, "待上传") : null,
    skipped ? h("span", { class: "summary-step__note" }, `原因:${record.reason}`) : null,
    record.note ? h("span", { class: "summary-step__note" }, `备注:${record.note}`) : null);
}

function block(title, ...body) {
  return h("section", { class: "detail-section" }, h("h3", { class: "detail-section__title" }, title), body);
}

function completeBar(job, visit, { onComplete }) {
  if (job.status === "done") {
    return h("div", { class: "action-bar" },
      h("p", { class: "notice notice--calm" }, "已完工,工单将由客服部回访。"),
      h("a", { class: "button button--secondary button--block", href: "#/jobs" }, "返回我的工单"));
  }
  if (job.status !== "on_site" || !visit.finished_at) {
    return h("div", { class: "action-bar" },
      h("p", { class: "notice notice--error" }, `工单当前为“${job.status_label}”,不能继续记录。`));
  }
  return h("div", { class: "action-bar" },
    h("p", { class: "action-bar__question" }, "全部步骤已记录。确认无误后点“完工”。"),
    h("button", { class: "button button--primary button--block button--huge", type: "button",
      data: { action: "complete" }, on: { click: onComplete } }, "完工"));
}

export function renderSummary(job, visit, context) {
  const { checklist, timeZone } = context;
  const byCode = new Map(checklist.steps.map((step) => [step.code, step]));
  const done = visit.steps.filter((s) => s.outcome === "done").length;
  const kinds = checklist.photo_kinds;
  return h("section", { class: "summary" },
    h("header", { class: "step__head" },
      h("h2", { class: "step__title", id: "step-title", tabindex: "-1" }, "入户服务小结"),
      h("p", { class: "step__hint" }, `入户 ${visit.steps.length} 步:完成 ${done} 步,跳过 ${visit.steps.length - done} 步。`
        + "第十个“一访”是客服中心完工后的回访,不在手机上做。")),
    block("步骤", h("ol", { class: "summary-steps" },
      visit.steps.map((record) => stepLine(record, byCode.get(record.step) || { label: "", title: record.step }, timeZone)))),
    visit.photos.length ? block(`照片(${visit.photos.length} 张)`, h("div", { class: "thumbs" }, visit.photos.map((photo) =>
      thumbnail(photo, `${byCode.get(photo.step)?.label || ""}${kinds[photo.kind] || photo.kind}`)))) : null,
    visit.repair ? block("维修情况", repairSummary(visit.repair, timeZone)) : null,
    visit.materials?.length ? block("使用材料(公司承担)", h("ul", { class: "material-list" },
      visit.materials.map(materialItem))) : null,
    visit.readings.length ? block("室温", h("ul", { class: "reading-list" },
      visit.readings.map((r) => readingItem(r, timeZone)))) : null,
    visit.damages.length ? block("客户造成的损坏", visit.damages.map((d) => h("p", {}, d.description)),
      h("p", { class: "muted" }, "需客户在服务单上签字确认")) : null,
    slipSection(job, visit, context),
    completeBar(job, visit, context));
}
