// The quote (报价), as the technician builds it in the 一修 step of a paid service: items from the
// phone's copy of the price list, grouped by category and searchable, with a quantity stepper. The
// technician never types a price. The quote is a draft on the phone (there is no quote command):
// the customer agrees to it on the next screen, and the signed slip carries it to the server.
import { h } from "../field/dom.js";
import { formatFen, quantityCenti, quantityText } from "./money.js";
import { priceLines, totalFen } from "./pricing.js";

// Pipe by the metre and labour by the hour are often halves; everything else counts whole.
const STEP_CENTI = { 米: 50, 小时: 50 };
const CATEGORY_ORDER = ["equipment", "fitting", "material", "labour"];

const stepOf = (item) => STEP_CENTI[item?.unit] || 100;
export const itemsById = (version) => new Map(version.items.map((item) => [item.id, item]));

// The draft: { version_id, lines: [{price_item_id, code, quantity: "1.5", supplied_by}], agreed, search }.
// Any change to what is quoted takes the customer's agreement back.
export function addItem(draft, item) {
  const lines = [...(draft.lines || [])];
  const index = lines.findIndex((line) => line.price_item_id === item.id);
  if (index >= 0) return stepQuantity(draft, index, item, 1);
  lines.push({ price_item_id: item.id, code: item.code, quantity: quantityText(stepOf(item)), supplied_by: "company" });
  return { lines, agreed: false };
}

export function stepQuantity(draft, index, item, direction) {
  const lines = draft.lines.map((line) => ({ ...line }));
  const step = stepOf(item);
  const centi = (quantityCenti(lines[index].quantity) || 0) + direction * step;
  lines[index].quantity = quantityText(Math.min(Math.max(centi, step), 9999 * 100));
  return { lines, agreed: false };
}

export const removeLine = (draft, index) => ({ lines: draft.lines.filter((_, i) => i !== index), agreed: false });

export function chooseSupplier(draft, index, suppliedBy) {
  const lines = draft.lines.map((line, i) => (i === index ? { ...line, supplied_by: suppliedBy } : line));
  return { lines, agreed: false };
}

// A newer price list arrived while a quote was open: the same items by code, to be agreed again.
export function reconcile(draft, version) {
  if (draft.version_id === version.id) return null;
  if (!draft.lines?.length) return { version_id: version.id };
  const byCode = new Map(version.items.map((item) => [item.code, item]));
  const lines = draft.lines.filter((line) => byCode.has(line.code))
    .map((line) => ({ ...line, price_item_id: byCode.get(line.code).id }));
  return { version_id: version.id, lines, agreed: false, repriced: true };
}

// The lines as priced now, or [] with the reason when they cannot be.
export function pricedQuote(draft, version) {
  if (!version || !draft.lines?.length) return { lines: [], total: 0, error: null };
  try {
    const lines = priceLines(version, draft.lines);
    return { lines, total: totalFen(lines), error: null };
  } catch (error) {
    return { lines: [], total: 0, error: error.message };
  }
}

function stepper(line, index, item, { onQuote, draft }) {
  const button = (direction, text, name) => h("button", { class: "stepper__button", type: "button",
    "aria-label": `${item.name}${name}`, on: { click: () => onQuote(stepQuantity(draft, index, item, direction)) } }, text);
  return h("div", { class: "stepper", role: "group", "aria-label": `${item.name}数量` },
    button(-1, "−", "减少"),
    h("output", { class: "stepper__value" }, `${line.quantity} ${item.unit}`),
    button(1, "+", "增加"));
}

function chosenLine(line, index, items, context) {
  const item = items.get(line.price_item_id);
  if (!item) return null;
  return h("li", { class: "quote-line", data: { code: item.code } },
    h("p", { class: "quote-line__name" }, item.name, item.specification ? ` ${item.specification}` : ""),
    h("p", { class: "quote-line__price" }, `${formatFen(item.price_fen)} / ${item.unit}`),
    stepper(line, index, item, context),
    h("button", { class: "button button--secondary button--small quote-line__remove", type: "button",
      "aria-label": `删除 ${item.name}`, on: { click: () => context.onQuote(removeLine(context.draft, index)) } }, "删除"));
}

