// One job: who, where, what, its clocks and history, and the one next step at the bottom.
import { h } from "./dom.js";
import { formatDateTime, formatDoor, formatPhone, nextClock, telHref } from "./format.js";
import { countdown, urgentBadge } from "./jobs.js";

// The technician's road in this issue; 完工 is left out on purpose (it will be gated on the
// visit checklist and the signed slip).
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
    h("span", { class: "history__what" }, change.action_label, change.actor ? ` · ${change.actor}` : ""),
    h("time", { class: "history__when", datetime: change.at }, formatDateTime(change.at, timeZone)),
    change.note ? h("span", { class: "history__note" }, change.note) : null);
}

// The bottom bar: a calm word when there is nothing to press, else the next step.
function actionBar(job, { busy, message, onAction }) {
  const main = MAIN_ACTIONS.find(([name]) => job.allowed_actions.includes(name));
  const button = (name, label, kind) => h("button", {
    class: ["button", "button--block", kind], type: "button", disabled: Boolean(busy),
    data: { action: name }, on: { click: () => onAction(name) },
  }, busy === name ? "正在提交…" : label);
  return h("div", { class: "action-bar" },
    message ? h("p", { class: ["notice", `notice--${message.kind}`], role: "alert" }, message.text) : null,
    job.status === "on_site" ? h("p", { class: "notice notice--calm" }, "已到场 — 入户服务步骤将在此进行") : null,
    job.allowed_actions.includes("contact") ? button("contact", "已联系客户", "button--secondary") : null,
    main ? button(main[0], main[1], "button--primary") : null);
}

// state: { busy: action name while posting, message: {kind, text} } — owned by app.js.
export function renderJob(job, { timeZone, busy = null, message = null, onAction }) {
  return h("article", { class: "detail" },
    header(job),
    customer(job),
    section("故障描述", h("p", { class: "description" }, job.description)),
    job.appointment_at ? section("预约", h("p", {}, formatDateTime(job.appointment_at, timeZone))) : null,
    job.clocks.length ? section("时限", h("ul", { class: "clocks" }, job.clocks.map((c) => clockItem(c, timeZone)))) : null,
    section("处理记录", h("ol", { class: "history", reversed: true },
      [...job.history].reverse().map((c) => historyItem(c, timeZone)))),
    actionBar(job, { busy, message, onAction }));
}
