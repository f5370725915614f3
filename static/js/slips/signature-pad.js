// A signature pad for a finger (or a gloved thumb): pointer events with capture, so a stroke that
// leaves the box still ends; points kept in 0–1 of the pad's width and height (the pad keeps its
// proportions), so turning the phone or a reload redraws the same signature at the new size; curves
// through the midpoints of the points, so a fast stroke is smooth rather than a polygon.
import { h } from "../field/dom.js";
import { canEncode, grayPng } from "./gray-png.js";

export const ASPECT = 2; // width : height, the same on screen (CSS) and in the PNG
const EXPORT_WIDTH = 800;
const INK = "#111111";
const MIN_INK_LENGTH = 0.25; // in pad widths: a tap or a tick is not a signature

const lineWidthFor = (width) => Math.max(2.5, width * 0.009);
const landscape = () => window.innerWidth > window.innerHeight;

// strokes: [[[x, y], …], …] in 0–1; drawn on a context whose drawing units are CSS pixels.
export function drawStrokes(context, strokes, width, height) {
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = INK;
  context.fillStyle = INK;
  context.lineWidth = lineWidthFor(width);
  for (const stroke of strokes) {
    const points = stroke.map(([x, y]) => [x * width, y * height]);
    context.beginPath();
    if (points.length === 1) {
      context.arc(points[0][0], points[0][1], context.lineWidth / 2, 0, 2 * Math.PI);
      context.fill();
      continue;
    }
    context.moveTo(...points[0]);
    for (let i = 1; i < points.length - 1; i += 1) {
      const [x, y] = points[i];
      context.quadraticCurveTo(x, y, (x + points[i + 1][0]) / 2, (y + points[i + 1][1]) / 2);
    }
    context.lineTo(...points[points.length - 1]);
    context.stroke();
  }
}

// How much was drawn, in pad widths.
export function inkLength(strokes) {
  let total = 0;
  for (const stroke of strokes) {
    for (let i = 1; i < stroke.length; i += 1) {
      total += Math.hypot(stroke[i][0] - stroke[i - 1][0], (stroke[i][1] - stroke[i - 1][1]) / ASPECT);
    }
  }
  return total;
}

export const isBlank = (strokes) => inkLength(strokes || []) < MIN_INK_LENGTH;

// The PNG that is sent and hashed: the strokes again at a fixed size, ink on white (greyscale where the
// browser can deflate; the canvas's own RGBA PNG, on transparent paper, where it cannot).
export async function signaturePng(strokes) {
  const width = EXPORT_WIDTH;
  const height = EXPORT_WIDTH / ASPECT;
  const canvas = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement("canvas"), { width, height });
  const context = canvas.getContext("2d");
  drawStrokes(context, strokes, width, height);
  if (canEncode) return grayPng(context, width, height); // a third of the bytes (gray-png.js)
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/png" });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

const rounded = (value) => Math.round(Math.min(1, Math.max(0, value)) * 10000) / 10000;

// onChange(strokes): after each stroke and after 清除. strokes is kept and extended in place.
export function signaturePad({ id, label, strokes, onChange }) {
  const canvas = h("canvas", { class: "signature__canvas", id, role: "img", "aria-labelledby": `${id}-label` });
  let size = { width: 0, height: 0 };
  let drawing = null; // the stroke under the finger
  let frame = 0;

  const redraw = () => {
    frame = 0;
    const context = canvas.getContext("2d");
    const ratio = window.devicePixelRatio || 1;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size.width, size.height);
    drawStrokes(context, strokes, size.width, size.height);
  };
  const later = () => { frame ||= requestAnimationFrame(redraw); };
  const fit = () => {
    const box = canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    if (!box.width) return;
    const turned = size.width && landscape() !== size.landscape;
    size = { width: box.width, height: box.height, landscape: landscape() };
    if (turned && size.landscape) canvas.parentElement.parentElement.scrollIntoView(); // turned to sign: pad in view
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    redraw();
  };
  const pointOf = (event) => {
    const box = canvas.getBoundingClientRect();
    return [rounded((event.clientX - box.left) / box.width), rounded((event.clientY - box.top) / box.height)];
  };

  canvas.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = { pointerId: event.pointerId, points: [pointOf(event)] };
    strokes.push(drawing.points);
    later();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing || event.pointerId !== drawing.pointerId) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) drawing.points.push(pointOf(each));
    later();
  });
  const end = (event) => {
    if (!drawing || event.pointerId !== drawing.pointerId) return;
    drawing = null;
    onChange(strokes);
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  // Turning the phone, a keyboard going away, a wider window: same signature, new size.
  new ResizeObserver(fit).observe(canvas);

  const clear = h("button", { class: "button button--secondary signature__clear", type: "button",
    on: { click: () => { strokes.length = 0; redraw(); onChange(strokes); } } }, "清除重签");
  // data-hold: a background repaint (a sync answer) leaves this screen alone: nothing it brings is shown
  // here, and a customer between two strokes must not find a new pad under the pen.
  return h("div", { class: "signature", data: { hold: "" } },
    h("div", { class: "signature__head" }, h("h3", { class: "signature__label", id: `${id}-label` }, label), clear),
    h("div", { class: "signature__paper" }, canvas,
      h("span", { class: "signature__line", "aria-hidden": "true" }, "请在此处签名")));
}
