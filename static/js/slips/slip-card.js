// A slip's state where the technician looks for it (一别, the summary, the job): 待上传 until the
// server has it, then its serial and the customer's copy as a PDF to share (WeChat, print) or save;
// 已作废 after the desk voided it, with a way to sign a replacement.
import * as api from "../field/api.js";
import { h } from "../field/dom.js";
import { formatDateTime } from "../field/format.js";
import { formatFen } from "./money.js";

// The customer's copy (one page), or all three copies for printing at the branch.
const COPIES = {
  customer: { url: (slip) => slip.customer_copy_url, label: "客户联 PDF", name: "客户联" },
  all: { url: (slip) => slip.pdf_url, label: "三联 PDF", name: "三联" },
};

// A copy shared as a file where the phone can (WeChat, print…), else saved.
async function shareCopy(slip, copy, say) {
  const blob = await api.fetchPdf(copy.url(slip), say);
  const file = new File([blob], `服务单${slip.serial}-${copy.name}.pdf`, { type: "application/pdf" });
  if (navigator.canShare?.({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title: `服务单 ${slip.serial}` });
      return;
    } catch (error) {
      if (error.name === "AbortError") return; // the technician closed the share sheet
    }
  }
  const url = URL.createObjectURL(file);
  const link = h("a", { href: url, download: file.name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60 * 1000);
  say(`${copy.label} 已下载。`);
}

function pdfButton(slip, which, message) {
  const copy = COPIES[which];
  const button = h("button", { class: "button button--secondary button--block", type: "button",
    data: { action: which === "customer" ? "pdf" : "pdf-all" } }, copy.label);
  const say = (text, error = false) => {
    message.textContent = text;
    message.classList.toggle("slip-card__message--error", error);
  };
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    button.disabled = true;
    const busy = `正在下载${copy.name}…`;
    say(busy);
    try {
      await shareCopy(slip, copy, say);
      if (message.textContent === busy) say("");
    } catch (error) {
      say(error.status === 0 ? "现在没有信号,有信号后再下载。" : `下载失败:${error.message}`, true);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function pdfButtons(slip) {
  const message = h("p", { class: "slip-card__message", role: "status" });
  return [pdfButton(slip, "customer", message), pdfButton(slip, "all", message), message];
}

function facts(slip, timeZone) {
  return h("p", { class: "slip-card__facts" },
    slip.charged ? `合计 ${formatFen(slip.total_fen)}` : "免费维修",
    slip.signed_at ? ` · 签署于 ${formatDateTime(slip.signed_at, timeZone)}` : "");
}

// slip: job.slip (server's, or pending from the outbox); signHref: where a replacement is signed.
export function slipCard(slip, { timeZone, signHref }) {
  if (!slip) return null;
  if (slip.status === "pending") {
    return h("section", { class: "slip-card", data: { status: "pending" } },
      h("h3", { class: "slip-card__title" }, "服务单已签署 ", h("span", { class: "tag tag--waiting" }, "待上传")),
      facts(slip, timeZone),
      h("p", { class: "muted" }, "有信号时自动上传,上传后显示服务单编号和客户联 PDF。"));
  }
  if (slip.status === "voided") {
    return h("section", { class: "slip-card slip-card--voided", data: { status: "voided" } },
      h("h3", { class: "slip-card__title" }, `服务单 ${slip.serial} `, h("span", { class: "tag tag--refused" }, "已作废")),
      slip.void_reason ? h("p", {}, `作废原因:${slip.void_reason}`) : null,
      signHref ? h("a", { class: "button button--primary button--block", href: signHref }, "重新签署服务单") : null);
  }
  return h("section", { class: "slip-card", data: { status: slip.status } },
    h("h3", { class: "slip-card__title" }, "服务单 ", h("span", { class: "slip-card__serial" }, slip.serial), " ",
      h("span", { class: "tag tag--done" }, "✓ 已签署")),
    facts(slip, timeZone),
    pdfButtons(slip));
}
