// 我的工单: the technician's open jobs, nearest deadline first (the server's order is kept).
import { describeDeadline } from "../clocks/countdown.js";
import { h } from "./dom.js";
import { formatDateTime, formatDoor, nextClock } from "./format.js";

// A live countdown element: countdown.js keeps its text and colour class up to date.
export function countdown(dueIso, extraClass) {
  const { text, state } = describeDeadline(dueIso);
  return h("span", {
    class: ["countdown", `countdown--${state}`, extraClass], data: { due: dueIso, state },
  }, text);
}

export function urgentBadge(job) {
  return job.urgent ? h("span", { class: "badge badge--urgent" }, "紧急") : null;
}

function deadlineLine(job, timeZone) {
  const clock = nextClock(job);
  const parts = [];
  if (job.next_due_at) {
    parts.push(h("span", { class: "deadline__label" }, clock ? `${clock.label}时限` : "时限"),
      countdown(job.next_due_at));
  }
  if (job.appointment_at) {
    parts.push(h("span", { class: "deadline__appointment" }, `预约 ${formatDateTime(job.appointment_at, timeZone)}`));
  }
  return parts.length ? h("p", { class: "deadline" }, parts) : null;
}

function jobCard(job, timeZone) {
  const household = job.household;
  return h("li", {},
    h("a", { class: ["job-card", job.urgent && "job-card--urgent"], href: `#/jobs/${job.id}`, data: { jobId: job.id } },
      h("span", { class: "job-card__top" },
        urgentBadge(job),
        h("span", { class: "job-card__category" }, job.category_label),
        h("span", { class: "status-chip" }, job.status_label)),
      h("span", { class: "job-card__estate" }, household.estate),
      h("span", { class: "job-card__door" }, formatDoor(household)),
      h("span", { class: "job-card__description" }, job.description),
      deadlineLine(job, timeZone)));
}

// jobs: the /me/jobs array; user: the signed-in technician; onRefresh: reload from the server.
export function renderJobs(jobs, { user, timeZone, onRefresh, error }) {
  const summary = jobs.length ? `共 ${jobs.length} 单未完成` : "";
  return h("section", { class: "jobs" },
    h("div", { class: "jobs__bar" },
      h("p", { class: "jobs__who" }, h("strong", {}, user.name), ` 工号 ${user.badge_number || user.username}`,
        summary && h("span", { class: "jobs__count" }, summary)),
      h("button", { class: "button button--secondary button--small", type: "button", on: { click: onRefresh } },
        "刷新")),
    error ? h("p", { class: "notice notice--error", role: "alert" }, error) : null,
    jobs.length
      ? h("ol", { class: "job-list" }, jobs.map((job) => jobCard(job, timeZone)))
      : h("p", { class: "empty" }, "暂时没有派给您的工单。", h("br"), "有新工单时会显示在这里。"));
}