function matches(item, words) {
  const text = `${item.name} ${item.specification || ""} ${item.code}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

function catalogue(version, { draft, onQuote }) {
  const chosen = new Map((draft.lines || []).map((line) => [line.price_item_id, line]));
  const list = h("div", { class: "catalogue" });
  const fill = (query) => {
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const groups = CATEGORY_ORDER.map((category) => {
      const items = version.items.filter((item) => item.category === category && matches(item, words));
      if (!items.length) return null;
      return h("section", { class: "catalogue__group" },
        h("h3", { class: "catalogue__title" }, items[0].category_label || category),
        h("ul", { class: "catalogue__items" }, items.map((item) => h("li", {}, h("button", {
          class: "price-item", type: "button", data: { code: item.code },
          on: { click: () => onQuote(addItem(draft, item)) } },
        h("span", { class: "price-item__name" }, item.name, item.specification ? ` ${item.specification}` : ""),
        h("span", { class: "price-item__price" }, `${formatFen(item.price_fen)} / ${item.unit}`),
        h("span", { class: "price-item__code" }, item.code),
        chosen.has(item.id) ? h("span", { class: "tag tag--done" }, `已选 ${chosen.get(item.id).quantity}`)
          : h("span", { class: "price-item__add", "aria-hidden": "true" }, "+"))))));
    }).filter(Boolean);
    list.replaceChildren(...(groups.length ? groups : [h("p", { class: "empty" }, "没有找到,换个名称或编码试试")]));
  };
  const search = h("input", { class: "field__input", id: "quote-search", type: "search", autocomplete: "off",
    placeholder: "名称或编码,例如 阀门、DN20" });
  search.value = draft.search || "";
  search.addEventListener("input", () => { draft.search = search.value; fill(search.value); });
  fill(search.value);
  return h("section", { class: "detail-section" },
    h("div", { class: "field" }, h("label", { class: "field__label", for: "quote-search" }, "添加项目:搜索价目表"), search),
    list);
}

// context: { version, draft, onQuote(patch), customerHref, backHref }
export function renderQuoteBuilder(job, context) {
  const { version, draft } = context;
  const items = itemsById(version);
  const { lines, total, error } = pricedQuote(draft, version);
  const count = draft.lines?.length || 0;
  return h("section", { class: "quote" },
    h("header", { class: "step__head" },
      h("h2", { class: "step__title", id: "step-title", tabindex: "-1" },
        h("span", { class: "step__label" }, "一修"), "报价"),
      h("p", { class: "step__hint" }, "从价目表选择项目和数量。价格由价目表决定,不能修改。"),
      h("p", { class: "muted" }, `价目表:${version.name}`)),
    draft.repriced ? h("p", { class: "notice notice--todo" }, "价目表已更新,已按新价格重新计算,请客户重新确认。") : null,
    h("section", { class: "detail-section" },
      h("h3", { class: "detail-section__title" }, count ? `已选 ${count} 项` : "还没有选择项目"),
      count ? h("ol", { class: "quote-lines" }, draft.lines.map((line, i) => chosenLine(line, i, items, context))) : null),
    catalogue(version, context),
    h("div", { class: "action-bar" },
      error ? h("p", { class: "notice notice--error", role: "alert" }, error) : null,
      count ? h("p", { class: "quote-total" }, "合计 ", h("strong", {}, formatFen(total)),
        lines.some((l) => l.category !== "labour") ? h("span", { class: "muted" }, "(客户自备材料不收费)") : null) : null,
      h("button", { class: "button button--primary button--block button--huge", type: "button",
        data: { action: "to-customer" }, disabled: !count || Boolean(error),
        on: { click: context.onToCustomer } }, "请客户确认"),
      h("a", { class: "button button--secondary button--block", href: context.backHref }, "返回一修")));
}
