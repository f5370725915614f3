// Photos are made small on the phone before they are queued: a 12-megapixel picture (3–5 MB)
// becomes a few hundred KB that one bar of signal can carry and IndexedDB can hold by the dozen.
import { h } from "./dom.js";

// 1280 px, 0.7: what WeChat sends a photo as, plenty to show a valve before and after, and some 150 KB,
// two seconds on a 750 kbps uplink (BENCHMARKS.md, "A visit on a weak link"); 1600 px at 0.8 was twice it.
export const LONG_SIDE = 1280;
export const QUALITY = 0.7;

// Older Safari has no createImageBitmap options; an <img> applies the EXIF orientation by itself.
function viaImage(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => { URL.revokeObjectURL(url); resolve(img); };
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error("照片无法读取")); };
    img.src = url;
  });
}

async function decode(file) {
  try {
    // The camera stores pictures sideways with an EXIF note; "from-image" stands them upright.
    return await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return viaImage(file);
  }
}

function canvasOf(width, height) {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(width, height);
  return Object.assign(document.createElement("canvas"), { width, height });
}

// File → JPEG Blob, upright, long side at most LONG_SIDE px.
export async function downscale(file) {
  const source = await decode(file);
  const fullWidth = source.naturalWidth || source.width;
  const fullHeight = source.naturalHeight || source.height;
  const scale = Math.min(1, LONG_SIDE / Math.max(fullWidth, fullHeight));
  const width = Math.round(fullWidth * scale);
  const height = Math.round(fullHeight * scale);
  const canvas = canvasOf(width, height);
  const context = canvas.getContext("2d");
  context.imageSmoothingQuality = "high";
  context.drawImage(source, 0, 0, width, height);
  source.close?.();
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
}

// One object URL per photo for as long as the page lives: repaints reuse it, so nothing flickers.
const urls = new Map();

export function photoUrl(photo) {
  if (urls.has(photo.client_uuid)) return urls.get(photo.client_uuid);
  if (!photo.blob) return photo.thumbnail_url || null;
  const url = URL.createObjectURL(photo.blob);
  urls.set(photo.client_uuid, url);
  return url;
}

export function thumbnail(photo, label) {
  const src = photoUrl(photo);
  const status = photo.pending ? "待上传" : "已上传";
  const fallback = () => h("span", { class: "thumb__missing" }, "已上传", h("br"), "有网时显示");
  const image = src ? h("img", { class: "thumb__img", src, alt: `${label}照片`, width: 96, height: 96 }) : fallback();
  if (src) image.addEventListener("error", () => image.replaceWith(fallback()), { once: true });
  return h("figure", { class: "thumb" }, image, h("figcaption", { class: "thumb__caption" }, `${label} · ${status}`));
}

// A photo button for one kind (修前, 修后…): the camera opens from a real <input type=file>, which
// works on every phone and in a WebView; a big label is the finger's target.
export function photoSlot({ id, step, kind, label, photos, busy, onFile }) {
  const input = h("input", {
    class: "photo-slot__input", id, type: "file", accept: "image/*", capture: "environment",
    data: { step, kind },
  });
  input.addEventListener("change", () => {
    const [file] = input.files;
    if (file) onFile(file);
    input.value = "";
  });
  const taken = photos.length > 0;
  return h("div", { class: ["photo-slot", taken && "photo-slot--taken"] },
    h("p", { class: "photo-slot__title" }, `${label}照片`,
      h("span", { class: taken ? "tag tag--done" : "tag tag--todo" }, taken ? "✓ 已拍" : "必拍")),
    taken ? h("div", { class: "photo-slot__thumbs" }, photos.map((photo) => thumbnail(photo, label))) : null,
    input,
    h("label", { class: ["button", "button--block", taken ? "button--secondary" : "button--camera"], for: id },
      h("span", { class: "icon icon--camera", "aria-hidden": "true" }),
      busy ? "正在处理照片…" : taken ? `再拍一张${label}照片` : `拍${label}照片`));
}
