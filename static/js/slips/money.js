// Money and quantities on the phone, as the server writes them (app/price_list/money.py,
// app/paid_service/services.py): integer fen and hundredths of a unit, never floats.

const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const PLACES = ["仟", "佰", "拾", ""]; // within a group of four digits
const GROUPS = ["亿", "万", ""]; // groups of four, largest first
const LARGEST_YUAN = 10 ** 12 - 1;
const LARGEST_QUANTITY_CENTI = 10_000 * 100;

// 123450 → "¥1,234.50"
export function formatFen(fen) {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+$)/g, ",");
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, "0")}`;
}

// 0 < value < 10000, without a leading 零: 1010 → 壹仟零壹拾, 1001 → 壹仟零壹.
function groupWords(value) {
  let words = "";
  let zeroPending = false;
  [...String(value).padStart(4, "0")].forEach((digit, i) => {
    if (digit === "0") {
      zeroPending = Boolean(words);
      return;
    }
    if (zeroPending) words += "零";
    words += DIGITS[Number(digit)] + PLACES[i];
    zeroPending = false;
  });
  return words;
}

function yuanWords(yuan) {
  const groups = [Math.floor(yuan / 1e8) % 1e4, Math.floor(yuan / 1e4) % 1e4, yuan % 1e4];
  let words = "";
  let zeroPending = false;
  groups.forEach((value, i) => {
    if (value === 0) {
      zeroPending = Boolean(words);
      return;
    }
    if (words && (zeroPending || value < 1000)) words += "零";
    words += groupWords(value) + GROUPS[i];
    zeroPending = false;
  });
  return words;
}

// 大写金额 as on the slip, exactly as in_capitals writes it: 123450 → "壹仟贰佰叁拾肆元伍角整".
export function inCapitals(fen) {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError("大写金额不能为负数");
  const yuan = Math.floor(fen / 100);
  if (yuan > LARGEST_YUAN) throw new RangeError("金额过大");
  const jiao = Math.floor((fen % 100) / 10);
  const fenDigit = fen % 10;
  let words = yuanWords(yuan);
  if (words) words += "元";
  if (jiao) words += DIGITS[jiao] + "角";
  else if (fenDigit && words) words += "零";
  if (fenDigit) return words + DIGITS[fenDigit] + "分";
  return (words || "零元") + "整";
}

// "1.5" → 150; null for anything but a positive number with at most two decimals, up to 10 000.
// (The server also reads "+1" or "1e2"; the phone's stepper never writes those.)
export function quantityCenti(text) {
  const match = String(text ?? "").trim().match(/^(\d*)(?:\.(\d*))?$/);
  if (!match || !(match[1] + (match[2] || ""))) return null;
  const fraction = (match[2] || "").replace(/0+$/, "");
  if (fraction.length > 2) return null;
  const centi = Number(match[1] || "0") * 100 + Number((fraction + "00").slice(0, 2));
  return centi > 0 && centi <= LARGEST_QUANTITY_CENTI ? centi : null;
}

// 150 → "1.5": how a quantity is shown and sent.
export function quantityText(centi) {
  const whole = Math.floor(centi / 100);
  const fraction = String(centi % 100).padStart(2, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

// Price × quantity, rounded half-up to the fen, in integers: (unit_price_fen × centi + 50) // 100.
export function amountFen(unitPriceFen, centi) {
  return Number((BigInt(unitPriceFen) * BigInt(centi) + 50n) / 100n);
}

// What a technician types as the amount collected ("30", "30.5", "¥1,234.50") → fen, or null.
export function parseYuan(text) {
  const cleaned = String(text ?? "").trim().replace(/^[¥￥]/, "").replace(/元$/, "").trim();
  const match = cleaned.match(/^(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$/);
  if (!match) return null;
  const fraction = match[2] || "";
  if (fraction.replace(/0+$/, "").length > 2) return null;
  return Number(match[1].replaceAll(",", "")) * 100 + Number((fraction + "00").slice(0, 2));
}

// 3000 → "30.00", for a form field.
export function yuanText(fen) {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}
