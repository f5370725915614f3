// The quote turned to the customer: large text, each line with quantity, unit price and amount;
// for each piece of material, 公司提供 or 自备 (their own costs nothing, and then the basic labour
// fee appears); the total in figures and in capitals; and one button, 同意报价.
import { h } from "../field/dom.js";
import { formatFen, inCapitals, quantityText } from "./money.js";
import { isMaterial } from "./pricing.js";
import { chooseSupplier, itemsById, pricedQuote } from "./quote.js";

const SUPPLIERS = [["company", "公司提供"], ["customer", "自备"]];

function supplierChoice(index, item, chosen, { draft, onQuote }) {
  return h("fieldset", { class: "supplier" },
    h("legend", { class: "supplier__legend" }, `${item.name}由谁提供?`),
    SUPPLIERS.map(([value, label]) => h("label", { class: "supplier__choice" },
      h("input", { type: "radio", name: `supplier-${index}`, value, checked: chosen === value,
        on: { change: () => onQuote(chooseSupplier(draft, index, value)) } }),
      h("span", {}, label))));
}

// One line as the customer reads it; `wanted` is the technician's choice behind it (none for the
// basic labour fee added by the rule).
function consentLine(line, wanted, index, item, context) {
  const own = line.supplied_by === "customer";
  return h("li", { class: ["consent-line", own && "consent-line--own"], data: { code: line.code } },
    h("p", { class: "consent-line__name" }, line.name, line.specification ? ` ${line.specification}` : ""),
    h("p", { class: "consent-line__calc" },
      h("span", {}, `${quantityText(line.quantity_centi)} ${line.unit} × ${formatFen(line.unit_price_fen)}`),
      h("strong", { class: "consent-line__amount" }, formatFen(line.amount_fen))),
    own ? h("p", { class: "consent-line__note" }, "客户自备,不收材料费") : null,
    line.added_for_own_materials ? h("p", { class: "consent-line__note" }, "因自备材料,收取基本人工费") : null,
    wanted && isMaterial(item) ? supplierChoice(index, item, wanted.supplied_by, context) : null);
}

export function totalBlock(total, { bar = false } = {}) {
  return h("div", { class: ["consent-total", bar && "consent-total--bar"] },
    h("p", { class: "consent-total__figures" }, h("span", {}, "合计"), h("strong", { id: "quote-total" }, formatFen(total))),
    h("p", { class: "consent-total__capitals" }, "大写:", h("span", { id: "quote-capitals" }, inCapitals(total))));
}

// context: { version, draft, onQuote(patch), onAgree(), backHref }
export function renderConsent(job, context) {
  const { version, draft } = context;
  const items = itemsById(version);
  const { lines, total, error } = pricedQuote(draft, version);
  const chosen = draft.lines || [];
  return h("section", { class: "consent" },
    h("header", { class: "consent__head" },
      h("h2", { class: "consent__title", id: "step-title", tabindex: "-1" }, "报价单 · 请您确认"),
      h("p", { class: "consent__intro" },
        "以下为本次维修的收费项目。材料可由公司提供,也可用您自备的,自备材料不收材料费,只收基本人工费。")),
    error ? h("p", { class: "notice notice--error", role: "alert" }, error) : null,
    h("ol", { class: "consent-lines" }, lines.map((line, i) => consentLine(line, chosen[i], i,
      items.get(line.price_item_id), context))),
    // The total stays beside the button: what is agreed to is always in sight.
    h("div", { class: "action-bar" },
      totalBlock(total, { bar: true }),
      draft.agreed ? h("p", { class: "notice notice--calm" }, "✓ 客户已同意此报价") : null,
      h("button", { class: "button button--primary button--block button--huge", type: "button",
        data: { action: "agree" }, disabled: Boolean(error) || !lines.length, on: { click: context.onAgree } },
      "同意报价"),
      h("a", { class: "button button--secondary button--block", href: context.backHref }, "返回修改(师傅操作)")));
}
