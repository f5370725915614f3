// 一修: where the fault is decides who pays (产权分界: the company's network up to the flat's entry
// port is free; inside the flat is the customer's), what was found and done, room temperatures
// (below 18 °C is flagged, in words and red), and any damage the customer caused.
import { quantityText } from "../slips/money.js";
import { quoteSection } from "../slips/visit-parts.js";
import { h, textArea } from "./dom.js";
import { formatDateTime } from "./format.js";
import { celsiusText, standardOf } from "./standard.js";

// The customer's side: paid service, or free advice if they repair it themselves (001 四.13).
const RESOLUTIONS_FOR = { company: ["free"], customer: ["paid", "advice"] };
// The bundle's JSON comes with sorted keys; show the rooms the standard speaks of first.
const ROOM_ORDER = ["bedroom", "living_room", "kitchen", "bathroom", "other"];
const FIELD_NAMES = { fault_location: "故障位置", resolution: "处理方式", diagnosis: "故障诊断", result: "维修结果" };

export function repairBlockers(visit, draft) {
  if (visit.repair) return [];
  return Object.entries(FIELD_NAMES).filter(([name]) => !(draft[name] || "").trim()).map(([, label]) => label);
}

function choices(name, legend, options, chosen, onChoose) {
  return h("fieldset", { class: "choices" },
    h("legend", { class: "field__label" }, legend),
    options.map(([value, label, detail]) => {
      const input = h("input", { type: "radio", name, value, checked: chosen === value,
        on: { change: () => onChoose(value) } });
      return h("label", { class: "choice" }, input,
        h("span", { class: "choice__text" }, label, detail ? h("small", { class: "choice__detail" }, detail) : null));
    }));
}

function recorded(repair, damages) {
  return h("section", { class: "detail-section" },
    h("h3", { class: "detail-section__title" }, "维修情况(已记录)"),
    h("p", {}, `${repair.fault_location_label} · ${repair.resolution_label}`),
    h("p", {}, `诊断:${repair.diagnosis}`), h("p", {}, `结果:${repair.result}`),
    damages.map((d) => h("p", {}, `客户造成的损坏:${d.description}`)));
}

function orderedRooms(rooms) {
  const rank = (code) => (ROOM_ORDER.includes(code) ? ROOM_ORDER.indexOf(code) : ROOM_ORDER.length);
  return Object.entries(rooms).sort(([a], [b]) => rank(a) - rank(b));
}

// One reading: the room, the temperature, when it was measured and the standard at that time.
export function readingItem(reading, timeZone) {
  const low = reading.below_standard;
  const minimum = celsiusText(reading.minimum_tenths ?? 180);
  const time = formatDateTime(reading.measured_at || reading.at, timeZone).slice(11);
  return h("li", { class: ["reading", low && "reading--low"] },
    h("span", { class: "reading__room" }, reading.room_label),
    h("span", { class: "reading__value" }, `${Number(reading.celsius).toFixed(1)} °C`),
    time ? h("span", { class: "reading__time" }, `${time} 测`) : null,
    h("span", { class: low ? "tag tag--low" : "tag tag--ok" }, low ? `低于 ${minimum}` : `达标(${minimum})`),
    reading.pending ? h("span", { class: "tag tag--waiting" }, "待上传") : null);
}

// 测温 orders (000 八): the visit measures the flat; 一修 waits for a reading.
export const measuresRooms = (job) => job.category === "temperature_check";

export function readingBlockers(job, visit) {
  return measuresRooms(job) && !visit.readings.length ? ["测量并记录室温"] : [];
}

function readings(visit, { job, checklist, draft, onDraft, onReading, readingError, timeZone }) {
  const input = h("input", { class: "field__input", id: "reading-celsius", inputmode: "decimal",
    autocomplete: "off", placeholder: "例如 17.5", "aria-describedby": "reading-error reading-standard" });
  input.value = draft.celsius || "";
  input.addEventListener("input", () => onDraft({ celsius: input.value }));
  return h("section", { class: "detail-section readings" },
    h("h3", { class: "detail-section__title" }, measuresRooms(job) ? "室温测量(测温工单,必填)" : "室温测量"),
    h("p", { class: "field__hint", id: "reading-standard" }, `标准:${standardOf(checklist).text}`),
    choices("room", "房间", orderedRooms(checklist.rooms), draft.room, (room) => onDraft({ room })),
    h("div", { class: "field" }, h("label", { class: "field__label", for: "reading-celsius" }, "温度(°C)"), input),
    h("p", { class: "notice notice--error", id: "reading-error", role: "alert", hidden: !readingError }, readingError),
    h("button", { class: "button button--secondary button--block", type: "button", data: { action: "reading" },
      on: { click: () => onReading(draft.room, input.value) } }, "记录室温"),
    visit.readings.length ? h("ul", { class: "reading-list" }, visit.readings.map((r) => readingItem(r, timeZone)))
      : null);
}

const signedText = (centi) => (centi < 0 ? `-${quantityText(-centi)}` : quantityText(centi));

