// Where the quote and the slip meet the visit's steps: the quote's state on 一修 (paid service needs
// the customer's agreement before the step is done) and the slip on 一别 (signed before goodbye).
import { h } from "../field/dom.js";
import { formatFen, inCapitals } from "./money.js";
import { MISSING } from "./price-list.js";
import { pricedQuote } from "./quote.js";
import { slipCard } from "./slip-card.js";
import { slipNeeded, slipSigned } from "./signing.js";

// The repair step's draft says paid service and the record is not sent yet: a quote is needed.
export const quoteNeeded = (visit, repairDraft) => !visit.repair && repairDraft.resolution === "paid";

export function quoteBlockers(visit, repairDraft, quote) {
  return quoteNeeded(visit, repairDraft) && !quote?.draft.agreed ? ["客户同意报价"] : [];
}

export function slipBlockers(job, visit) {
  return slipNeeded(visit) && !slipSigned(job) ? ["客户签署服务单"] : [];
}

// On 一修, under the choice of 有偿服务.
export function quoteSection(job, visit, repairDraft, quote) {
  if (!quoteNeeded(visit, repairDraft)) return null;
  const href = `#/jobs/${job.id}/quote`;
  const { draft, version } = quote;
  const { total } = pricedQuote(draft, version);
  const count = draft.lines?.length || 0;
  let state;
  if (!version) state = h("p", { class: "notice notice--error" }, MISSING);
  else if (draft.agreed) {
    state = h("p", { class: "notice notice--calm" }, `✓ 客户已同意报价:合计 ${formatFen(total)}(${inCapitals(total)})`);
  } else {
    state = h("p", { class: "notice notice--todo" },
      count ? `已选 ${count} 项,尚未请客户确认` : "有偿服务需先报价,并请客户确认");
  }
  return h("section", { class: "detail-section quote-summary" },
    h("h3", { class: "detail-section__title" }, "报价"),
    state,
    version ? h("a", { class: "button button--secondary button--block", href, data: { action: "quote" } },
      draft.agreed ? "修改报价" : count ? "继续报价" : "开始报价") : null);
}

// On 一别 (and after): sign the slip, or its state.
export function slipSection(job, visit, { timeZone }) {
  if (!slipNeeded(visit)) return null;
  const href = `#/jobs/${job.id}/slip`;
  if (job.slip) return slipCard(job.slip, { timeZone, signHref: job.slip.status === "voided" ? href : null });
  return h("section", { class: "detail-section" },
    h("h3", { class: "detail-section__title" }, "客户服务单"),
    h("p", {}, "道别前,请客户核对服务单并签名。"),
    h("a", { class: "button button--primary button--block", href, data: { action: "slip" } }, "请客户签署服务单"));
}
