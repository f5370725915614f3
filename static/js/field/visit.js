// The visit (十个一入户服务法): one screen per on-site step, in the order of the bundle's checklist,
// resuming at the first step not yet recorded; after 一别, the summary and 完工. Everything here is
// drawn from the phone's copy, so the whole visit can be done in airplane mode.
import { currentVisit } from "../offline/optimistic.js";
import { h } from "./dom.js";
import { refusedBanner } from "./refused.js";
import { nextStep, renderStep } from "./step.js";
import { renderSummary } from "./summary.js";

const MARKS = { done: "✓", skipped: "跳过", current: "当前", todo: "" };

// The nine steps across the top: done (✓), skipped (跳过) or current, in words as well as colour.
function progress(visit, checklist, currentCode) {
  const byCode = new Map(visit.steps.map((record) => [record.step, record]));
  return h("ol", { class: "progress", "aria-label": "入户服务进度" }, checklist.steps.map((step) => {
    const record = byCode.get(step.code);
    const state = record ? record.outcome : step.code === currentCode ? "current" : "todo";
    return h("li", { class: ["progress__step", `progress__step--${state}`],
      "aria-current": state === "current" ? "step" : null, title: step.title },
    h("span", { class: "progress__label" }, step.label), h("span", { class: "progress__mark" }, MARKS[state]));
  }));
}

// Which screen of the visit is showing: a new one scrolls to the top and takes the focus.
export function visitScreen(job, checklist) {
  const visit = currentVisit(job);
  const step = visit && job.status === "on_site" ? nextStep(visit, checklist) : null;
  return { visit, step, key: step ? step.code : "summary" };
}

export function renderVisit(job, context) {
  const { visit, step } = visitScreen(job, context.checklist);
  if (!visit) {
    return h("section", { class: "panel" },
      h("p", { class: "notice notice--error" }, `工单当前为“${job.status_label}”,到场后才能开始入户服务。`),
      h("a", { class: "button button--secondary button--block", href: `#/jobs/${job.id}` }, "返回工单"));
  }
  return h("div", { class: "visit" },
    refusedBanner(job.refused || [], { checklist: context.checklist }),
    progress(visit, context.checklist, step?.code),
    step ? renderStep(job, visit, step, context) : renderSummary(job, visit, context));
}
