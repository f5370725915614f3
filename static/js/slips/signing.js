// Signing the slip: what the customer saw becomes the document of docs/slips.md §1, it is hashed,
// and ONE `sign_slip` item goes into the outbox with the technician's choices, the two signatures
// (PNG, base64) and the document. The server prices the lines again, rebuilds the document from
// what it holds and keeps the slip only if the hashes agree; it gives the serial.
import * as actions from "../field/actions.js";
import { blobSha256, buildDocument, digest, pyStrip, utcText } from "./content.js";
import { parseYuan } from "./money.js";
import { MISSING } from "./price-list.js";
import { afterSales } from "./pricing.js";
import { pricedQuote } from "./quote.js";
import { isBlank, signaturePng } from "./signature-pad.js";

export const COLLECTING = ["cash", "wechat", "alipay"];
export const MAX_COMMENT = 500;

// A slip is signed, or waiting to be sent: 一别 may be done. A voided one needs a replacement.
export const slipSigned = (job) => ["signed", "pending"].includes(job.slip?.status);
// The server signs a slip only for a visit with a repair record (一修 not skipped).
export const slipNeeded = (visit) => Boolean(visit?.repair);
export const charged = (visit) => visit?.repair?.resolution === "paid";

// The money side of the slip: priced from the agreed quote, or nothing for free service.
export function slipMoney(visit, quoteDraft, version) {
  if (!charged(visit)) return { charged: false, lines: [], total: 0, afterSales: [] };
  const unpriced = (problem) => ({ charged: true, lines: [], total: 0, afterSales: [], problem });
  if (!version) return unpriced(MISSING);
  if (!quoteDraft.agreed) return unpriced("有偿服务需先请客户同意报价。");
  const { lines, total, error } = pricedQuote(quoteDraft, version);
  return { charged: true, lines, total, afterSales: afterSales(lines, version),
    problem: error || (lines.length ? null : "报价中没有项目。") };
}

// The payment as it would be signed, or the reason it cannot be yet.
export function paymentOf(slipDraft, total) {
  if (total === 0) return { payment: { method: "none", collected_fen: 0 } };
  const method = slipDraft.payment_method;
  if (method === "unpaid") return { payment: { method, collected_fen: 0 } };
  if (!COLLECTING.includes(method)) return { problem: "请选择付款方式" };
  const collected = slipDraft.collected === undefined ? total : parseYuan(slipDraft.collected);
  if (collected === null || collected < 1 || collected > total) {
    return { problem: `实收金额应在 ¥0.01 至合计金额之间` };
  }
  return { payment: { method, collected_fen: collected } };
}

export function feedbackOf(slipDraft) {
  const comment = pyStrip(slipDraft.comment);
  if (!slipDraft.satisfaction) return { problem: "请客户选择满意程度" };
  if ([...comment].length > MAX_COMMENT) return { problem: `意见最多 ${MAX_COMMENT} 字` };
  return { feedback: { satisfaction: slipDraft.satisfaction, comment } };
}

function base64Of(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

async function signature(strokes) {
  const bytes = new Uint8Array(await (await signaturePng(strokes)).arrayBuffer());
  return { base64: base64Of(bytes), sha256: await blobSha256(new Blob([bytes])) };
}

// Every photo of the visit by the hash of the bytes the phone sent: the server's upload_sha256 once
// uploaded, the hash kept with a waiting photo, or (older items) its blob hashed now.
async function photoHashes(visit) {
  return Promise.all(visit.photos.map(async (photo) => ({ step: photo.step, kind: photo.kind,
    sha256: photo.upload_sha256 || (photo.blob ? await blobSha256(photo.blob) : null) })));
}

// Everything ready? The reason otherwise, in words for the technician.
export function signingProblem(job, visit, { quoteDraft, slipDraft, version, terms }) {
  const money = slipMoney(visit, quoteDraft, version);
  return money.problem || (!terms ? "请先联网同步一次(手机上还没有服务单条款)。" : null)
    || paymentOf(slipDraft, money.total).problem || feedbackOf(slipDraft).problem
    || (isBlank(slipDraft.strokes?.customer) ? "客户尚未签名" : null)
    || (isBlank(slipDraft.strokes?.technician) ? "维修人员尚未签名" : null);
}

export async function signSlip(user, job, visit, { quoteDraft, slipDraft, version, terms }) {
  const problem = signingProblem(job, visit, { quoteDraft, slipDraft, version, terms });
  if (problem) throw new Error(problem);
  const money = slipMoney(visit, quoteDraft, version);
  const { payment } = paymentOf(slipDraft, money.total);
  const { feedback } = feedbackOf(slipDraft);
  const customer = await signature(slipDraft.strokes.customer);
  const technician = await signature(slipDraft.strokes.technician);
  const replaces = job.slip?.status === "voided" ? job.slip.serial : null;
  const signedAt = utcText(new Date());
  const content = buildDocument(job, visit, {
    charged: money.charged, versionId: version?.id ?? null, lines: money.lines, afterSales: money.afterSales,
    payment, feedback,
    clause: terms.clause, signedAt, signatures: { customer: customer.sha256, technician: technician.sha256 },
    photos: await photoHashes(visit), replaces,
  });
  await actions.record(user, job, "sign_slip", {
    price_list_version_id: content.price_list_version_id,
    lines: money.charged ? quoteDraft.lines.map(({ price_item_id, quantity, supplied_by }) =>
      ({ price_item_id, quantity, supplied_by })) : [],
    payment: content.payment, feedback: content.feedback, signed_at: signedAt, replaces,
    signatures: { customer: customer.base64, technician: technician.base64 },
    content, content_sha256: await digest(content),
  });
}
