// The screens of the quote and the slip, by route: #/jobs/<id>/quote[/customer] and
// #/jobs/<id>/slip[/feedback|/customer|/technician]. app.js owns painting; this decides what to paint.
import { h } from "../field/dom.js";
import { currentVisit } from "../offline/optimistic.js";
import { renderConsent } from "./consent.js";
import { cachedPriceList, MISSING, priceListWanted } from "./price-list.js";
import { reconcile, renderQuoteBuilder } from "./quote.js";
import { slipCard } from "./slip-card.js";
import { renderFeedback, renderSignature, renderSlipReview } from "./slip.js";
import { charged, signSlip, slipMoney, slipNeeded, slipSigned } from "./signing.js";


const TITLES = {
  quote: "报价", "quote/customer": "报价确认", slip: "服务单", "slip/feedback": "服务评价",
  "slip/customer": "客户签名", "slip/technician": "维修人员签名",
};
const BACK = {
  quote: "visit", "quote/customer": "quote", slip: "visit", "slip/feedback": "slip",
  "slip/customer": "slip/feedback", "slip/technician": "slip/customer",
};

function panel(text, href, label) {
  return h("section", { class: "panel" }, h("p", { class: "panel__title", id: "step-title", tabindex: "-1" }, text),
    h("a", { class: "button button--secondary button--block", href }, label));
}

// Everything the screens read: the drafts (shared objects, see actions.draftFor), the price list.
// needed: a quote is on screen, so a missing price list is asked for now.
export async function loadSlipState(job, drafts, { needed = true } = {}) {
  const [quoteDraft, slipDraft, version] = await Promise.all([
    drafts.draftFor(job, "quote"), drafts.draftFor(job, "slip"), cachedPriceList()]);
  if (!version && needed) priceListWanted();
  const patch = version ? reconcile(quoteDraft, version) : null;
  // A quote with lines is repriced and kept; an empty one is only stamped with the version, in memory, and
  // written with its first line: drawing a screen must not bring back a draft that signing just cleared.
  if (patch && quoteDraft.lines?.length) drafts.updateDraft(job, "quote", quoteDraft, patch);
  else if (patch) Object.assign(quoteDraft, patch);
  return { quoteDraft, slipDraft, version };
}

function quoteScreen(job, part, state, context) {
  const { quoteDraft, version } = state;
  const visitHref = `#/jobs/${job.id}/visit`;
  if (slipSigned(job)) return panel("服务单已签署,报价不能再修改。", visitHref, "返回入户服务");
  if (!version) return panel(MISSING, visitHref, "返回一修");
  const onQuote = (patch) => context.updateDraft(job, "quote", quoteDraft, patch).then(context.repaint);
  if (part === "customer") {
    return renderConsent(job, { version, draft: quoteDraft, onQuote, backHref: `#/jobs/${job.id}/quote`,
      onAgree: () => context.tap(async () => {
        await context.updateDraft(job, "quote", quoteDraft, { agreed: true, repriced: false });
        // Back to 一修; or, once the repair is recorded (a replacement slip), on to the slip.
        context.go(currentVisit(job)?.repair ? `#/jobs/${job.id}/slip` : visitHref);
      }) });
  }
  return renderQuoteBuilder(job, { version, draft: quoteDraft, onQuote, backHref: visitHref,
    onToCustomer: () => context.go(`#/jobs/${job.id}/quote/customer`, { paint: true }) });
}

function slipScreen(job, part, state, context) {
  const visit = currentVisit(job);
  const base = `#/jobs/${job.id}/slip`;
  const visitHref = `#/jobs/${job.id}/visit`;
  if (!slipNeeded(visit)) return panel("一修没有记录维修情况,无需签署服务单。", visitHref, "返回入户服务");
  if (slipSigned(job)) {
    return h("section", { class: "slip" }, slipCard(job.slip, { timeZone: context.timeZone }),
      h("a", { class: "button button--secondary button--block", href: visitHref, id: "step-title" }, "返回入户服务"));
  }
  const { quoteDraft, slipDraft, version } = state;
  const terms = context.slipTerms;
  if (!terms) return panel("手机上还没有服务单条款,请联网同步一次。", visitHref, "返回入户服务");
  const money = slipMoney(visit, quoteDraft, version);
  const shared = { visit, money, slipDraft, terms, checklist: context.checklist, timeZone: context.timeZone, base,
    signError: context.ui.signError,
    quoteHref: `#/jobs/${job.id}/quote`,
    onSlip: (patch) => context.updateDraft(job, "slip", slipDraft, patch),
    go: (hash) => context.go(hash, { paint: true }),
    onSign: () => context.tap(async () => {
      context.ui.signError = null;
      try {
        await signSlip(context.user, job, visit, { quoteDraft, slipDraft, version, terms });
      } catch (error) {
        context.ui.signError = `未能签署:${error.message}`;
        return;
      }
      // The quote too: its consent was for this slip. A replacement after a void, or the next visit of a
      // reopened order, is quoted and agreed afresh.
      await context.clearDraft(job, "slip");
      await context.clearDraft(job, "quote");
      context.go(visitHref);
    }) };
  if (part === "feedback") return renderFeedback(job, shared);
  if (part === "customer" || part === "technician") return renderSignature(job, part, shared);
  return renderSlipReview(job, shared);
}

// What a route needs read first: the price list is asked for only where money is concerned.
export const stateForRoute = (job, route, drafts) =>
  loadSlipState(job, drafts, { needed: route === "quote" || charged(currentVisit(job)) });

// → { title, back, node } for app.js to paint.
export function renderSlipScreen(job, route, part, state, context) {
  const name = part ? `${route}/${part}` : route;
  const node = route === "quote" ? quoteScreen(job, part, state, context) : slipScreen(job, part, state, context);
  return { title: TITLES[name], back: `#/jobs/${job.id}/${BACK[name]}`, node };
}
