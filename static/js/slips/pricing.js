// Pricing a quote on the phone, with the server's rules (app/paid_service/services.py price_lines):
// the technician picks items and quantities, never prices; the customer's own equipment, fittings
// and material cost nothing, and then the basic labour fee (基本人工费) is added, once.
import { amountFen, quantityCenti } from "./money.js";

export const MATERIAL_CATEGORIES = ["equipment", "fitting", "material"];
export const MAX_LINES = 50;

export class QuoteError extends Error {
  constructor(message, fields) {
    super(message);
    this.fields = fields;
  }
}

export const isMaterial = (item) => MATERIAL_CATEGORIES.includes(item.category);
export const basicLabourFee = (version) => version.items.find((item) => item.is_basic_labour_fee) || null;

function frozen(item, centi, suppliedBy, amount = null, added = false) {
  return {
    price_item_id: item.id, code: item.code, name: item.name, specification: item.specification || "",
    unit: item.unit, category: item.category, quantity_centi: centi, supplied_by: suppliedBy,
    unit_price_fen: item.price_fen, amount_fen: amount ?? amountFen(item.price_fen, centi),
    added_for_own_materials: added,
  };
}

function line(items, want) {
  const item = items.get(want.price_item_id);
  if (!item) throw new Error("价目表中没有该项目");
  const suppliedBy = want.supplied_by ?? "company";
  if (!["company", "customer"].includes(suppliedBy)) throw new Error("请选择公司提供或客户自备");
  const centi = quantityCenti(want.quantity);
  if (centi === null) throw new Error(`数量不正确:${want.quantity}`);
  const own = suppliedBy === "customer" && isMaterial(item);
  return frozen(item, centi, own ? "customer" : "company", own ? 0 : null);
}

// wanted: [{price_item_id, quantity: "1.5", supplied_by}] in the order chosen → the lines the
// customer reads (with price_item_id, which the signed document leaves out). Throws QuoteError.
export function priceLines(version, wanted) {
  const items = new Map(version.items.map((item) => [item.id, item]));
  const problems = {};
  const lines = [];
  wanted.slice(0, MAX_LINES).forEach((want, index) => {
    try {
      lines.push(line(items, want));
    } catch (error) {
      problems[`lines.${index}`] = [error.message];
    }
  });
  if (wanted.length > MAX_LINES) problems.lines = [`最多 ${MAX_LINES} 项`];
  if (!wanted.length) problems.lines = ["请至少选择一项"];
  if (Object.keys(problems).length) throw new QuoteError("报价有误。", problems);
  return withBasicLabourFee(version, lines);
}

function withBasicLabourFee(version, lines) {
  const ownMaterials = lines.some((l) => l.supplied_by === "customer");
  const fee = basicLabourFee(version);
  const hasFee = fee !== null && lines.some((l) => l.price_item_id === fee.id);
  if (ownMaterials && !hasFee) {
    if (fee === null) throw new QuoteError("价目表没有基本人工费,无法为客户自备材料报价。", { lines: ["缺少基本人工费"] });
    lines.push(frozen(fee, 100, "company", null, true));
  }
  return lines;
}

export const totalFen = (lines) => lines.reduce((sum, l) => sum + l.amount_fen, 0);

// The after-sales terms (售后服务, 001 四.14) of the lines the company supplied, as the slip states them
// above the customer's signature: the server's content.after_sales_entries, from the version's items
// (each carries its own terms or its category's).
export function afterSales(lines, version) {
  const items = new Map((version?.items || []).map((item) => [item.id, item]));
  return lines.filter((line) => line.supplied_by === "company")
    .map((line) => ({ line, item: items.get(line.price_item_id) }))
    .filter(({ item }) => item?.after_sales)
    .map(({ line, item }) => ({ code: line.code, name: line.name, terms: item.after_sales,
      months: item.warranty_months || 0 }));
}

// "保修 12 个月,阀体质量问题免费更换" (the server's price_list.services.terms_text).
export const termsText = ({ terms, months }) => (months ? `保修 ${months} 个月,${terms}` : terms);
