// The slip (客户服务单) before 一别, one decision a screen, held by the customer: what was done and
// what it costs, and how it is paid → how satisfied they are → the e-signature clause and their
// signature → the technician's signature and 确认签名.
import { h, textArea } from "../field/dom.js";
import { readingItem } from "../field/repair.js";
import { flatMeets } from "../field/standard.js";
import { totalBlock } from "./consent.js";
import { companyMaterials } from "./content.js";
import { formatFen, quantityText, yuanText } from "./money.js";
import { termsText } from "./pricing.js";
import { COLLECTING, MAX_COMMENT, feedbackOf, paymentOf } from "./signing.js";
import { isBlank, signaturePad } from "./signature-pad.js";

function head(title, intro) {
  return h("header", { class: "consent__head" },
    h("h2", { class: "consent__title", id: "step-title", tabindex: "-1" }, title),
    intro ? h("p", { class: "consent__intro" }, intro) : null);
}

function block(title, ...body) {
  return h("section", { class: "detail-section slip-section" }, h("h3", { class: "detail-section__title" }, title), body);
}

function chargeLines(money) {
  if (!money.charged) return block("收费", h("p", { class: "slip-free" }, "免费维修 · 无需付费"));
  return block("收费项目", h("ol", { class: "consent-lines consent-lines--compact" }, money.lines.map((line) =>
    h("li", { class: "consent-line" },
      h("p", { class: "consent-line__name" }, line.name, line.specification ? ` ${line.specification}` : ""),
      h("p", { class: "consent-line__calc" },
        h("span", {}, `${quantityText(line.quantity_centi)} ${line.unit} × ${formatFen(line.unit_price_fen)}`,
          line.supplied_by === "customer" ? "(自备)" : ""),
        h("strong", { class: "consent-line__amount" }, formatFen(line.amount_fen)))))),
  totalBlock(money.total));
}

// What the company bore (公司承担): the customer sees it and pays nothing for it.
function companyMaterialsBlock(visit) {
  const entries = companyMaterials(visit.materials);
  if (!entries.length) return null;
  return block("公司承担材料(不收费)", h("ul", { class: "material-list" }, entries.map((m) => h("li", {},
    `${m.name}${m.specification ? ` ${m.specification}` : ""} × ${quantityText(m.quantity_centi)} ${m.unit}`))));
}

// The readings and whether the flat meets the standard at the times measured (each room by its last
// reading, as the server's flat_meets): the customer signs them.
function readingsBlock(visit, timeZone) {
  if (!visit.readings.length) return null;
  const low = !flatMeets(visit.readings);
  return block("室温", h("ul", { class: "reading-list" }, visit.readings.map((r) => readingItem(r, timeZone))),
    h("p", { class: low ? "notice notice--error" : "notice notice--calm" }, low ? "结论:室温未达标" : "结论:室温达标"));
}

// 售后服务 (001 四.14): what is guaranteed of what the company supplied, and for how long.
function afterSalesBlock(money) {
  if (!money.afterSales?.length) return null;
  return block("售后服务", h("ol", { class: "after-sales" },
    money.afterSales.map((entry) => h("li", {}, `${entry.name}:${termsText(entry)}`))));
}

// The button to the next screen, asleep with the reason above it until problemOf() says nothing.
// Choices update it in place: no repaint under a finger that is about to type.
function nextBar(label, action, onNext, problemOf) {
  const blockers = h("p", { class: "notice notice--todo", id: "slip-blockers" });
  const button = h("button", { class: "button button--primary button--block button--huge", type: "button",
    data: { action }, on: { click: onNext } }, label);
  const bar = h("div", { class: "action-bar" }, blockers, button);
  bar.refresh = () => {
    const problem = problemOf();
    blockers.hidden = !problem;
    blockers.textContent = problem || "";
    button.disabled = Boolean(problem);
  };
  bar.refresh();
  return bar;
}

function paymentChooser(money, { slipDraft, onSlip, terms }, refresh) {
  if (money.total === 0) return null;
  const amount = h("input", { class: "field__input", id: "slip-collected", inputmode: "decimal", autocomplete: "off" });
  amount.value = slipDraft.collected ?? yuanText(money.total);
  amount.addEventListener("input", () => { onSlip({ collected: amount.value }); refresh(); });
  const collected = h("div", { class: "field", hidden: !COLLECTING.includes(slipDraft.payment_method) },
    h("label", { class: "field__label", for: "slip-collected" }, "实收金额(元)"), amount,
    h("p", { class: "field__hint" }, `默认为合计 ${formatFen(money.total)}`));
  const choose = (code) => {
    onSlip({ payment_method: code });
    collected.hidden = !COLLECTING.includes(code);
    refresh();
  };
  return block("付款方式",
    h("fieldset", { class: "choices choices--grid" },
      h("legend", { class: "field__label" }, "客户如何付款?"),
      [...COLLECTING, "unpaid"].map((code) => h("label", { class: "choice" },
        h("input", { type: "radio", name: "payment", value: code, checked: slipDraft.payment_method === code,
          on: { change: () => choose(code) } }),
        h("span", { class: "choice__text" }, terms.payment_methods[code] || code)))),
    collected);
}

