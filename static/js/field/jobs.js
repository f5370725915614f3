// 我的工单: the technician's open jobs, nearest deadline first (the server's order is kept), then
// those finished today. Drawn from the phone's copy, so it opens in a cellar.
import { describeDeadline } from "../clocks/countdown.js";
import { h } from "./dom.js";
import { formatDateTime, formatDoor, nextClock } from "./format.js";
import { lateRisk } from "./lateness.js";
import { refusedBanner } from "./refused.js";

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

// Words beside the colour: what is still on the phone for this job.
function localTags(job) {
  const open = (job.refused || []).filter((item) => !item.acknowledged).length;
  return [
    lateRisk(job) === "at_risk" ? h("span", { class: "tag tag--late" }, "可能迟到:请先告知客户") : null,
    job.waiting ? h("span", { class: "tag tag--waiting" }, `${job.waiting} 条待上传`) : null,
    open ? h("span", { class: "tag tag--refused" }, `${open} 条被退回`) : null,
  ];
}

function jobCard(job, timeZone) {
  const household = job.household;
  const done = job.status === "done";
  return h("li", {},
    h("a", { class: ["job-card", job.urgent && !done && "job-card--urgent", done && "job-card--done"],
      href: `#/jobs/${job.id}`, data: { jobId: job.id } },
      h("span", { class: "job-card__top" },
        done ? null : urgentBadge(job),
        h("span", { class: "job-card__category" }, job.category_label),
        h("span", { class: ["status-chip", done && "status-chip--done"] }, job.status_label)),
      h("span", { class: "job-card__estate" }, household.estate),
      h("span", { class: "job-card__door" }, formatDoor(household)),
      h("span", { class: "job-card__description" }, job.description),
      done ? null : deadlineLine(job, timeZone),
      h("span", { class: "job-card__tags" }, localTags(job))));
}

// jobs: the local view (null: never downloaded); onRefresh: send and pull now; notice: a calm line.
export function renderJobs(jobs, { user, timeZone, onRefresh, notice, refused = [], checklist = null }) {
  const open = (jobs || []).filter((job) => job.status !== "done");
  const done = (jobs || []).filter((job) => job.status === "done");
  const summary = open.length ? `共 ${open.length} 单未完成` : "";
  return h("section", { class: "jobs" },
    h("div", { class: "jobs__bar" },
      h("p", { class: "jobs__who" }, h("strong", {}, user.name), ` 工号 ${user.badge_number || user.username}`,
        summary && h("span", { class: "jobs__count" }, summary)),
      h("button", { class: "button button--secondary button--small", type: "button", on: { click: onRefresh } },
        "刷新")),
    notice ? h("p", { class: ["notice", `notice--${notice.kind}`], role: "status" }, notice.text) : null,
    refusedBanner(refused, { checklist, withJob: true }),
    jobs === null ? h("p", { class: "empty" }, "正在下载您的工单…", h("br"), "需要网络,下载后无信号也能查看。")
      : open.length ? h("ol", { class: "job-list" }, open.map((job) => jobCard(job, timeZone)))
        : h("p", { class: "empty" }, done.length ? "没有未完成的工单。" : "暂时没有派给您的工单。", h("br"),
          "有新工单时会显示在这里。"),
    done.length ? h("h2", { class: "jobs__section" }, "今日已完工") : null,
    done.length ? h("ol", { class: "job-list job-list--done" }, done.map((job) => jobCard(job, timeZone))) : null,
    h("p", { class: "jobs__account" }, h("a", { href: "#/password" }, "修改密码")));
}
