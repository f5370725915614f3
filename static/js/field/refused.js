// What the server refused, said plainly: which job, what was captured, when, and the server's own
// words. Nothing is dropped: the record stays on the phone (and the desk sees the server's copy).
import { h } from "./dom.js";
import { formatDateTime } from "./format.js";
import { thumbnail } from "./photo.js";

const ACTIONS = { accept: "接单", contact: "已联系客户", depart: "出发", arrive: "到场", complete: "完工" };
// What the status usually means for a technician, after the server's message.
const HINTS = {
  404: "这张工单可能已改派给其他师傅或已取消,请联系调度。",
  409: "工单的状态已经变了,请联系调度核对。",
  422: "内容不符合要求,请按提示重新记录。",
};

function stepName(code, checklist) {
  const step = checklist?.steps.find((s) => s.code === code);
  return step ? `${step.label} ${step.title}` : code;
}

// "一敲 敲门 · 完成", "一修 维修 · 修前照片", "室温 卧室 17.5 °C"…
export function describe(item, checklist) {
  const p = item.payload;
  switch (item.type) {
    case "transition": return ACTIONS[p.action] || p.action;
    case "step": return `${stepName(p.step, checklist)} · ${p.outcome === "done" ? "完成" : `跳过(${p.reason})`}`;
    case "photo": return `${stepName(p.step, checklist)} · ${checklist?.photo_kinds[p.kind] || p.kind}照片`;
    case "reading": return `室温 ${checklist?.rooms[p.room] || p.room} ${p.celsius} °C`;
    case "repair": return `维修情况:${p.diagnosis}`;
    case "damage": return `客户造成的损坏:${p.description}`;
    case "sign_slip": return "客户服务单签名";
    default: return `备注:${p.text}`;
  }
}

function refusedItem(item, { checklist, timeZone, blobs, onAcknowledge }) {
  const photo = item.type === "photo" && blobs.get(item.client_uuid);
  return h("li", { class: ["refused", item.acknowledged && "refused--seen"], data: { uuid: item.client_uuid } },
    h("p", { class: "refused__what" }, describe(item, checklist)),
    h("p", { class: "refused__job" }, `工单 ${item.job.number} · ${item.job.place}`),
    h("p", { class: "refused__message" }, `服务器退回:${item.error.message}`),
    HINTS[item.status] ? h("p", { class: "refused__hint" }, HINTS[item.status]) : null,
    h("p", { class: "refused__when" }, `记录于 ${formatDateTime(item.device_time, timeZone)}`),
    photo ? thumbnail({ client_uuid: item.client_uuid, blob: photo }, "被退回的") : null,
    item.acknowledged ? h("p", { class: "refused__seen" }, "已知晓 · 记录仍保存在手机上")
      : h("button", { class: "button button--secondary button--block", type: "button",
        on: { click: () => onAcknowledge(item.client_uuid) } }, "知道了"));
}

// The banner on a job (or the list) while something refused has not been acknowledged: what it
// was, and the server's words.
export function refusedBanner(items, { checklist = null, withJob = false } = {}) {
  const open = items.filter((item) => !item.acknowledged);
  if (!open.length) return null;
  const line = (item) => h("li", {}, withJob ? `${item.job.number} ` : "", h("strong", {}, describe(item, checklist)),
    `:${item.error.message}`);
  return h("section", { class: "refused-banner", role: "alert" },
    h("h3", { class: "refused-banner__title" }, `⚠ ${open.length} 条记录被服务器退回`),
    h("ul", { class: "refused-banner__list" }, open.slice(0, 3).map(line),
      open.length > 3 ? h("li", {}, `另有 ${open.length - 3} 条`) : null),
    h("a", { class: "button button--secondary button--block", href: "#/refused" }, "查看详情"));
}

export function renderRefused(items, context) {
  const list = [...items].sort((a, b) => Number(a.acknowledged) - Number(b.acknowledged) || b.seq - a.seq);
  return h("section", { class: "refused-screen" },
    h("p", { class: "refused-screen__intro" },
      "以下记录没有被服务器接受。记录仍保存在手机上,调度台也能看到被退回的原因。"),
    list.length ? h("ol", { class: "refused-list" }, list.map((item) => refusedItem(item, context)))
      : h("p", { class: "empty" }, "没有被退回的记录。"));
}
