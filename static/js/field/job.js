// One job: who, where, what, its clocks and history, and the one next step at the bottom.
import { currentVisit } from "../offline/optimistic.js";
import { slipCard } from "../slips/slip-card.js";
import { h } from "./dom.js";
import { formatDateTime, formatDoor, formatPhone, nextClock, telHref } from "./format.js";
import { countdown, urgentBadge } from "./jobs.js";
import { lateRisk } from "./lateness.js";
import { refusedBanner } from "./refused.js";

// The road to the door; from 到场 on, the visit screens lead (and 完工 is at the end of the visit).
const MAIN_ACTIONS = [
  ["accept", "接单"],
  ["depart", "出发"],
  ["arrive", "到场"],
];
const CLOCK_STATES = { met: "已按时完成", late: "超时完成" };

function section(title, ...body) {
  return h("section", { class: "detail-section" }, h("h3", { class: "detail-section__title" }, title), body);
}

function header(job) {
  const clock = nextClock(job);
  return h("header", { class: ["detail-head", job.urgent && "detail-head--urgent"] },
    h("p", { class: "detail-head__tags" }, urgentBadge(job), h("span", {}, job.category_label)),
    h("h2", { class: "detail-head__status", id: "job-status", tabindex: "-1" }, job.status_label),
    h("p", { class: "detail-head__number" }, `工单号 ${job.number}`),
    job.next_due_at ? h("p", { class: "deadline deadline--big" },
      h("span", { class: "deadline__label" }, clock ? `${clock.label}时限` : "时限"),
      countdown(job.next_due_at)) : null);
}

function customer(job) {
  const household = job.household;
  return section("客户",
    h("p", { class: "customer__name" }, household.name, h("span", { class: "muted" }, ` 户号 ${household.account_number}`)),
    h("a", { class: "button button--call button--block", href: telHref(household.phone) },
      h("span", { class: "icon icon--phone", "aria-hidden": "true" }), `拨打 ${formatPhone(household.phone)}`),
    h("p", { class: "address" },
      h("span", { class: "address__estate" }, household.estate), " ",
      h("span", { class: "address__door" }, formatDoor(household))));
}

function clockItem(clock, timeZone) {
  const due = `截止 ${formatDateTime(clock.due_at, timeZone)}`;
  const open = clock.state === "running" || clock.state === "overdue";
  const outcome = open
    ? countdown(clock.due_at)
    : h("span", { class: ["clock-state", `clock-state--${clock.state}`] },
      `${CLOCK_STATES[clock.state]} ${formatDateTime(clock.met_at, timeZone)}`);
  return h("li", { class: "clock" },
    h("span", { class: "clock__label" }, clock.label), h("span", { class: "clock__due" }, due), outcome);
}

function historyItem(change, timeZone) {
  return h("li", { class: "history__item" },
    h("span", { class: "history__what" }, change.action_label, change.actor ? ` · ${change.actor}` : "",
      change.pending ? h("span", { class: "tag tag--waiting" }, "待上传") : null),
    h("time", { class: "history__when", datetime: change.at }, formatDateTime(change.at, timeZone)),
    change.note ? h("span", { class: "history__note" }, change.note) : null);
}

// Not yet on the way when the appointment is near: call the customer now, then say so with one tap.
function lateNotice(job, { timeZone, onAction }) {
  const risk = lateRisk(job);
  if (risk === "told") {
    return h("p", { class: "notice notice--calm" }, `已告知客户可能迟到 ${formatDateTime(job.customer_told_at, timeZone)}`);
  }
  if (risk !== "at_risk") return null;
  return h("section", { class: "late-notice", role: "alert" },
    h("p", { class: "late-notice__text" },
      `预约 ${formatDateTime(job.appointment_at, timeZone)},您还没有出发:请现在打电话告诉客户可能晚到。`),
    h("a", { class: "button button--call button--block", href: telHref(job.household.phone) },
      h("span", { class: "icon icon--phone", "aria-hidden": "true" }), `拨打 ${formatPhone(job.household.phone)}`),
    h("button", { class: "button button--secondary button--block", type: "button", data: { action: "tell" },
      on: { click: () => onAction("tell") } }, "已告知客户"));
}

function visitSection(job, checklist) {
  const visit = currentVisit(job);
  if (!visit || !checklist) return null;
  const total = checklist.steps.length;
  const text = visit.finished_at ? `${total} 步已全部记录` : `已记录 ${visit.steps.length} / ${total} 步`;
  return section("入户服务", h("p", { class: "visit-progress-text" }, text));
}

// The bottom bar: the next step of the road, or the visit once at the door.
function actionBar(job, { checklist, timeZone, onAction }) {
  const main = MAIN_ACTIONS.find(([name]) => job.allowed_actions.includes(name));
  const button = (name, label, kind) => h("button", {
    class: ["button", "button--block", kind], type: "button", data: { action: name }, on: { click: () => onAction(name) },
  }, label);
  const visit = currentVisit(job);
  const started = visit && (visit.steps.length || visit.photos.length);
  const visitLink = job.status === "on_site" && checklist ? h("a", {
    class: "button button--primary button--block", href: `#/jobs/${job.id}/visit`,
  }, visit?.finished_at ? "查看小结并完工" : started ? "继续入户服务" : "开始入户服务") : null;
  return h("div", { class: "action-bar" },
    job.status === "done" ? h("p", { class: "notice notice--calm" }, `已完工 ${formatDateTime(job.done_at, timeZone)}`) : null,
    job.allowed_actions.includes("contact") ? button("contact", "已联系客户", "button--secondary") : null,
    visitLink,
    main ? button(main[0], main[1], "button--primary") : null);
}

export function renderJob(job, { timeZone, checklist, onAction }) {
  return h("article", { class: "detail" },
    refusedBanner(job.refused || [], { checklist }),
    header(job),
    customer(job),
    section("故障描述", h("p", { class: "description" }, job.description)),
    job.appointment_at ? section("预约", h("p", {}, formatDateTime(job.appointment_at, timeZone)),
      lateNotice(job, { timeZone, onAction })) : null,
    job.clocks.length ? section("时限", h("ul", { class: "clocks" }, job.clocks.map((c) => clockItem(c, timeZone)))) : null,
    visitSection(job, checklist),
    slipCard(job.slip, { timeZone, signHref: job.slip?.status === "voided" ? `#/jobs/${job.id}/slip` : null }),
    section("处理记录", h("ol", { class: "history", reversed: true },
      [...job.history].reverse().map((c) => historyItem(c, timeZone)))),
    actionBar(job, { checklist, timeZone, onAction }));
}

// A job no longer in the technician's list (reassigned, cancelled) that the phone still has records for.
export function renderGoneJob(refused, checklist) {
  return h("section", { class: "panel" },
    h("h2", { class: "panel__title" }, "这张工单已不在您的列表中"),
    h("p", {}, "可能已改派给其他师傅或已取消。手机上为它记录的内容不会丢失。"),
    refusedBanner(refused, { checklist }),
    h("a", { class: "button button--secondary button--block", href: "#/jobs" }, "返回我的工单"));
}