// context: { visit, money, slipDraft, onSlip(patch), terms, checklist, go(hash), base, quoteHref }
export function renderSlipReview(job, context) {
  const { visit, money } = context;
  const repair = visit.repair;
  const bar = nextBar("下一步:服务评价", "to-feedback", () => context.go(`${context.base}/feedback`),
    () => money.problem || paymentOf(context.slipDraft, money.total).problem);
  return h("section", { class: "slip" },
    head("客户服务单", `${job.household.name} · ${job.household.address}`),
    money.problem ? h("p", { class: "notice notice--error" }, money.problem,
      h("a", { class: "button button--secondary button--block", href: context.quoteHref }, "去报价")) : null,
    block("维修情况", h("p", {}, `${repair.fault_location_label} · ${repair.resolution_label}`),
      h("p", {}, `诊断:${repair.diagnosis}`), h("p", {}, `结果:${repair.result}`)),
    money.problem ? null : chargeLines(money),
    companyMaterialsBlock(visit),
    readingsBlock(visit, context.timeZone),
    money.problem ? null : afterSalesBlock(money),
    visit.damages.length ? block("客户造成的损坏(请核对)", visit.damages.map((d) => h("p", {}, d.description))) : null,
    money.problem ? null : paymentChooser(money, context, () => bar.refresh()),
    bar);
}

export function renderFeedback(job, context) {
  const { slipDraft, onSlip, terms } = context;
  const bar = nextBar("下一步:客户签名", "to-customer-sign", () => context.go(`${context.base}/customer`),
    () => feedbackOf(slipDraft).problem);
  return h("section", { class: "slip" },
    head("您对本次服务满意吗?", "您的评价会直接送到客服部。"),
    h("fieldset", { class: "choices satisfaction" },
      h("legend", { class: "visually-hidden" }, "满意程度"),
      Object.entries(terms.satisfaction).map(([code, label]) => h("label", { class: "choice choice--big" },
        h("input", { type: "radio", name: "satisfaction", value: code, checked: slipDraft.satisfaction === code,
          on: { change: () => { onSlip({ satisfaction: code }); bar.refresh(); } } }),
        h("span", { class: "choice__text" }, label)))),
    textArea("slip-comment", `意见或建议(可不填,最多 ${MAX_COMMENT} 字)`, slipDraft.comment, (value) => {
      onSlip({ comment: value });
      bar.refresh();
    }, { rows: 3 }),
    bar);
}

// party: "customer" | "technician"; the clause is read before the customer signs.
export function renderSignature(job, party, context) {
  const { slipDraft, onSlip, terms } = context;
  // The draft's own array, shared by every paint of this screen: a stroke drawn on a pad that a repaint
  // replaced still lands in the signature, not in an array of its own.
  slipDraft.strokes = { ...slipDraft.strokes };
  slipDraft.strokes[party] ||= [];
  const strokes = slipDraft.strokes[party];
  const customer = party === "customer";
  const bar = customer
    ? nextBar("下一步:维修人员签名", "to-technician-sign", () => context.go(`${context.base}/technician`), blank)
    : nextBar("确认签名", "sign", context.onSign, blank);
  function blank() {
    return isBlank(strokes) ? "请在框内签名(签名不能为空)" : null;
  }
  const pad = signaturePad({ id: `signature-${party}`, label: customer ? "客户签名" : "维修人员签名", strokes,
    onChange: (value) => {
      onSlip({ strokes: { ...slipDraft.strokes, [party]: value } });
      bar.refresh();
    } });
  return h("section", { class: "slip" },
    head(customer ? "请客户签名确认" : "维修人员签名",
      customer ? "签名即表示您已核对本服务单的内容。" : "确认签名后,服务单内容不可更改。"),
    customer ? afterSalesBlock(context.money) : null,
    customer ? h("p", { class: "slip-clause", id: "slip-clause" }, terms.clause) : null,
    pad,
    context.signError ? h("p", { class: "notice notice--error", role: "alert" }, context.signError) : null,
    bar);
}