export function materialItem(used) {
  return h("li", { class: "material-used" },
    h("span", { class: "material-used__name" }, used.name, used.specification ? ` ${used.specification}` : ""),
    h("span", { class: "material-used__qty" }, `${quantityText(used.quantity_centi)} ${used.unit}`),
    used.pending ? h("span", { class: "tag tag--waiting" }, "待上传") : null,
    used.below_zero ? h("span", { class: "tag tag--low" }, "车上账面不足,已记录") : null);
}

// Materials used at no charge (公司承担), from the van's list kept in the bundle; they appear on the slip.
// What the customer pays for is chosen in the quote and taken from the van when the slip is signed.
function materialsUsed(visit, { job, draft, onDraft, materials = [], onMaterial, materialError }) {
  const used = visit.materials || [];
  const signed = job.slip && job.slip.status !== "voided";
  const paid = (visit.repair?.resolution || draft.resolution) === "paid";
  const list = used.length ? h("ul", { class: "material-list" }, used.map(materialItem)) : null;
  const title = h("h3", { class: "detail-section__title" }, "使用材料(公司承担)");
  if (signed) return h("section", { class: "detail-section materials" }, title, list || h("p", {}, "未使用材料"));
  const choice = h("select", { class: "field__input", id: "material-choice", "aria-describedby": "material-error" },
    h("option", { value: "" }, "请选择材料"),
    materials.map((m) => h("option", { value: String(m.material_id), selected: String(draft.material_id) === String(m.material_id) },
      `${m.name}${m.specification ? ` ${m.specification}` : ""}(车上 ${signedText(m.on_hand_centi)} ${m.unit})`)));
  choice.addEventListener("change", () => onDraft({ material_id: choice.value }));
  const amount = h("input", { class: "field__input", id: "material-quantity", inputmode: "decimal", autocomplete: "off",
    placeholder: "例如 1", "aria-describedby": "material-error" });
  amount.value = draft.material_quantity || "";
  amount.addEventListener("input", () => onDraft({ material_quantity: amount.value }));
  return h("section", { class: "detail-section materials" }, title,
    h("p", { class: "field__hint" }, paid ? "向客户收费的材料请在报价中选择,签单后自动从车上出库;这里只记公司承担、不收费的材料。"
      : "记录本次用掉的每一种材料,服务单上会列为“公司承担”。"),
    h("div", { class: "field" }, h("label", { class: "field__label", for: "material-choice" }, "材料"), choice),
    h("div", { class: "field" }, h("label", { class: "field__label", for: "material-quantity" }, "数量"), amount),
    h("p", { class: "notice notice--error", id: "material-error", role: "alert", hidden: !materialError }, materialError),
    h("button", { class: "button button--secondary button--block", type: "button", data: { action: "material" },
      on: { click: () => onMaterial(choice.value, amount.value) } }, "记录用料"),
    list);
}

export function repairForm(visit, context) {
  const { checklist, draft, onDraft, repaint } = context;
  if (visit.repair) return [recorded(visit.repair, visit.damages), materialsUsed(visit, context), readings(visit, context)];
  const location = draft.fault_location;
  const resolutions = (RESOLUTIONS_FOR[location] || []).map((code) => [code, checklist.resolutions[code]]);
  const chooseLocation = (value) => {
    // The company's side is always free: choose it for them; the customer's side asks again.
    onDraft({ fault_location: value, resolution: value === "company" ? "free" : "" });
    repaint();
  };
  return [
    choices("fault_location", "故障位置(产权归属)", [
      ["company", checklist.fault_locations.company, "免费维修"],
      ["customer", checklist.fault_locations.customer, "有偿服务,或指导客户自行维修"],
    ], location, chooseLocation),
    location ? choices("resolution", "处理方式", resolutions, draft.resolution, (value) => {
      onDraft({ resolution: value });
      repaint(); // paid service: the quote appears
    }) : null,
    context.quote ? quoteSection(context.job, visit, draft, context.quote) : null,
    textArea("repair-diagnosis", "故障诊断", draft.diagnosis, (value) => onDraft({ diagnosis: value }),
      { hint: "发现了什么问题、在哪里" }),
    textArea("repair-result", "维修结果", draft.result, (value) => onDraft({ result: value }),
      { hint: "做了什么、现在是否正常" }),
    materialsUsed(visit, context),
    readings(visit, context),
    textArea("repair-damage", "客户造成的损坏(可不填)", draft.damage, (value) => onDraft({ damage: value }),
      { hint: "与客户一起分析确认;需客户在服务单上签字", rows: 2 }),
  ];
}

export function repairSummary(repair, timeZone) {
  return [
    h("p", {}, `${repair.fault_location_label} · ${repair.resolution_label}`),
    h("p", {}, `诊断:${repair.diagnosis}`),
    h("p", {}, `结果:${repair.result}`),
    h("p", { class: "muted" }, `记录于 ${formatDateTime(repair.at, timeZone)}`),
  ];
}
